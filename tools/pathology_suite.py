#!/usr/bin/python3
"""Runs the configs of examples/pathologies/ with the ravine CLI and prints the doctor's confusion tables.

Each config carries, in its header comments:
  # expect: FINDING        the finding that should be the run's top finding ('healthy' for a control)
  # counterfactual: K=V    (pathologies; one or more) the config change that removes the cause, as --set K=V
  # check: METRIC          how the counterfactual shows the cause was real (see GROUND TRUTH)
  # half: HALF            tuning, heldout, fresh, fresh2, fresh3, fresh4, fresh5 or fresh6 (the rule: examples/pathologies/README.md);
                         fresh is the blind batch written after the held-out half had been looked at, fresh2 a second
                         one written after fresh had been looked at, fresh3 a third written after fresh2 had been
                         looked at, fresh4 a fourth written after fresh3 had been looked at, fresh5 a fifth written
                         after fresh4 had been looked at, fresh6 a sixth written after fresh5 had been looked at, none
                         of them tuned on while blind; --half all reports each half in its own tables

The predicted label of a run is its top finding: the first finding above info in summary.json's `findings`, which lists
them ranked root cause first (dev.ravine.doctor.finding.Findings), or 'healthy' when there is none.

GROUND TRUTH (--verify): a pathology's cause is confirmed when its counterfactual run completes (exit 0), its loss
fell (final training loss at most 0.8x its first step's) and:
  train_loss  its final training loss is at most 0.7x the failing run's (a diverged or NaN failing run counts as
              infinitely high);
  val_rise    its final validation loss is within 1.1x its best while the failing run's ended 1.15x or more above
              its best (the failing run overfits, the counterfactual does not);
  train_rise  the failing run's last epoch's training loss is 10x or more its best epoch's (a late spike), the
              counterfactual's at most 2x;
  blowup      the failing run's highest step loss is 10x or more the counterfactual's first step loss (or not
              finite), the counterfactual's own highest at most 3x its first (its loss may still fall slowly: what
              the cause did was blow the run up; a bad initialization can do it at step 1);
  completes   the failing run did not complete (exit code != 0) and the counterfactual did.
A control is confirmed when it completes and its final training loss is at most 0.7x its first step's.
Cases whose ground truth fails are listed and left out of the confusion tables (a case is only as good as its check).

Usage (from the repository root):
  /usr/bin/python3 tools/pathology_suite.py [--half tuning|heldout|fresh|fresh2|fresh3|fresh4|fresh5|fresh6|all] [--seeds 1,2] [--verify] [--only SUBSTRING]
                                            [--keep DIR] [--list] [--blind] [-j JOBS] [--set K=V ...] [--repair]
                                            [--cli COMMAND]
-h/--help prints this; an unknown flag stops the tool before anything runs.
--blind runs the ground-truth checks only and prints no diagnosis: how the held-out half's cases are checked
without looking at what the doctor says about them.
--cli COMMAND runs COMMAND (split as a shell would, e.g. a script that starts java on a worktree's target/classes)
instead of ./ravine, and skips ./ravine's build: from a worktree, where ./ravine would mvn-install.
--set K=V (repeatable) adds a config override to every failing and control run, e.g. --set doctor.probes=true.
--repair also trains every pathology with doctor.repair=true and reports the repairs: healed runs (the repaired run
passes the case's ground-truth check against the failing run, as its counterfactual must) over the runs a repair
fired on and, with --verify, over the repairable runs (those whose ground truth holds: removing the cause trains);
each repaired run's wall time over the unrepaired run's and, with --verify, over the clean run's (the counterfactual,
same length); the rollback depths (steps undone) and how many went back to step 0; the repairs on controls.
"""
import concurrent.futures
import glob
import json
import math
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

