#!/usr/bin/python3
"""Runs every config of examples/pathologies/ with ./ravine train and prints the doctor's confusion table.

Each config names the finding it should produce on its '# expect:' line ('healthy' for a control). The predicted
label of a run is its top finding, ranked as dev.ravine.doctor.finding.Findings ranks them (problems before info
notes, causes before the symptom loss_stuck_at_chance, then the earliest first step, then the most severe), or
'healthy' when no finding is above info. Prints one row per config, the confusion table (rows: expected, columns:
predicted) and precision and recall per label, as markdown.

Usage (from the repository root): /usr/bin/python3 tools/pathology_suite.py [--keep DIR]
"""
import glob
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

SEVERITY = {"info": 0, "warning": 1, "blocking": 2}
SYMPTOMS = {"loss_stuck_at_chance"}


def expected(path):
    with open(path) as f:
        for line in f:
            if line.startswith("# expect:"):
                return line[len("# expect:"):].strip()
    raise SystemExit(path + " has no '# expect:' line")


def top_finding(run_db):
    if not os.path.exists(run_db):
        return "healthy", []
    db = sqlite3.connect(run_db)
    rows = db.execute("SELECT id, severity, first_step FROM findings").fetchall()
    db.close()
    problems = [r for r in rows if r[1] != "info"]
    problems.sort(key=lambda r: (r[0] in SYMPTOMS, r[2], -SEVERITY[r[1]]))
    return (problems[0][0] if problems else "healthy"), rows


def main():
    keep = sys.argv[sys.argv.index("--keep") + 1] if "--keep" in sys.argv else None
    out = keep or tempfile.mkdtemp(prefix="pathologies-")
    configs = sorted(glob.glob("examples/pathologies/*.yaml"))
    results = []
    started = time.time()
    for config in configs:
        name = os.path.basename(config)[:-5]
        run = os.path.join(out, name)
        t0 = time.time()
        proc = subprocess.run(["./ravine", "train", config, "--out", run], capture_output=True, text=True)
        predicted, rows = top_finding(os.path.join(run, "run.db"))
        results.append((name, expected(config), predicted, proc.returncode, time.time() - t0, rows))
    wall = time.time() - started

    print("| config | expected | top finding | all findings (first step) | exit | seconds |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, exp, pred, code, secs, rows in results:
        found = ", ".join(f"{r[0]} ({r[2]})" for r in sorted(rows, key=lambda r: r[2])) or "none"
        print(f"| {name} | {exp} | {pred}{'' if pred == exp else ' **(miss)**'} | {found} | {code} | {secs:.1f} |")

    labels = sorted({r[1] for r in results} | {r[2] for r in results}, key=lambda l: (l == "healthy", l))
    print()
    print("| expected \\ predicted | " + " | ".join(labels) + " |")
    print("| --- " * (len(labels) + 1) + "|")
    for exp in labels:
        if not any(r[1] == exp for r in results):
            continue
        counts = [sum(1 for r in results if r[1] == exp and r[2] == pred) for pred in labels]
        print(f"| {exp} | " + " | ".join(str(c) if c else "." for c in counts) + " |")

    print()
    print("| label | precision | recall |")
    print("| --- | --- | --- |")
    for label in labels:
        tp = sum(1 for r in results if r[1] == label and r[2] == label)
        predicted_n = sum(1 for r in results if r[2] == label)
        actual_n = sum(1 for r in results if r[1] == label)
        p = f"{tp}/{predicted_n}" if predicted_n else "-"
        rc = f"{tp}/{actual_n}" if actual_n else "-"
        print(f"| {label} | {p} | {rc} |")
    correct = sum(1 for r in results if r[1] == r[2])
    problems = [r for r in results if r[1] != "healthy"]
    flagged = [r for r in results if r[2] != "healthy"]
    tp_any = sum(1 for r in problems if r[2] == r[1])
    print()
    print(f"{correct}/{len(results)} configs diagnosed as expected; over the {len(problems)} pathologies recall {tp_any}/{len(problems)}, "
          f"precision of the {len(flagged)} runs flagged {tp_any}/{len(flagged)}; {wall:.0f} s in all")


if __name__ == "__main__":
    main()
