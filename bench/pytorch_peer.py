#!/usr/bin/env python3
"""PyTorch CPU peer of TrainingThroughput.java: same models, batch, optimizer and synthetic inputs.

Usage: python3 bench/pytorch_peer.py [mlp|cnn|both] [measured batches]
Run with 2 threads, as the Ravine side (torch.set_num_threads(2)).
"""
import sys
import time

import torch
import torch.nn as nn

torch.set_num_threads(2)
ROUNDS = 5


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))


def cnn():
    return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))


def report(name, model, measured):
    batch = 128
    g = torch.Generator().manual_seed(2)
    x = torch.randn(batch, 1, 28, 28, generator=g)
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


def main():
    which = sys.argv[1] if len(sys.argv) > 1 else "both"
    batches = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    print(f"pytorch {torch.__version__}: {torch.get_num_threads()} threads")
    if which != "cnn":
        report("mlp", mlp(), batches or 100)
    if which != "mlp":
        report("cnn", cnn(), batches or 30)


if __name__ == "__main__":
    main()