SUITE = "examples/pathologies"
HALVES = ("tuning", "heldout", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6")  # each gets its own confusion tables; only tuning is tuned on
CLI = ["./ravine"]  # --cli replaces it


def header(path):
    """The config's suite header: expect, counterfactual (a list), check, half."""
    h = {"expect": None, "counterfactual": [], "check": "train_loss", "half": None}
    with open(path) as f:
        for line in f:
            if not line.startswith("#"):
                break
            for key in ("expect", "counterfactual", "check", "half"):
                tag = "# " + key + ":"
                if line.startswith(tag):
                    value = line[len(tag):].strip()
                    if key == "counterfactual":
                        h[key].append(value)
                    else:
                        h[key] = value
    if h["expect"] is None or h["half"] not in HALVES:
        raise SystemExit(f"{path}: needs '# expect:' and '# half: {'|'.join(HALVES)}' lines")
    if h["expect"] != "healthy" and not h["counterfactual"]:
        raise SystemExit(f"{path}: a pathology needs at least one '# counterfactual: KEY=VALUE' line")
    return h


def run(config, out, sets):
    """Trains config into out with the given --set overrides; returns the run's outcome as a dict."""
    cmd = CLI + ["train", config, "--out", out]
    for s in sets:
        cmd += ["--set", s]
    shutil.rmtree(out, ignore_errors=True)  # a kept folder from an earlier run must not be read as this run's
    t0 = time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, RAVINE_SHORT_RUN="1"))
    outcome = {"exit": proc.returncode, "seconds": time.time() - t0, "top": "healthy", "findings": [], "repairs": 0, "depths": [], "to_start": 0,
               "final": math.inf, "first": math.nan, "val": [], "train": [], "peak": math.nan, "stderr": proc.stderr.strip().splitlines()[-1:] }
    summary_path = os.path.join(out, "summary.json")
    if os.path.exists(summary_path):
        with open(summary_path) as f:
            summary = json.load(f)
        findings = summary.get("findings") or []
        outcome["findings"] = [(x["id"], x["severity"], x["step"]) for x in findings]
        # summary.json lists them ranked root cause first (dev.ravine.doctor.finding.Findings), as run.db's reader,
        # `ravine doctor` and report.html do: the top finding is its first problem.
        problems = [x for x in findings if x["severity"] != "info"]
        outcome["top"] = problems[0]["id"] if problems else "healthy"
        outcome["repairs"] = len(summary.get("repairs") or [])
        outcome["depths"] = [r.get("rollback_depth", r["step"] - r["rolled_back_to"]) for r in summary.get("repairs") or []]
        outcome["to_start"] = sum(1 for r in summary.get("repairs") or [] if r["rolled_back_to"] == 0)
    db_path = os.path.join(out, "run.db")
    if not os.path.exists(summary_path) and os.path.exists(db_path):
        # A run stopped before its first step (bad data, exit 2) writes no summary.json, but its findings are in run.db;
        # the reader ranks them as Findings does: problems, causes before the symptom, earliest first, most severe.
        db = sqlite3.connect(db_path)
        rows = db.execute("SELECT id, severity, first_step FROM findings").fetchall()
        db.close()
        rank = {"blocking": 0, "warning": 1}
        problems = sorted((r for r in rows if r[1] != "info"), key=lambda r: (r[0] == "loss_stuck_at_chance", r[2], rank.get(r[1], 2)))
        outcome["findings"] = [(r[0], r[1], r[2]) for r in rows]
        outcome["top"] = problems[0][0] if problems else "healthy"
    if os.path.exists(db_path):
        db = sqlite3.connect(db_path)
        first = db.execute("SELECT loss FROM steps ORDER BY step LIMIT 1").fetchone()
        epochs = db.execute("SELECT train_loss, val_loss FROM epochs ORDER BY epoch").fetchall()
        losses = [r[0] for r in db.execute("SELECT loss FROM steps ORDER BY step")]
        db.close()
        outcome["peak"] = max((math.inf if l is None or not math.isfinite(l) else l for l in losses), default=math.nan)
        if first and first[0] is not None:
            outcome["first"] = first[0]
        if epochs and epochs[-1][0] is not None and math.isfinite(epochs[-1][0]):
            outcome["final"] = epochs[-1][0]
        outcome["val"] = [e[1] for e in epochs if e[1] is not None]
        outcome["train"] = [e[0] if e[0] is not None and math.isfinite(e[0]) else math.inf for e in epochs]
    return outcome


