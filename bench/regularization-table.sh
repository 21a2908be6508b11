#!/usr/bin/env bash
# The regularization table of issue 5: the plain MLP of examples/regularization/baseline.yaml on a 5,000-image
# Fashion-MNIST training subset, against the same config with one technique added (dropout, input noise, weight
# noise, augmentation, L2, FGSM adversarial training) and a 5-member ensemble of the baseline (seeds 7..11). Same
# seed, same epochs; test accuracy on the full 10,000-image test set; the gap is the final model's accuracy on its
# clean training images (ravine eval --split train: no augmentation, noise or dropout) minus its test accuracy.
# Prints a markdown table; run folders and logs go to the runs folder.
# Usage: bench/regularization-table.sh [runs folder [KEY=VALUE...]]   (KEY=VALUE: --set for every run, e.g. a quick
#        smoke test with training.epochs=2; the table in bench/README.md uses none)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-$ROOT/runs/regularization-table-$(date +%Y%m%d-%H%M%S)}"
shift || true
sets=()
for kv in "$@"; do sets+=(--set "$kv"); done
mkdir -p "$runs"
configs=(baseline dropout input-noise weight-noise augment l2 fgsm)

for name in "${configs[@]}"; do
  echo "training $name ..." >&2
  "$ROOT/ravine" train "$ROOT/examples/regularization/$name.yaml" ${sets[@]+"${sets[@]}"} --out "$runs/$name" > "$runs/$name.log" 2>&1 \
    || { echo "$name failed: see $runs/$name.log" >&2; exit 1; }
  "$ROOT/ravine" eval "$runs/$name" --split train > "$runs/$name.train-eval" 2>&1 \
    || { echo "eval of $name failed: see $runs/$name.train-eval" >&2; exit 1; }
done
echo "training the 5-member ensemble ..." >&2
"$ROOT/ravine" ensemble "$ROOT/examples/regularization/baseline.yaml" --members 5 ${sets[@]+"${sets[@]}"} --out "$runs/ensemble" > "$runs/ensemble.log" 2>&1 \
  || { echo "the ensemble failed: see $runs/ensemble.log" >&2; exit 1; }

/usr/bin/python3 - "$runs" "${configs[@]}" <<'PY'
import json, re, sys
runs, names = sys.argv[1], sys.argv[2:]
settings = {
    "baseline": "784-512-512-10 ReLU MLP, adam 0.001, %d epochs, batch 64",
    "dropout": "p 0.3 after each hidden layer",
    "input-noise": "input_noise 0.2 (pixels in [0, 1])",
    "weight-noise": "weight_noise 0.01",
    "augment": "shift 2, rotate 10, flip",
    "l2": "l2 0.001",
    "fgsm": "FGSM, epsilon 0.1, mix 0.5",
}
def train_accuracy(name):
    text = open(f"{runs}/{name}.train-eval").read()
    m = re.search(r"\((\d+)/(\d+) correct\)", text)
    return int(m.group(1)) / int(m.group(2))
rows = []
for name in names:
    s = json.load(open(f"{runs}/{name}/summary.json"))
    setting = settings[name] % s["epochs"] if name == "baseline" else settings[name]
    rows.append((name, setting, train_accuracy(name), s["test_accuracy"], s["wall_seconds"]))
e = json.load(open(f"{runs}/ensemble/ensemble.json"))
members = [m["test_accuracy"] for m in e["members"]]
walls = sum(json.load(open(f"{runs}/ensemble/{m['run']}/summary.json"))["wall_seconds"] for m in e["members"])
rows.append(("ensemble", "5 baselines, seeds 7-11, mean probabilities (members %.2f-%.2f%%)"
             % (100 * min(members), 100 * max(members)), e["ensemble"]["train_accuracy"], e["ensemble"]["test_accuracy"], walls))
base = rows[0][3]
print("| technique | setting | train acc | test acc | gap | test vs baseline | training s |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for name, setting, train, test, wall in rows:
    delta = "" if name == "baseline" else "%+.2f" % (100 * (test - base))
    print("| %s | %s | %.2f%% | %.2f%% | %.2f | %s | %.0f |" % (name, setting, 100 * train, 100 * test, 100 * (train - test), delta, wall))
PY
