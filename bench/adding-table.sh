#!/usr/bin/env bash
# The adding-problem table (issue 5, note 003): RNN, LSTM and GRU at sequence lengths 50 and 200, the same budget each;
# prints test MSE and the gradient norms to the first and last time step (see dev.ravine.bench.AddingTable).
# Usage: bench/adding-table.sh [train samples (2000)] [epochs (5)] [lengths (50,200)] [cells (rnn,lstm,gru)]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/bench/jdk.sh"
"${MVN[@]}" -q -DskipTests -pl bench -am package 2>/dev/null
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC \
  -cp "$ROOT/bench/target/classes:$ROOT/ravine-core/target/classes:$ROOT/bench/target/lib/*" \
  dev.ravine.bench.AddingTable "$@" 2>/dev/null
