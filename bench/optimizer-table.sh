#!/usr/bin/env bash
# Trains examples/fashion-mlp.yaml once per optimizer (same seed, same epochs) and prints a table of
# optimizer, learning rate, epochs and test accuracy, read from each run's summary.json.
# Usage: bench/optimizer-table.sh [epochs] [runs folder]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
epochs="${1:-3}"
runs="${2:-$ROOT/runs/optimizer-table}"
# name, then extra --set options; learning rates are each optimizer's usual range for this MLP
table=(
  "sgd optimizer.lr=0.05 optimizer.momentum=0.9"
  "adam optimizer.lr=0.001"
  "adamw optimizer.lr=0.001"
  "adagrad optimizer.lr=0.01"
  "adadelta optimizer.lr=1.0"
  "rmsprop optimizer.lr=0.0005"
  "adamax optimizer.lr=0.002"
  "nadam optimizer.lr=0.001"
  "radam optimizer.lr=0.001"
  "rprop optimizer.lr=0.0001"
  "adaptive_gains optimizer.lr=0.01 optimizer.momentum=0.9"
  "momentum_ramp optimizer.lr=0.05 optimizer.ramp_steps=1000"
  # L-BFGS wants (near) full batches: 6,000-image batches, 9 steps per epoch, each up to 10 line-searched iterations
  "lbfgs optimizer.lr=1 optimizer.max_iter=10 optimizer.history_size=10 optimizer.line_search_fn=strong_wolfe training.batch_size=6000"
)
printf "| optimizer | lr | epochs | test accuracy |\n| --- | --- | --- | --- |\n"
for row in "${table[@]}"; do
  read -r name rest <<< "$row"
  sets=(--set "optimizer.name=$name" --set "training.epochs=$epochs")
  for kv in $rest; do sets+=(--set "$kv"); done
  "$ROOT/ravine" train "$ROOT/examples/fashion-mlp.yaml" "${sets[@]}" --out "$runs/$name" > "$runs-$name.log" 2>&1 || true
  lr="$(echo "$rest" | sed -n 's/.*optimizer.lr=\([^ ]*\).*/\1/p')"
  acc="$(/usr/bin/python3 -c "import json,sys; s=json.load(open(sys.argv[1])); a=s.get('test_accuracy'); print('%.2f%%' % (100*a) if a is not None else s['status'])" "$runs/$name/summary.json" 2>/dev/null || echo "failed (see $runs-$name.log)")"
  printf "| %s | %s | %s | %s |\n" "$name" "$lr" "$epochs" "$acc"
done
