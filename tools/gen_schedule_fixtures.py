#!/usr/bin/env python3
"""Learning-rate fixtures from torch.optim.lr_scheduler for dev.ravine.schedule (ScheduleFixturesTest).

Writes ravine-core/src/test/resources/fixtures/schedules/<name>.json: {"schedule": name, "cases": [{"options": {...},
"base_lr": x, "lr": [...]}]} where options use Ravine's config names (torch's, snake_case) and lr[t] is the optimizer's
lr after t calls of scheduler.step() (t = 0..499), i.e. the lr used by the (t+1)-th optimizer step when stepping per
batch. reduce_on_plateau cases hold "metrics" (one per epoch) and lr[i] = the lr after i calls of step(metrics[i-1]).
one_cycle_end.json holds OneCycleLR cases with total_steps below 500 and lr[t] for t = 0..total_steps: torch computes
tick total_steps too (extrapolating the last phase past its end) and raises only after it.
momentum_cycle.json holds OneCycleLR and CyclicLR with cycle_momentum driving an optimizer on the quadratic
0.5 * sum(d * x * x), d = (1, 3, 10, 100), x0 = (2, -1.5, 1, 0.5), its gradient d * x set by hand each step:
"momentum"[t] and "lr"[t] are the momentum (SGD/RMSprop momentum, or the Adam family's betas[0]) and lr that step t + 1
uses, "x"[t] the parameters after step t + 1. torch 1.13's CyclicLR cycles only a "momentum" option; for the Adam family
it is run on a stand-in SGD and its momentum copied into betas[0] before each step, which is what torch 2's CyclicLR does.
Run with /usr/bin/python3 (torch 1.13).
"""
import json
import math
import os

import torch
from torch.optim import lr_scheduler as S

STEPS = 500
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ravine-core", "src", "test", "resources", "fixtures", "schedules")


def optimizer(base_lr):
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=base_lr, momentum=0.9)


def build(opt, name, o):
    if name == "constant":
        return S.ConstantLR(opt, factor=o["factor"], total_iters=o["total_iters"])
    if name == "step":
        return S.StepLR(opt, step_size=o["step_size"], gamma=o["gamma"])
    if name == "multistep":
        return S.MultiStepLR(opt, milestones=o["milestones"], gamma=o["gamma"])
    if name == "exponential":
        return S.ExponentialLR(opt, gamma=o["gamma"])
    if name == "cosine":
        return S.CosineAnnealingLR(opt, T_max=o["t_max"], eta_min=o["eta_min"])
    if name == "cosine_warm_restarts":
        return S.CosineAnnealingWarmRestarts(opt, T_0=o["t_0"], T_mult=o["t_mult"], eta_min=o["eta_min"])
    if name == "linear":
        return S.LinearLR(opt, start_factor=o["start_factor"], end_factor=o["end_factor"], total_iters=o["total_iters"])
    if name == "inverse_sqrt":
        w = o["warmup_steps"]
        return S.LambdaLR(opt, lambda t: min((t + 1) / w, math.sqrt(w / (t + 1))))
    if name == "one_cycle":
        return S.OneCycleLR(opt, max_lr=o["max_lr"], total_steps=o["total_steps"], pct_start=o["pct_start"],
                            anneal_strategy=o["anneal_strategy"], div_factor=o["div_factor"],
                            final_div_factor=o["final_div_factor"], three_phase=o["three_phase"], cycle_momentum=False)
    if name == "polynomial":
        return S.PolynomialLR(opt, total_iters=o["total_iters"], power=o["power"])
    if name == "cyclic":
        down = o["step_size_down"] or None
        return S.CyclicLR(opt, base_lr=opt.param_groups[0]["lr"], max_lr=o["max_lr"], step_size_up=o["step_size_up"],
                          step_size_down=down, mode=o["mode"], gamma=o["gamma"], cycle_momentum=False)
    if name == "sequential":
        parts = [build(opt, p["name"], p) for p in o["schedules"]]
        return S.SequentialLR(opt, parts, milestones=o["milestones"])
    raise ValueError(name)


def direct_inverse_sqrt(base_lr, w, t):
    n = t + 1
    return base_lr * n / w if n < w else base_lr * math.sqrt(w) / math.sqrt(n)


