#!/usr/bin/env bash
# The regularization table of issue 5: the plain MLP of examples/regularization/baseline.yaml on a 5,000-image
# Fashion-MNIST training subset, against the same config with one technique added (dropout, input noise, weight
# noise, augmentation, L2, FGSM adversarial training) and a 5-member ensemble of the baseline (seeds 7..11). Each
# technique is a sweep of RAVINE_SEEDS seeds (default 3; ravine sweep, seeds 1..N, RAVINE_PARALLEL trials at a time):
# test accuracy on the full 10,000-image test set as the mean ± 95% confidence interval over the seeds (Student t),
# so that a technique's effect can be told from seed noise; the gap is each trial's accuracy on its clean training
# images (ravine eval --split train: no augmentation, noise or dropout) minus its test accuracy, averaged over seeds.
# Prints a markdown table; sweep folders and logs go to the runs folder.
# Usage: bench/regularization-table.sh [runs folder [KEY=VALUE...]]   (KEY=VALUE: --set for every run, e.g. a quick
#        smoke test with training.epochs=2; the table in bench/README.md uses none)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-$ROOT/runs/regularization-table-$(date +%Y%m%d-%H%M%S)}"
shift || true
sets=()
for kv in "$@"; do sets+=(--set "$kv"); done
seeds="${RAVINE_SEEDS:-3}"
parallel="${RAVINE_PARALLEL:-1}"
mkdir -p "$runs"
configs=(baseline dropout input-noise weight-noise augment l2 fgsm)

for name in "${configs[@]}"; do
  echo "sweeping $name over $seeds seeds ..." >&2
  "$ROOT/ravine" sweep "$ROOT/examples/regularization/$name.yaml" ${sets[@]+"${sets[@]}"} --seeds "$seeds" --parallel "$parallel" \
    --out "$runs/$name" > "$runs/$name.log" 2>&1 || { echo "$name failed: see $runs/$name.log" >&2; exit 1; }
  for trial in "$runs/$name"/trials/*/; do
    "$ROOT/ravine" eval "$trial" --split train > "${trial%/}.train-eval" 2>&1 \
      || { echo "eval of $trial failed: see ${trial%/}.train-eval" >&2; exit 1; }
  done
done
echo "training the 5-member ensemble ..." >&2
"$ROOT/ravine" ensemble "$ROOT/examples/regularization/baseline.yaml" --members 5 ${sets[@]+"${sets[@]}"} --out "$runs/ensemble" > "$runs/ensemble.log" 2>&1 \
  || { echo "the ensemble failed: see $runs/ensemble.log" >&2; exit 1; }

/usr/bin/python3 - "$runs" "${configs[@]}" <<'PY'
import glob, json, os, re, sys
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
def train_accuracy(eval_file):
    m = re.search(r"\((\d+)/(\d+) correct\)", open(eval_file).read())
    return int(m.group(1)) / int(m.group(2))
def sweep_test_accuracy(name):
    # the sweep table's one combination row: combination, finished, val accuracy, val loss, test accuracy
    for line in open(f"{runs}/{name}/sweep.txt"):
        if line.startswith("  (the config as is)"):
            cells = re.split(r"  +", line.strip())
            return cells[4], cells[1]
    raise SystemExit(f"no combination row in {runs}/{name}/sweep.txt")
rows = []
for name in names:
    trials = sorted(glob.glob(f"{runs}/{name}/trials/*/summary.json"))
    summaries = [json.load(open(t)) for t in trials]
    done = [(t, s) for t, s in zip(trials, summaries) if s.get("test_accuracy") is not None]
    gaps = [train_accuracy(os.path.dirname(t) + ".train-eval") - s["test_accuracy"] for t, s in done]
    test, finished = sweep_test_accuracy(name)
    setting = settings[name] % summaries[0]["epochs"] if name == "baseline" else settings[name]
    mean_test = sum(s["test_accuracy"] for _, s in done) / len(done)
    rows.append((name, setting, test, finished, mean_test, sum(gaps) / len(gaps), sum(s["wall_seconds"] for s in summaries)))
e = json.load(open(f"{runs}/ensemble/ensemble.json"))
members = [m["test_accuracy"] for m in e["members"]]
walls = sum(json.load(open(f"{runs}/ensemble/{m['run']}/summary.json"))["wall_seconds"] for m in e["members"])
base = rows[0][4]
print("| technique | setting | test acc (mean ± 95%% CI, %s seeds) | finished | gap (mean) | test vs baseline (means) | training s (all seeds) |" % os.environ.get("RAVINE_SEEDS", "3"))
print("| --- | --- | --- | --- | --- | --- | --- |")
for name, setting, test, finished, mean_test, gap, wall in rows:
    delta = "" if name == "baseline" else "%+.2f" % (100 * (mean_test - base))
    print("| %s | %s | %s | %s | %.2f | %s | %.0f |" % (name, setting, test, finished, 100 * gap, delta, wall))
print("| ensemble | 5 baselines, seeds 7-11, mean probabilities (members %.2f-%.2f%%) | %.2f%% | 5/5 | %.2f | %+.2f | %.0f |"
      % (100 * min(members), 100 * max(members), 100 * e["ensemble"]["test_accuracy"],
         100 * (e["ensemble"]["train_accuracy"] - e["ensemble"]["test_accuracy"]), 100 * (e["ensemble"]["test_accuracy"] - base), walls))
PY