def learned(o):
    return o["exit"] == 0 and math.isfinite(o["final"]) and math.isfinite(o["first"]) and o["final"] <= 0.8 * o["first"]


def val_rise(o):
    return o["val"][-1] / min(o["val"]) if o["val"] and min(o["val"]) > 0 else math.nan


def rise(losses):
    """The last epoch's loss over the best epoch's: infinite when the best was exactly 0 and the last is not (a fit
    that reached round-off zero and then jumped), 1 when both are 0, NaN without epochs."""
    if not losses:
        return math.nan
    best, last = min(losses), losses[-1]
    if best > 0:
        return last / best
    return 1.0 if last == 0 else math.inf


def ground_truth(h, failing, cf):
    """(confirmed, why) for a pathology from its failing run and its counterfactual run."""
    check = h["check"]
    if check == "blowup":
        rf, rc = failing["peak"] / cf["first"], cf["peak"] / cf["first"]
        ok = rf >= 10 and rc <= 3 and cf["exit"] == 0
        return ok, f"highest step loss {rf:.3g}x the counterfactual's first -> {rc:.3g}x"
    if check == "completes":
        ok = failing["exit"] != 0 and cf["exit"] == 0 and math.isfinite(cf["final"])
        return ok, f"failing exit {failing['exit']}, counterfactual exit {cf['exit']}"
    if not learned(cf):
        return False, f"counterfactual exit {cf['exit']}, loss {cf['first']:.4g} -> {cf['final']:.4g}"
    if check == "train_loss":
        ok = cf["final"] <= 0.7 * failing["final"]
        return ok, f"final training loss {failing['final']:.4g} -> {cf['final']:.4g}"
    if check == "train_rise":
        rf, rc = rise(failing["train"]), rise(cf["train"])
        ok = rf >= 10 and rc <= 2
        return ok, f"final epoch's training loss {rf:.3g}x the best epoch's -> {rc:.3g}x"
    if check == "val_rise":
        rf, rc = val_rise(failing), val_rise(cf)
        ok = rf >= 1.15 and rc <= 1.1
        return ok, f"validation loss ends {rf:.3g}x its best -> {rc:.3g}x"
    raise SystemExit(f"unknown check {check}")


def table(rows, title):
    """Markdown confusion table (rows expected, columns predicted) of rows (name, expected, predicted)."""
    labels = sorted({r[1] for r in rows} | {r[2] for r in rows}, key=lambda l: (l == "healthy", l))
    print(f"\n{title}\n")
    print("| expected \\ predicted | " + " | ".join(labels) + " |")
    print("| --- " * (len(labels) + 1) + "|")
    for exp in labels:
        if any(r[1] == exp for r in rows):
            counts = [sum(1 for r in rows if r[1] == exp and r[2] == pred) for pred in labels]
            print(f"| {exp} | " + " | ".join(str(c) if c else "." for c in counts) + " |")
    problems = [r for r in rows if r[1] != "healthy"]
    controls = [r for r in rows if r[1] == "healthy"]
    right = sum(1 for r in problems if r[2] == r[1])
    alarms = sum(1 for r in controls if r[2] != "healthy")
    share = f"{100.0 * right / len(problems):.1f}%" if problems else "-"
    print(f"\ntop finding right on {right}/{len(problems)} pathologies ({share}); false alarms on {alarms}/{len(controls)} controls")


VALUED = ("--half", "--seeds", "--only", "--keep", "--cli", "-j", "--set")  # flags that take a value
SWITCHES = ("--blind", "--verify", "--list", "--repair")


