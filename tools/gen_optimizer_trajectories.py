#!/usr/bin/python3
"""Generates 200-step torch.optim trajectories that OptimizerTrajectoryTest replays with Ravine's optimizers.

Run with the system Python that has PyTorch:  /usr/bin/python3 tools/gen_optimizer_trajectories.py

One JSON file per optimizer setting under ravine-core/src/test/resources/fixtures/optim_traj/<name>.json:
  optimizer        the registry name (Optimizers.byName)
  steps            200
  recorded         the 1-based steps after which the parameters were recorded
  <problem>.options  the options passed to both torch and Optimizers.byName (pairs as two-element lists)
  <problem>.init.<p> / <problem>.values.<p>  {"shape", "data"} tensors: start and recorded values ([len(recorded), ...])
for the problems
  quadratic   0.5 * sum(d * x * x), d = (1, 100), x0 = (2, 1.5)          (ill-conditioned)
  rosenbrock  (1 - x)^2 + 100 (y - x^2)^2 from (-1.5, 2)
  mlp         4-8-3 tanh MLP, cross-entropy on 16 fixed samples (mlp.input, mlp.target), fixed initial weights
The Java test recomputes each loss and its gradients in float32 with Ravine every step. For the settings in
SIGN_SENSITIVE (Rprop, and RMSprop with a small eps, whose updates hinge on gradient signs or tiny second moments),
a last-ulp difference in an MLP gradient grows into a different trajectory within ~50 steps, so those fixtures also
hold torch's MLP gradient at every step (mlp.grads.<p>, [steps, ...]): the test checks Ravine's gradient against it
and then feeds torch's gradient to the optimizer. Everything is float32, and
floats are written with Python's repr of the float32 value, so they round-trip exactly.
"""
import json
import os
import zlib

import torch
import torch.nn.functional as F

torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)
torch.set_default_dtype(torch.float32)

OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ravine-core", "src", "test",
                                    "resources", "fixtures", "optim_traj"))
STEPS = 200
RECORDED = [1, 2, 3, 4, 5] + list(range(10, STEPS + 1, 10))
CLASSES = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW,
           "adagrad": torch.optim.Adagrad, "adadelta": torch.optim.Adadelta, "rmsprop": torch.optim.RMSprop,
           "adamax": torch.optim.Adamax, "nadam": torch.optim.NAdam, "radam": torch.optim.RAdam,
           "rprop": torch.optim.Rprop}
FOREACH = {"sgd", "adam", "adamw", "adagrad", "adadelta", "rmsprop", "adamax", "nadam", "radam", "rprop"}


def enc(t):
    t = t.detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def quadratic():
    d = torch.tensor([1.0, 100.0])
    params = {"x": torch.tensor([2.0, 1.5])}
    return params, lambda p: (p["x"] * p["x"] * d).sum() * 0.5, {}


def rosenbrock():
    params = {"x": torch.tensor([-1.5]), "y": torch.tensor([2.0])}

    def f(p):
        a = 1 - p["x"]
        b = p["y"] - p["x"] * p["x"]
        return (a * a + b * b * 100).sum()
    return params, f, {}


def mlp():
    g = torch.Generator().manual_seed(zlib.crc32(b"optim_traj/mlp") & 0x7FFFFFFF)
    params = {"w1": torch.randn(8, 4, generator=g) * 0.5, "b1": torch.randn(8, generator=g) * 0.1,
              "w2": torch.randn(3, 8, generator=g) * 0.5, "b2": torch.randn(3, generator=g) * 0.1}
    x = torch.randn(16, 4, generator=g)
    target = torch.randint(0, 3, (16,), generator=g)

    def f(p):
        h = torch.tanh(x @ p["w1"].t() + p["b1"])
        return F.cross_entropy(h @ p["w2"].t() + p["b2"], target)
    return params, f, {"mlp.input": enc(x), "mlp.target": enc(target.to(torch.float32))}


PROBLEMS = {"quadratic": quadratic, "rosenbrock": rosenbrock, "mlp": mlp}


def torch_options(name, options):
    out = {k: tuple(v) if isinstance(v, list) else v for k, v in options.items()}
    if name in FOREACH:
        out["foreach"] = False
    return out


SIGN_SENSITIVE = {"rmsprop_alpha_eps_wd", "rprop_etas", "rprop_step_sizes"}


