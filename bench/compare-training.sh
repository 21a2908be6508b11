#!/usr/bin/env bash
# Trains each workload in Ravine, PyTorch 1.13 (Debian) and DJL 0.36 on LibTorch 2.7.1, alternating the three sides
# workload by workload and round by round in one run, then prints each side's median samples/s, both ratios and
# each side's peak RSS. Ravine's timed run pre-touches a 3 GB heap (-Xms3g -XX:+AlwaysPreTouch, so GC noise stays
# out of the timing), which makes its RSS the heap's size; its RSS figure comes instead from a second, short run of
# the same workload (5 batches per round) with the JVM's default heap settings, the footprint a user sees.
# Usage: bench/compare-training.sh [--isa native|avx2] [--rounds N] [workload ... | both | all]
#   workloads: mlp cnn mlp-b32 mlp-b512 cnn-b32 cnn-b512 lstm rescnn (default: both = mlp cnn)
#   --isa avx2: every side on its AVX2 code path (Ravine -XX:UseAVX=2; LibTorch, oneDNN, MKL and OpenBLAS capped
#   at AVX2), to measure an AVX2 machine's path on an AVX-512 one.
# RAVINE_SKIP_DJL=1 leaves the DJL side out (it needs a 450 MB LibTorch download on first build).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
isa=native rounds=1 workloads=()
while [ $# -gt 0 ]; do
  case "$1" in
    --isa) isa="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    both) workloads+=(mlp cnn); shift ;;
    all) workloads+=(mlp cnn mlp-b32 mlp-b512 cnn-b32 cnn-b512 lstm rescnn); shift ;;
    *) workloads+=("$1"); shift ;;
  esac
done
[ ${#workloads[@]} -gt 0 ] || workloads=(mlp cnn)
source "$ROOT/bench/jdk.sh"
"${MVN[@]}" -q -DskipTests -pl bench -am package 2>/dev/null
djl=yes
if [ "${RAVINE_SKIP_DJL:-}" = 1 ] || ! "${MVN[@]}" -q -Pdjl -DskipTests -pl bench/djl -am package >/dev/null 2>&1; then
  djl=no
  echo "(DJL side skipped: RAVINE_SKIP_DJL=1, or mvn -Pdjl -pl bench/djl -am package failed)"
fi
source "$ROOT/bench/djl-env.sh"

jvm_isa=()
if [ "$isa" = avx2 ]; then
  jvm_isa=(-XX:UseAVX=2)
  export ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 DNNL_MAX_CPU_ISA=AVX2 MKL_ENABLE_INSTRUCTIONS=AVX2 OPENBLAS_CORETYPE=Haswell
elif [ "$isa" != native ]; then
  echo "--isa must be native or avx2, got '$isa'" >&2; exit 2
fi
# The peers' OpenMP threads spin while they wait; on a machine shared with other jobs that collapses them (DJL's MLP
# measured 0.4k samples/s spinning against 11.6k passive at load 13), so they wait passively unless told otherwise.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}" OMP_NUM_THREADS=2

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
# workload: Ravine's peak RSS line from a short run with the JVM's default heap (no -Xms, no pre-touch).
ravine_footprint() {
  "$JAVA_HOME/bin/java" "${jvm_isa[@]}" --add-modules jdk.incubator.vector -XX:+UseParallelGC \
    -cp "$ROOT/bench/target/classes:$ROOT/ravine-core/target/classes:$ROOT/bench/target/lib/*" \
    dev.ravine.bench.TrainingThroughput "$1" --batches 5 2>/dev/null | grep 'peak RSS'
}
# side workload: runs one side on one workload and appends "side workload samples/s rssMB" to $results.
run_side() {
  local side="$1" workload="$2" out
  case "$side" in
    ravine) out="$("$JAVA_HOME/bin/java" "${jvm_isa[@]}" --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmn2g -Xms3g \
      -XX:+AlwaysPreTouch -cp "$ROOT/bench/target/classes:$ROOT/ravine-core/target/classes:$ROOT/bench/target/lib/*" \
      dev.ravine.bench.TrainingThroughput "$workload" 2>/dev/null)" ;;
    pytorch) out="$(/usr/bin/python3 "$ROOT/bench/pytorch_peer.py" "$workload")" ;;
    djl) out="$("${DJL_JAVA[@]:0:1}" "${jvm_isa[@]}" "${DJL_JAVA[@]:1}" "$workload" 2>/dev/null)" ;;
  esac
  echo "$out" | sed "s/^/  $side | /" >&2
  local rate rss
  rate="$(echo "$out" | sed -n "s/^$workload: \([0-9]*\) samples.*/\1/p")"
  if [ "$side" = ravine ]; then out="$(ravine_footprint "$workload")"; echo "  ravine | default heap: $out" >&2; fi
  rss="$(echo "$out" | sed -n 's/^[a-z]*: peak RSS \([0-9]*\) MB/\1/p')"
  echo "$side $workload ${rate:-0} ${rss:-0}" >> "$results"
}

echo "isa $isa, $rounds round(s), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
sides=(ravine pytorch)
[ "$djl" = yes ] && sides+=(djl)
for ((r = 1; r <= rounds; r++)); do
  for w in "${workloads[@]}"; do
    for side in "${sides[@]}"; do run_side "$side" "$w"; done
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
# Median over rounds of each side's median-of-five, then the ratios.
for w in "${workloads[@]}"; do
  awk -v w="$w" -v isa="$isa" '
    function median(list, n,   i, j, t) {
      for (i = 2; i <= n; i++) for (j = i; j > 1 && list[j - 1] > list[j]; j--) { t = list[j]; list[j] = list[j - 1]; list[j - 1] = t }
      return n % 2 ? list[(n + 1) / 2] : (list[n / 2] + list[n / 2 + 1]) / 2
    }
    $2 == w { n[$1]++; rate[$1, n[$1]] = $3; if ($4 > rss[$1]) rss[$1] = $4 }
    END {
      for (s in n) { delete l; for (i = 1; i <= n[s]; i++) l[i] = rate[s, i]; med[s] = median(l, n[s]) }
      line = sprintf("%s (%s): ravine %d / pytorch %d samples/s = %.2fx", w, isa, med["ravine"], med["pytorch"],
        med["pytorch"] ? med["ravine"] / med["pytorch"] : 0)
      if ("djl" in n) line = line sprintf("; / djl %d = %.2fx", med["djl"], med["djl"] ? med["ravine"] / med["djl"] : 0)
      line = line sprintf("; peak RSS MB ravine %d, pytorch %d", rss["ravine"], rss["pytorch"])
      if ("djl" in n) line = line sprintf(", djl %d", rss["djl"])
      print line
    }' "$results"
done
