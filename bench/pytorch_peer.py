#!/usr/bin/env python3
"""PyTorch CPU peer of TrainingThroughput.java: same workloads, models, batches, optimizer and synthetic inputs.

Usage: python3 bench/pytorch_peer.py [workload ... | both | all] [--batches N]
Workloads: mlp cnn mlp-b32 mlp-b512 cnn-b32 cnn-b512 lstm rescnn (see TrainingThroughput.java).
Run with 2 threads, as the Ravine side (torch.set_num_threads(2)). Prints the process's peak RSS last.
OpenBLAS runs the best core for this CPU where its auto-detection falls back (openblas_core.py).
"""
import resource
import sys
import time

import openblas_core

OPENBLAS_CORE = openblas_core.choose()  # before torch loads OpenBLAS, which reads the core type once
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

torch.set_num_threads(2)
ROUNDS = 5
WORKLOADS = ["mlp", "cnn", "mlp-b32", "mlp-b512", "cnn-b32", "cnn-b512", "lstm", "rescnn"]


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))


def cnn():
    return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))


class LastStep(nn.Module):
    """LSTM over the sequence, then the last step's hidden state."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(32, 128, batch_first=True)

    def forward(self, x):
        return self.lstm(x)[0][:, -1, :]


def lstm():
    return nn.Sequential(LastStep(), nn.Linear(128, 10))


class Residual(nn.Module):
    def __init__(self, block):
        super().__init__()
        self.block = block

    def forward(self, x):
        return self.block(x) + x


def conv(cin, cout):
    return nn.Conv2d(cin, cout, 3, padding=1)


def rescnn():
    return nn.Sequential(conv(3, 16), nn.ReLU(), Residual(nn.Sequential(conv(16, 16), nn.ReLU(), conv(16, 16))), nn.ReLU(),
                         nn.MaxPool2d(2), conv(16, 32), nn.ReLU(),
                         Residual(nn.Sequential(conv(32, 32), nn.ReLU(), conv(32, 32))), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(32 * 8 * 8, 10))


def report(name, model, sample, batch, measured):
    g = torch.Generator().manual_seed(2)
    x = torch.randn(batch, *sample, generator=g)
    y = torch.randint(0, 10, (batch,), generator=g)
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()

    for _ in range(max(5, measured // 4)):
        step()
    # Five rounds, median reported, as the Ravine side does.
    rates = []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        for _ in range(measured):
            step()
        rates.append(measured * batch / (time.perf_counter() - t0))
    rates.sort()
    print(f"{name}: {rates[ROUNDS // 2]:.0f} samples/s (median of {ROUNDS} rounds of {measured} batches of {batch}; "
          f"min {rates[0]:.0f}, max {rates[-1]:.0f})")


def run(name, batches):
    batch = 32 if name.endswith("-b32") else 512 if name.endswith("-b512") else 128
    model = name.split("-")[0]
    if model == "mlp":
        report(name, mlp(), (1, 28, 28), batch, batches or 100 * 128 // batch)
    elif model == "cnn":
        report(name, cnn(), (1, 28, 28), batch, batches or 30 * 128 // batch)
    elif model == "lstm":
        report(name, lstm(), (50, 32), batch, batches or 20)
    else:
        report(name, rescnn(), (3, 32, 32), batch, batches or 10)


def main():
    names, batches, args = [], 0, sys.argv[1:]
    while args:
        arg = args.pop(0)
        if arg == "--batches":
            batches = int(args.pop(0))
        elif arg == "both":
            names += ["mlp", "cnn"]
        elif arg == "all":
            names += WORKLOADS
        elif arg in WORKLOADS:
            names.append(arg)
        else:
            sys.exit(f"unknown workload '{arg}': expected one of {WORKLOADS}, both or all")
    print(f"pytorch {torch.__version__}: {torch.get_num_threads()} threads; {OPENBLAS_CORE}")
    for name in names or ["mlp", "cnn"]:
        run(name, batches)
    print(f"pytorch: peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")


if __name__ == "__main__":
    main()
