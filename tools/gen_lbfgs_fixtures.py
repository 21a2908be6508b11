#!/usr/bin/python3
"""Generates torch.optim.LBFGS (torch 1.13) trajectories that LbfgsTest replays with dev.ravine.optim.Lbfgs.

Run with the system Python that has PyTorch:  /usr/bin/python3 tools/gen_lbfgs_fixtures.py

One JSON file per setting under ravine-core/src/test/resources/fixtures/lbfgs/<name>.json:
  steps              the number of outer optimizer.step(closure) calls
  options            the LBFGS options (torch's names), used for both problems
  <problem>.init.<p> {"shape", "data"}: the start
  <problem>.values.<p> {"shape", "data"}: [steps, ...], the parameters after each step
  <problem>.losses   {"shape", "data"}: [steps], the loss each step returned (its first closure evaluation)
  <problem>.func_evals / <problem>.n_iter  torch's state counters at the end
for the problems
  quadratic   0.5 * sum(d * x * x), d = (1, 100), x0 = (2, 1.5)   (ill-conditioned)
  rosenbrock  (1 - x)^2 + 100 (y - x^2)^2 from (-1.5, 2)
Everything is float32; floats are written with Python's repr of the float32 value, so they round-trip exactly.
"""
import json
import os

import torch

torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)
torch.set_default_dtype(torch.float32)

OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ravine-core", "src", "test",
                                    "resources", "fixtures", "lbfgs"))
STEPS = 30


def enc(t):
    t = t.detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def quadratic():
    d = torch.tensor([1.0, 100.0])
    return {"x": torch.tensor([2.0, 1.5])}, lambda p: (p["x"] * p["x"] * d).sum() * 0.5


def rosenbrock():
    def f(p):
        a = 1 - p["x"]
        b = p["y"] - p["x"] * p["x"]
        return (a * a + b * b * 100).sum()
    return {"x": torch.tensor([-1.5]), "y": torch.tensor([2.0])}, f


PROBLEMS = {"quadratic": quadratic, "rosenbrock": rosenbrock}

CASES = [
    ("none_iter5", {"max_iter": 5}),
    ("wolfe_iter5", {"max_iter": 5, "line_search_fn": "strong_wolfe"}),
    ("wolfe_history3", {"max_iter": 5, "history_size": 3, "line_search_fn": "strong_wolfe"}),
    ("none_lr05_history3", {"max_iter": 4, "lr": 0.5, "history_size": 3}),
    ("wolfe_lr05_maxeval", {"max_iter": 6, "lr": 0.5, "max_eval": 5, "line_search_fn": "strong_wolfe"}),
]


def case(file, options):
    entries = {"steps": STEPS, "options": options}
    for problem, make in PROBLEMS.items():
        init, f = make()
        ps = {n: t.clone().requires_grad_(True) for n, t in init.items()}
        for n, t in init.items():
            entries[problem + ".init." + n] = enc(t)
        opt = torch.optim.LBFGS(list(ps.values()), **options)

        def closure():
            opt.zero_grad(set_to_none=True)
            loss = f(ps)
            loss.backward()
            return loss

        values = {n: [] for n in ps}
        losses = []
        for _ in range(STEPS):
            losses.append(float(opt.step(closure)))
            for n, p in ps.items():
                values[n].append(p.detach().clone())
        for n in ps:
            entries[problem + ".values." + n] = enc(torch.stack(values[n]))
        entries[problem + ".losses"] = enc(torch.tensor(losses))
        state = opt.state[list(ps.values())[0]]
        entries[problem + ".func_evals"] = state["func_evals"]
        entries[problem + ".n_iter"] = state["n_iter"]
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, file + ".json")
    lines = [json.dumps(k) + ":" + json.dumps(v, separators=(",", ":")) for k, v in entries.items()]
    with open(path, "w") as fh:
        fh.write("{\n" + ",\n".join(lines) + "\n}\n")
    return entries


if __name__ == "__main__":
    for name, options in CASES:
        e = case(name, options)
        print(name, {p: (e[p + ".values." + ("x")]["data"][-2:], e[p + ".func_evals"], e[p + ".n_iter"]) for p in PROBLEMS})
