# Sourced by bench/compare-training.sh: runs the DJL peer offline on the LibTorch 2.7.1 CPU build that Maven put in
# bench/djl/target/lib (pytorch-native-cpu); DJL unpacks it from the classpath into DJL_CACHE_DIR on first use.
export DJL_CACHE_DIR="$ROOT/bench/djl/target/djl-cache"
export PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cpu
DJL_JAVA=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true
  -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1
  -cp "$ROOT/bench/djl/target/classes:$ROOT/bench/djl/target/lib/*" dev.ravine.bench.djl.DjlPeer)