def trajectory(name, options, base_lr):
    opt = optimizer(base_lr)
    sched = build(opt, name, options)
    lrs = []
    for t in range(STEPS):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    if name == "inverse_sqrt":
        for t, lr in enumerate(lrs):
            d = direct_inverse_sqrt(base_lr, options["warmup_steps"], t)
            assert abs(lr - d) <= 1e-12 * abs(d), (t, lr, d)
    return lrs


CASES = {
    "constant": [(0.1, {"factor": 1 / 3, "total_iters": 5}), (0.05, {"factor": 0.5, "total_iters": 120}), (0.2, {"factor": 1.0, "total_iters": 0})],
    "step": [(0.1, {"step_size": 30, "gamma": 0.1}), (1.0, {"step_size": 7, "gamma": 0.9})],
    "multistep": [(0.1, {"milestones": [100, 250, 400], "gamma": 0.1}), (0.5, {"milestones": [10, 10, 300], "gamma": 0.5})],
    "exponential": [(0.1, {"gamma": 0.99}), (1.0, {"gamma": 0.95})],
    "cosine": [(0.1, {"t_max": 10, "eta_min": 0.0}), (0.05, {"t_max": 500, "eta_min": 1e-4}), (1.0, {"t_max": 37, "eta_min": 0.01})],
    "cosine_warm_restarts": [(0.1, {"t_0": 10, "t_mult": 1, "eta_min": 0.0}), (0.05, {"t_0": 7, "t_mult": 2, "eta_min": 1e-3}),
                             (1.0, {"t_0": 3, "t_mult": 3, "eta_min": 0.0})],
    "linear": [(0.1, {"start_factor": 1 / 3, "end_factor": 1.0, "total_iters": 5}), (0.05, {"start_factor": 0.01, "end_factor": 1.0, "total_iters": 200}),
               (1.0, {"start_factor": 1.0, "end_factor": 0.1, "total_iters": 300})],
    "inverse_sqrt": [(0.001, {"warmup_steps": 40}), (0.5, {"warmup_steps": 1}), (0.1, {"warmup_steps": 400})],
    "one_cycle": [
        (0.1, {"max_lr": 0.1, "total_steps": 500, "pct_start": 0.3, "anneal_strategy": "cos", "div_factor": 25.0, "final_div_factor": 1e4, "three_phase": False}),
        (0.1, {"max_lr": 1.0, "total_steps": 500, "pct_start": 0.25, "anneal_strategy": "linear", "div_factor": 10.0, "final_div_factor": 100.0, "three_phase": True}),
        (0.1, {"max_lr": 0.5, "total_steps": 777, "pct_start": 0.1, "anneal_strategy": "cos", "div_factor": 25.0, "final_div_factor": 1e4, "three_phase": True}),
    ],
    "polynomial": [(0.1, {"total_iters": 5, "power": 1.0}), (0.05, {"total_iters": 300, "power": 2.0}),
                   (1.0, {"total_iters": 450, "power": 0.5})],
    "cyclic": [(0.001, {"max_lr": 0.1, "step_size_up": 50, "step_size_down": 0, "mode": "triangular", "gamma": 1.0}),
               (0.01, {"max_lr": 0.5, "step_size_up": 30, "step_size_down": 70, "mode": "triangular2", "gamma": 1.0}),
               (0.001, {"max_lr": 0.05, "step_size_up": 20, "step_size_down": 0, "mode": "exp_range", "gamma": 0.995})],
    "sequential": [
        (0.1, {"schedules": [{"name": "linear", "start_factor": 0.1, "end_factor": 1.0, "total_iters": 20},
                             {"name": "cosine", "t_max": 480, "eta_min": 0.0}], "milestones": [20]}),
        (0.5, {"schedules": [{"name": "constant", "factor": 0.1, "total_iters": 10},
                             {"name": "exponential", "gamma": 0.99},
                             {"name": "step", "step_size": 50, "gamma": 0.5}], "milestones": [10, 200]}),
    ],
}


ONE_CYCLE_END = [
    (0.1, {"max_lr": 0.1, "total_steps": 100, "pct_start": 0.3, "anneal_strategy": "cos", "div_factor": 25.0, "final_div_factor": 1e4, "three_phase": False}),
    (0.1, {"max_lr": 1.0, "total_steps": 60, "pct_start": 0.25, "anneal_strategy": "linear", "div_factor": 10.0, "final_div_factor": 100.0, "three_phase": True}),
    (0.1, {"max_lr": 0.5, "total_steps": 7, "pct_start": 0.4, "anneal_strategy": "cos", "div_factor": 5.0, "final_div_factor": 10.0, "three_phase": True}),
    (0.1, {"max_lr": 0.2, "total_steps": 13, "pct_start": 0.5, "anneal_strategy": "linear", "div_factor": 25.0, "final_div_factor": 1e4, "three_phase": False}),
]


