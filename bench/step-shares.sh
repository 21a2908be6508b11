#!/usr/bin/env bash
# Where a training step's time goes: records TrainingThroughput on one workload with JFR, then charges every
# execution sample to a kind of work (bench/step_shares.py). Allocation per step and GC share are printed by
# TrainingThroughput itself.
# Usage: bench/step-shares.sh [workload (cnn)] [extra JVM flags, e.g. -XX:UseAVX=2]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
workload="${1:-cnn}"
shift || true
source "$ROOT/bench/jdk.sh"
"${MVN[@]}" -q -DskipTests -pl bench -am package 2>/dev/null
recording="$(mktemp --suffix .jfr)"
trap 'rm -f "$recording"' EXIT
"$JAVA_HOME/bin/java" "$@" --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmn2g -Xms3g -XX:+AlwaysPreTouch \
  -XX:StartFlightRecording=filename="$recording",settings=profile \
  -cp "$ROOT/bench/target/classes:$ROOT/ravine-core/target/classes:$ROOT/bench/target/lib/*" \
  dev.ravine.bench.TrainingThroughput "$workload" 2>/dev/null | grep -v '^\[' 
JAVA_HOME="$JAVA_HOME" /usr/bin/python3 "$ROOT/bench/step_shares.py" "$recording"
