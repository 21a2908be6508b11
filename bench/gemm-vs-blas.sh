#!/usr/bin/env bash
# Ravine's GEMM against OpenBLAS (torch.mm in PyTorch 1.13) in one run, alternating shape by shape, with the FMA
# peak measured in the same run. OpenBLAS runs its best core for this CPU (bench/openblas_core.py; --isa avx2:
# Haswell). Usage: bench/gemm-vs-blas.sh [--isa native|avx2]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
isa="native"
[ "${1:-}" = "--isa" ] && isa="${2:-native}"
source "$ROOT/bench/jdk.sh"
"${MVN[@]}" -q -DskipTests -pl bench -am package 2>/dev/null
flags=()
if [ "$isa" = avx2 ]; then flags=(-XX:UseAVX=2); export OPENBLAS_CORETYPE=Haswell; fi
java_run() {
  "$JAVA_HOME/bin/java" "${flags[@]}" --add-modules jdk.incubator.vector \
    -cp "$ROOT/bench/target/classes:$ROOT/ravine-core/target/classes:$ROOT/bench/target/lib/*" "$@" 2>/dev/null
}
echo "isa $isa, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
# The peer's core: OpenBLAS's own pick unless it falls back below this CPU's instructions (bench/openblas_core.py).
(cd "$ROOT/bench" && /usr/bin/python3 -c "import openblas_core; print(openblas_core.choose())")
java_run dev.ravine.bench.FmaPeak 2
for shape in "1024 1024 1024 NN" "128 784 512 NN" "128 512 784 NT" "784 128 512 TN"; do
  java_run dev.ravine.bench.GemmFlops $shape
  /usr/bin/python3 "$ROOT/bench/blas_peer.py" $shape
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