def one_cycle_end():
    cases = []
    for b, o in ONE_CYCLE_END:
        opt = optimizer(b)
        sched = build(opt, "one_cycle", o)
        lrs = [opt.param_groups[0]["lr"]]
        for t in range(o["total_steps"]):
            opt.step()
            sched.step()
            lrs.append(opt.param_groups[0]["lr"])
        try:  # one more step is torch's error: the fixture ends where torch does
            sched.step()
            raise AssertionError("OneCycleLR stepped past total_steps without an error")
        except ValueError:
            pass
        cases.append({"options": o, "base_lr": b, "lr": lrs})
    return {"schedule": "one_cycle", "cases": cases}


MOMENTUM_STEPS = 60
QUADRATIC_D = [1.0, 3.0, 10.0, 100.0]
QUADRATIC_X0 = [2.0, -1.5, 1.0, 0.5]
ONE_CYCLE = {"max_lr": 0.01, "total_steps": MOMENTUM_STEPS, "pct_start": 0.3, "anneal_strategy": "cos", "div_factor": 25.0,
             "final_div_factor": 1e4, "three_phase": False, "cycle_momentum": True, "base_momentum": 0.85, "max_momentum": 0.95}
CYCLIC = {"max_lr": 0.01, "step_size_up": 10, "step_size_down": 15, "mode": "triangular", "gamma": 1.0, "cycle_momentum": True,
          "base_momentum": 0.8, "max_momentum": 0.9}
MOMENTUM_CASES = [
    ("one_cycle", ONE_CYCLE, "sgd", {"lr": 0.01, "momentum": 0.9}),
    ("one_cycle", dict(ONE_CYCLE, three_phase=True, anneal_strategy="linear", base_momentum=0.8, max_momentum=0.9), "sgd",
     {"lr": 0.01, "momentum": 0.9, "nesterov": True}),
    ("one_cycle", dict(ONE_CYCLE, max_lr=0.05), "adam", {"lr": 0.001}),
    ("one_cycle", dict(ONE_CYCLE, max_lr=0.05, three_phase=True, base_momentum=0.7, max_momentum=0.9), "adamw",
     {"lr": 0.001, "weight_decay": 0.01}),
    ("one_cycle", dict(ONE_CYCLE, max_lr=0.005), "rmsprop", {"lr": 0.01}),
    ("one_cycle", dict(ONE_CYCLE, max_lr=0.05), "adamax", {"lr": 0.002}),
    ("one_cycle", dict(ONE_CYCLE, max_lr=0.05), "nadam", {"lr": 0.002}),
    ("one_cycle", dict(ONE_CYCLE, max_lr=0.05), "radam", {"lr": 0.001}),
    ("cyclic", CYCLIC, "sgd", {"lr": 0.001, "momentum": 0.9}),
    ("cyclic", dict(CYCLIC, mode="triangular2", step_size_down=0), "sgd", {"lr": 0.001, "momentum": 0.0, "dampening": 0.1}),
    ("cyclic", dict(CYCLIC, max_lr=0.05, mode="exp_range", gamma=0.99), "adam", {"lr": 0.002}),
]
OPTIMIZERS = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW, "rmsprop": torch.optim.RMSprop,
              "adamax": torch.optim.Adamax, "nadam": torch.optim.NAdam, "radam": torch.optim.RAdam}


def cycled_scheduler(opt, name, o):
    if name == "one_cycle":
        return S.OneCycleLR(opt, max_lr=o["max_lr"], total_steps=o["total_steps"], pct_start=o["pct_start"],
                            anneal_strategy=o["anneal_strategy"], div_factor=o["div_factor"], final_div_factor=o["final_div_factor"],
                            three_phase=o["three_phase"], cycle_momentum=True, base_momentum=o["base_momentum"],
                            max_momentum=o["max_momentum"])
    return S.CyclicLR(opt, base_lr=opt.param_groups[0]["lr"], max_lr=o["max_lr"], step_size_up=o["step_size_up"],
                      step_size_down=o["step_size_down"] or None, mode=o["mode"], gamma=o["gamma"], cycle_momentum=True,
                      base_momentum=o["base_momentum"], max_momentum=o["max_momentum"])