def check_arguments(argv):
    """Stops on -h/--help (the docstring) and on anything unknown, before a single run starts: a mistyped flag
    would otherwise be ignored and run every half, the held-out one included."""
    if "-h" in argv or "--help" in argv:
        print(__doc__)
        raise SystemExit(0)
    i = 0
    while i < len(argv):
        if argv[i] in VALUED:
            if i + 1 >= len(argv):
                raise SystemExit(f"{argv[i]} needs a value (see --help)")
            i += 2
        elif argv[i] in SWITCHES:
            i += 1
        else:
            raise SystemExit(f"unknown argument {argv[i]!r}; the flags are {', '.join(VALUED + SWITCHES)} (see --help)")


def main():
    argv = sys.argv[1:]
    check_arguments(argv)
    opt = lambda name, default: argv[argv.index(name) + 1] if name in argv else default
    half = opt("--half", "all")
    if half != "all" and half not in HALVES:
        raise SystemExit(f"--half must be all or one of {', '.join(HALVES)}, is {half}")
    seeds = [int(s) for s in opt("--seeds", "1,2").split(",")]
    only = opt("--only", "")
    blind = "--blind" in argv  # checks ground truth only, printing no diagnosis (for cases not to be looked at)
    verify = "--verify" in argv or blind
    out = opt("--keep", None) or tempfile.mkdtemp(prefix="pathologies-")
    configs = []
    for path in sorted(glob.glob(os.path.join(SUITE, "*.yaml"))):
        name = os.path.basename(path)[:-5]
        h = header(path)
        if (half == "all" or h["half"] == half) and only in name:
            configs.append((name, path, h))
    if "--list" in argv:
        for name, _, h in configs:
            print(f"{h['half']:8} {h['expect']:22} {name}")
        return
    if "--cli" in argv:
        CLI[:] = shlex.split(opt("--cli", ""))
    else:
        subprocess.run(["./ravine", "--help"], capture_output=True)  # builds once, outside the timings
    started = time.time()
    jobs = int(opt("-j", "1"))
    extra = [argv[i + 1] for i, a in enumerate(argv) if a == "--set"]
    repair_runs = "--repair" in argv
    work = [(seed, name, path, h) for seed in seeds for name, path, h in configs]

    def one(item):
        seed, name, path, h = item
        # Controls train with the doctor's repair on: a repair on a healthy run is a false alarm that acts.
        repair = ["doctor.repair=true"] if h["expect"] == "healthy" else []
        failing = run(path, os.path.join(out, f"{name}-s{seed}"), [f"seed={seed}"] + extra + repair)
        truth = None
        cf = None
        if verify:
            if h["expect"] == "healthy":
                truth = (learned(failing), f"loss {failing['first']:.4g} -> {failing['final']:.4g}")
            else:
                cf = run(path, os.path.join(out, f"{name}-s{seed}-cf"), [f"seed={seed}"] + h["counterfactual"])
                truth = ground_truth(h, failing, cf)
        repaired = None
        if repair_runs and h["expect"] != "healthy":
            repaired = run(path, os.path.join(out, f"{name}-s{seed}-repair"), [f"seed={seed}"] + extra + ["doctor.repair=true"])
            repaired["healed"] = repaired["repairs"] > 0 and ground_truth(h, failing, repaired)[0]
            repaired["clean_seconds"] = cf["seconds"] if cf is not None else math.nan
        mark = "" if failing["top"] == h["expect"] else "  MISS"
        gt = "" if truth is None else ("  truth ok: " if truth[0] else "  TRUTH FAILS: ") + truth[1]
        seen = "" if blind else f" {failing['top']}{mark}"
        print(f"seed {seed} {name}:{seen}{gt}", file=sys.stderr, flush=True)
        return (name, h["half"], seed, h["expect"], failing, truth, repaired)

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(one, work))  # (name, half, seed, expected, outcome, truth), in suite order
    wall = time.time() - started
    if blind:
        bad = [r for r in results if r[5] is not None and not r[5][0]]
        print(f"{len(results) - len(bad)}/{len(results)} ground truths confirmed in {wall:.0f} s")
        for r in bad:
            print(f"- {r[0]} seed {r[2]}: {r[5][1]}")
        return

    print("| config | half | seed | expected | top finding | findings (first step) | repairs | exit | s | ground truth |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, hf, seed, exp, o, truth, _ in results:
        found = ", ".join(f"{f[0]} ({f[2]})" for f in o["findings"]) or "none"
        gt = "-" if truth is None else ("ok: " if truth[0] else "**fails**: ") + truth[1]
        miss = "" if o["top"] == exp else " **(miss)**"
        print(f"| {name} | {hf} | {seed} | {exp} | {o['top']}{miss} | {found} | {o['repairs']} | {o['exit']} | {o['seconds']:.1f} | {gt} |")

    failed_truth = [r for r in results if r[5] is not None and not r[5][0]]
    if failed_truth:
        print("\nGround truth fails (left out of the tables below):")
        for r in failed_truth:
            print(f"- {r[0]} seed {r[2]}: {r[5][1]}")
    kept = [r for r in results if r[5] is None or r[5][0]]
    for hf in HALVES:
        for seed in seeds:
            rows = [(r[0], r[3], r[4]["top"]) for r in kept if r[1] == hf and r[2] == seed]
            if rows:
                table(rows, f"**{hf} half, seed {seed}** ({len(rows)} configs)")
    controls = [r for r in results if r[3] == "healthy"]
    repaired = sum(1 for r in controls if r[4]["repairs"] > 0)
    print(f"\nrepairs on controls: {repaired}/{len(controls)} control runs; {len(results)} runs (+ counterfactuals) in {wall:.0f} s")
    if repair_runs:
        repair_report(results, verify)


def repair_report(results, verify):
    """The repair figures: healed / fired (and / repairable), time against the unrepaired and the clean run, rollbacks."""
    runs = [r for r in results if r[6] is not None]
    fired = [r for r in runs if r[6]["repairs"] > 0]
    healed = [r for r in fired if r[6]["healed"]]
    print(f"\nrepair runs: a repair fired on {len(fired)}/{len(runs)} pathology runs; "
          f"healed {len(healed)}/{len(fired)} (ground-truth check against the unrepaired run)")
    if verify:
        repairable = [r for r in runs if r[5] is not None and r[5][0]]
        print(f"repairable runs (ground truth holds): {len(repairable)}; a repair fired on {sum(1 for r in repairable if r[6]['repairs'] > 0)}, "
              f"healed {sum(1 for r in repairable if r[6]['healed'])}/{len(repairable)}")
    print("\n| config | seed | repairs | rollback depths | to step 0 | healed | s repaired / s unrepaired | s repaired / s clean |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in fired:
        o, rep = r[4], r[6]
        ratio = rep["seconds"] / o["seconds"] if o["seconds"] > 0 else math.nan
        clean = rep["seconds"] / rep["clean_seconds"] if rep["clean_seconds"] > 0 else math.nan
        print(f"| {r[0]} | {r[2]} | {rep['repairs']} | {', '.join(map(str, rep['depths']))} | {rep['to_start']} | "
              f"{'yes' if rep['healed'] else 'no'} | {ratio:.2f} | {clean:.2f} |")
    if not fired:
        return
    median = lambda v: v[len(v) // 2]
    ratios = sorted(r[6]["seconds"] / r[4]["seconds"] for r in fired)
    depths = sorted(d for r in fired for d in r[6]["depths"])
    print(f"\ntime repaired / unrepaired: median {median(ratios):.2f}, max {ratios[-1]:.2f}; "
          f"rollback depth (steps): median {median(depths)}, max {depths[-1]}; "
          f"{sum(r[6]['to_start'] for r in fired)} of {len(depths)} rollbacks went back to step 0")
    clean = sorted(r[6]["seconds"] / r[6]["clean_seconds"] for r in fired if r[6]["clean_seconds"] > 0)
    if clean:
        print(f"time repaired / clean (counterfactual) run: median {median(clean):.2f}, max {clean[-1]:.2f}, "
              f"within 1.2x on {sum(1 for c in clean if c <= 1.2)}/{len(clean)}")


if __name__ == "__main__":
    main()