def case(file, name, options, lrs):
    entries = {"optimizer": name, "steps": STEPS, "recorded": RECORDED}
    for problem, make in PROBLEMS.items():
        params, f, extra = make()
        opts = dict(options)
        if "lr" not in opts:
            opts["lr"] = lrs[problem]
        entries[problem + ".options"] = opts
        entries.update(extra)
        ps = {n: t.clone().requires_grad_(True) for n, t in params.items()}
        for n, t in params.items():
            entries[problem + ".init." + n] = enc(t)
        opt = CLASSES[name](list(ps.values()), **torch_options(name, opts))
        values = {n: [] for n in ps}
        grads = {n: [] for n in ps}
        for step in range(1, STEPS + 1):
            opt.zero_grad(set_to_none=True)
            f(ps).backward()
            for n, p in ps.items():
                grads[n].append(p.grad.detach().clone())
            opt.step()
            if step in RECORDED:
                for n, p in ps.items():
                    values[n].append(p.detach().clone())
        for n in ps:
            entries[problem + ".values." + n] = enc(torch.stack(values[n]))
            if problem == "mlp" and file in SIGN_SENSITIVE:
                entries[problem + ".grads." + n] = enc(torch.stack(grads[n]))
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, file + ".json")
    lines = [json.dumps(k) + ":" + json.dumps(v, separators=(",", ":")) for k, v in entries.items()]
    with open(path, "w") as fh:
        fh.write("{\n" + ",\n".join(lines) + "\n}\n")
    return os.path.getsize(path)


ADAM_LR = {"quadratic": 0.05, "rosenbrock": 0.02, "mlp": 0.01}
# RAdam takes plain momentum steps of size lr * m until rho_t > 5: smaller rates keep those stable.
RADAM_LR = {"quadratic": 0.005, "rosenbrock": 2e-4, "mlp": 0.01}
CASES = [
    ("sgd_nesterov_wd", "sgd", {"momentum": 0.9, "nesterov": True, "weight_decay": 1e-3},
     {"quadratic": 0.01, "rosenbrock": 2e-4, "mlp": 0.1}),
    ("sgd_dampening_wd", "sgd", {"momentum": 0.8, "dampening": 0.2, "weight_decay": 0.01},
     {"quadratic": 0.01, "rosenbrock": 2e-4, "mlp": 0.1}),
    ("adam_betas_eps_wd", "adam", {"betas": [0.8, 0.99], "eps": 1e-6, "weight_decay": 1e-3}, ADAM_LR),
    ("adam_amsgrad_wd", "adam", {"amsgrad": True, "weight_decay": 0.01}, ADAM_LR),
    ("adamw_betas_wd", "adamw", {"betas": [0.85, 0.995], "weight_decay": 0.1}, ADAM_LR),
    ("adamw_amsgrad_eps", "adamw", {"amsgrad": True, "weight_decay": 0.05, "eps": 1e-6}, ADAM_LR),
    ("adagrad_decay_initial", "adagrad", {"lr_decay": 0.01, "initial_accumulator_value": 0.1},
     {"quadratic": 0.5, "rosenbrock": 0.1, "mlp": 0.1}),
    ("adagrad_wd_eps", "adagrad", {"weight_decay": 0.01, "eps": 1e-6}, {"quadratic": 0.5, "rosenbrock": 0.1, "mlp": 0.1}),
    ("adadelta_rho_eps", "adadelta", {"rho": 0.95, "eps": 1e-5}, {"quadratic": 1.0, "rosenbrock": 1.0, "mlp": 1.0}),
    ("adadelta_wd_lr", "adadelta", {"rho": 0.8, "weight_decay": 0.01, "lr": 0.5}, {}),
    ("rmsprop_alpha_eps_wd", "rmsprop", {"alpha": 0.9, "eps": 1e-6, "weight_decay": 1e-3},
     {"quadratic": 0.01, "rosenbrock": 0.005, "mlp": 0.002}),
    ("rmsprop_centered_momentum", "rmsprop", {"centered": True, "momentum": 0.5},
     {"quadratic": 0.01, "rosenbrock": 0.005, "mlp": 0.01}),
    ("adamax_betas_eps", "adamax", {"betas": [0.8, 0.99], "eps": 1e-6}, ADAM_LR),
    ("adamax_wd", "adamax", {"weight_decay": 0.01}, ADAM_LR),
    ("nadam_betas_decay", "nadam", {"betas": [0.85, 0.99], "momentum_decay": 0.01}, ADAM_LR),
    ("nadam_wd_eps", "nadam", {"weight_decay": 0.01, "eps": 1e-6}, ADAM_LR),
    ("radam_betas", "radam", {"betas": [0.8, 0.99]}, RADAM_LR),
    ("radam_wd_eps", "radam", {"weight_decay": 0.01, "eps": 1e-6}, RADAM_LR),
    ("rprop_etas", "rprop", {"etas": [0.4, 1.3]}, {"quadratic": 0.01, "rosenbrock": 0.01, "mlp": 0.001}),
    ("rprop_step_sizes", "rprop", {"step_sizes": [1e-4, 0.05]}, {"quadratic": 0.05, "rosenbrock": 0.05, "mlp": 0.002}),
]

if __name__ == "__main__":
    total = sum(case(*c) for c in CASES)
    print("wrote %d trajectory fixtures, %d bytes, under %s (torch %s)" % (len(CASES), total, OUT, torch.__version__))
