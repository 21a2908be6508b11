#!/usr/bin/env bash
# Ravine on a Spark standalone cluster on this machine: starts a master and two workers of one core each (child JVMs
# from the Spark jars in ravine-spark/target/lib), then
#   1. trains examples/fashion-mlp.yaml and examples/fashion-cnn.yaml data-parallel with 1 and with 2 workers
#      (data.train_subset=6400, 2 epochs: 100 steps of the global batch 128) and prints each rank's median step,
#      split into computation and all-reduce, as the driver reports it;
#   2. runs a 6-trial sweep of the MLP on the cluster (learning rates 0.001, 0.003 and a far too high 3.0 x 2 seeds,
#      the same subset and epochs): the doctor stops the lr=3.0 trials early.
# Every run folder and the sweep land under RUNS (default runs/spark-cluster); the logs of the cluster under RUNS/cluster.
# Usage: bench/spark-cluster.sh [RUNS [all|sweep]]   (sweep: the sweep only)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/bench/jdk.sh"
runs="${1:-$ROOT/runs/spark-cluster}"
what="${2:-all}"
mkdir -p "$runs/cluster/spark-home/jars"
runs="$(cd "$runs" && pwd)"
"${MVN[@]}" -q -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -pl ravine-app,ravine-lab,ravine-spark -am install

# The standalone launcher wants SPARK_HOME/jars to exist and the Scala version said; executors load Ravine and Spark
# from spark.executor.extraClassPath (the driver's class path), so jars/ stays empty.
export SPARK_HOME="$runs/cluster/spark-home" SPARK_SCALA_VERSION=2.13
CP="$ROOT/ravine-spark/target/lib/*"
port=$(( 20000 + RANDOM % 20000 ))
master="spark://127.0.0.1:$port"
pids=()
cleanup() { for p in "${pids[@]}"; do pkill -9 -P "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
"$JAVA_HOME/bin/java" -Xmx256m -cp "$CP" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port 0 \
  > "$runs/cluster/master.log" 2>&1 &
pids+=($!)
sleep 5
for w in 1 2; do
  "$JAVA_HOME/bin/java" -Xmx256m -cp "$CP" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 --memory 3g \
    --webui-port 0 --work-dir "$runs/cluster/work-$w" "$master" > "$runs/cluster/worker-$w.log" 2>&1 &
  pids+=($!)
done
sleep 5

export RAVINE_JAVA_OPTS="-Dspark.executor.memory=2g -Xmx2g" RAVINE_SHORT_RUN=1
subset=(--set data.train_subset=6400 --set training.epochs=2)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
models=(mlp cnn)
[ "$what" = "sweep" ] && models=()
for model in "${models[@]}"; do
  for n in 1 2; do
    out="$runs/$model-$n-workers"
    rm -rf "$out"
    echo "== $model, $n worker(s)"
    "$ROOT/ravine" train "$ROOT/examples/fashion-$model.yaml" "${subset[@]}" --spark "$master" --workers "$n" --out "$out" \
      | grep -E '^(spark:|rank |test:|completed)'
  done
done
rm -rf "$runs/sweep"
"$ROOT/ravine" sweep "$ROOT/examples/fashion-mlp.yaml" --grid optimizer.lr=0.001,0.003,3.0 --seeds 2 "${subset[@]}" \
  --spark "$master" --out "$runs/sweep"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
