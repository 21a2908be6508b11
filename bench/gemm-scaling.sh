#!/usr/bin/env bash
# How Ravine's GEMM and OpenBLAS's (torch.mm) scale from one thread to two, shape by shape, in one run; Ravine's two
# threads also with its pool's threads kept awake between products (ravine.pool.spin / ravine.pool.linger, in us).
# Needs a quiet machine: under load every two-thread figure measures the neighbours. Tuning is off (the start-up
# rule's shape and blocking), so the rows differ only in threads and waits.
# Usage: bench/gemm-scaling.sh [spin_us linger_us]   (default 200 200)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
spin="${1:-200}" linger="${2:-200}"
source "$ROOT/bench/jdk.sh"
"${MVN[@]}" -q -o -DskipTests -pl bench -am package 2>/dev/null
ravine() {
  "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -Dravine.gemm.tune=false "$@" \
    -cp "$ROOT/bench/target/classes:$ROOT/ravine-core/target/classes:$ROOT/bench/target/lib/*" \
    dev.ravine.bench.GemmFlops $shape 2>/dev/null
}
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for shape in "1024 1024 1024 NN" "128 784 512 NN" "128 512 784 NT" "784 128 512 TN"; do
  ravine -Dravine.threads=1
  ravine -Dravine.threads=2
  ravine -Dravine.threads=2 -Dravine.pool.spin="$spin" -Dravine.pool.linger="$linger" | sed "s/\$/ [spin $spin us, linger $linger us]/"
  (cd "$ROOT/bench" && BLAS_PEER_THREADS=1 /usr/bin/python3 blas_peer.py $shape)
  (cd "$ROOT/bench" && /usr/bin/python3 blas_peer.py $shape)
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
