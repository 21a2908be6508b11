#!/usr/bin/env bash
# Trains the MLP and the CNN in Ravine and in PyTorch CPU in one run, then prints samples/s and the ratio.
# Usage: bench/compare-training.sh [mlp|cnn|both]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
which="${1:-both}"
source "$ROOT/bench/jdk.sh"
"${MVN[@]}" -q -DskipTests -pl bench -am package 2>/dev/null
ravine_out="$("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmn2g -Xms3g -XX:+AlwaysPreTouch -cp "$ROOT/bench/target/classes:$ROOT/ravine-core/target/classes:$ROOT/bench/target/lib/*" \
  dev.ravine.bench.TrainingThroughput "$which" 2>/dev/null)"
torch_out="$(/usr/bin/python3 "$ROOT/bench/pytorch_peer.py" "$which")"
echo "$ravine_out"
echo "$torch_out"
for model in mlp cnn; do
  r="$(echo "$ravine_out" | sed -n "s/^$model: \([0-9]*\) samples.*/\1/p")"
  t="$(echo "$torch_out" | sed -n "s/^$model: \([0-9]*\) samples.*/\1/p")"
  if [ -n "$r" ] && [ -n "$t" ]; then
    awk -v m="$model" -v r="$r" -v t="$t" 'BEGIN { printf "%s: ravine %d / pytorch %d samples/s = %.2fx\n", m, r, t, r / t }'
  fi
done
