#!/usr/bin/env bash
# Trains examples/fashion-mlp.yaml per optimizer as a sweep of SEEDS seeds (ravine sweep: seeds 1..SEEDS, same
# epochs) and prints a table of optimizer, learning rate, epochs and test accuracy as the mean ± 95% confidence
# interval over the seeds (Student t), read from each sweep's sweep.txt; trials the doctor stopped early are counted
# in "finished", not averaged.
# Usage: bench/optimizer-table.sh [epochs [runs folder [seeds [parallel]]]]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
epochs="${1:-3}"
runs="${2:-$ROOT/runs/optimizer-table}"
seeds="${3:-3}"
parallel="${4:-1}"
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
mkdir -p "$runs"
printf "| optimizer | lr | epochs | finished | test accuracy (mean ± 95%% CI, %s seeds) |\n| --- | --- | --- | --- | --- |\n" "$seeds"
for row in "${table[@]}"; do
  read -r name rest <<< "$row"
  sets=(--set "optimizer.name=$name" --set "training.epochs=$epochs")
  for kv in $rest; do sets+=(--set "$kv"); done
  "$ROOT/ravine" sweep "$ROOT/examples/fashion-mlp.yaml" "${sets[@]}" --seeds "$seeds" --parallel "$parallel" --out "$runs/$name" \
    > "$runs/$name.log" 2>&1 || true
  lr="$(echo "$rest" | sed -n 's/.*optimizer.lr=\([^ ]*\).*/\1/p')"
  # the sweep table's one combination row: combination, finished, val accuracy, val loss, test accuracy
  row_line="$(grep -m1 '^  (the config as is)' "$runs/$name/sweep.txt" 2>/dev/null || true)"
  if [ -n "$row_line" ]; then
    finished="$(echo "$row_line" | awk -F '  +' '{print $3}')"
    acc="$(echo "$row_line" | awk -F '  +' '{print $6}')"
  else
    finished="-"; acc="failed (see $runs/$name.log)"
  fi
  printf "| %s | %s | %s | %s | %s |\n" "$name" "$lr" "$epochs" "$finished" "$acc"
done