def momentum_case(schedule, options, name, opt_options):
    x = torch.nn.Parameter(torch.tensor(QUADRATIC_X0))
    d = torch.tensor(QUADRATIC_D)
    opt = OPTIMIZERS[name]([x], **opt_options)
    betas = "betas" in opt.defaults
    stand_in = None
    if schedule == "cyclic" and betas:  # torch 1.13's CyclicLR needs a momentum option: drive a stand-in SGD, copy into betas[0]
        stand_in = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=opt_options["lr"], momentum=0.9)
        sched = cycled_scheduler(stand_in, schedule, options)
    else:
        sched = cycled_scheduler(opt, schedule, options)
    group = opt.param_groups[0]
    lrs, momenta, xs = [], [], []
    for t in range(MOMENTUM_STEPS):
        if stand_in is not None:
            group["lr"] = stand_in.param_groups[0]["lr"]
            group["betas"] = (stand_in.param_groups[0]["momentum"], group["betas"][1])
        lrs.append(group["lr"])
        momenta.append(group["betas"][0] if betas else group["momentum"])
        x.grad = d * x.detach()
        opt.step()
        xs.append([float(v) for v in x.detach().tolist()])
        if stand_in is not None:
            stand_in.step()
        sched.step()
    assert len(set(momenta)) > 5, (schedule, name, momenta)
    return {"schedule": schedule, "options": options, "optimizer": name, "optimizer_options": opt_options, "lr": lrs, "momentum": momenta,
            "x": xs}


def val_curve():
    """60 epochs of a made-up validation loss with plateaus, noise and a late rise."""
    out = []
    for e in range(60):
        if e < 8:
            v = 2.0 - 0.2 * e
        elif e < 25:
            v = 0.45 + 0.0001 * ((e * 7) % 5)
        elif e < 35:
            v = 0.45 - 0.01 * (e - 24)
        elif e < 50:
            v = 0.35 + 0.002 * ((e * 3) % 4)
        else:
            v = 0.34 + 0.01 * (e - 50)
        out.append(round(v, 6))
    return out


PLATEAU = [
    ("min", {"mode": "min", "factor": 0.1, "patience": 10, "threshold": 1e-4, "threshold_mode": "rel", "cooldown": 0, "min_lr": 0.0, "eps": 1e-8}),
    ("min", {"mode": "min", "factor": 0.5, "patience": 2, "threshold": 0.005, "threshold_mode": "abs", "cooldown": 3, "min_lr": 0.004, "eps": 1e-8}),
    ("max", {"mode": "max", "factor": 0.3, "patience": 3, "threshold": 0.01, "threshold_mode": "rel", "cooldown": 1, "min_lr": 0.0, "eps": 1e-8}),
    ("max", {"mode": "max", "factor": 0.5, "patience": 0, "threshold": 0.001, "threshold_mode": "abs", "cooldown": 2, "min_lr": 1e-3, "eps": 1e-2}),
]


def plateau(options, metrics, base_lr):
    opt = optimizer(base_lr)
    sched = S.ReduceLROnPlateau(opt, **options)
    lrs = [opt.param_groups[0]["lr"]]
    for m in metrics:
        sched.step(m)
        lrs.append(opt.param_groups[0]["lr"])
    return lrs


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, cases in CASES.items():
        data = {"schedule": name, "cases": [{"options": o, "base_lr": b, "lr": trajectory(name, o, b)} for b, o in cases]}
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump(data, f)
    with open(os.path.join(OUT, "one_cycle_end.json"), "w") as f:
        json.dump(one_cycle_end(), f)
    with open(os.path.join(OUT, "momentum_cycle.json"), "w") as f:
        json.dump({"d": QUADRATIC_D, "x0": QUADRATIC_X0, "cases": [momentum_case(*c) for c in MOMENTUM_CASES]}, f)
    loss = val_curve()
    accuracy = [round(1 - v / 2.5, 6) for v in loss]
    cases = []
    for mode, o in PLATEAU:
        metrics = loss if mode == "min" else accuracy
        cases.append({"options": o, "base_lr": 0.1, "metrics": metrics, "lr": plateau(o, metrics, 0.1)})
    with open(os.path.join(OUT, "reduce_on_plateau.json"), "w") as f:
        json.dump({"schedule": "reduce_on_plateau", "cases": cases}, f)


if __name__ == "__main__":
    main()
