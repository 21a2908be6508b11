#!/usr/bin/env python3
"""Predicts steps/s of Ravine's synchronous data-parallel training for N workers from one measured step.

The model is the ring all-reduce's: each step every worker sends (and receives) 2(N-1)/N of the gradient message
(4 bytes per float: parameters, BatchNorm running statistics and one flag per parameter tensor) in 2(N-1) messages,
after its backward pass and before its optimizer step (Ravine does not overlap the two), so

    t_step(N) = t_compute + 2(N-1)/N * 8 * bytes / bandwidth + 2(N-1) * latency

with t_compute the measured computation of one worker's shard (weak scaling: each worker keeps its batch share, the
global batch grows with N). Usage:
    bench/spark_cost_model.py NAME FLOATS COMPUTE_MS SHARD_ROWS [LATENCY_US]
e.g. bench/spark_cost_model.py fashion-mlp 408078 31.5 64
"""
import sys


def step_seconds(n: int, message_bytes: float, compute_s: float, gbit: float, latency_s: float) -> float:
    if n == 1:
        return compute_s
    transfer = 2 * (n - 1) / n * message_bytes * 8 / (gbit * 1e9)
    return compute_s + transfer + 2 * (n - 1) * latency_s


def main() -> None:
    if len(sys.argv) < 5:
        print(__doc__)
        sys.exit(2)
    name, floats, compute_ms, shard = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    latency_us = float(sys.argv[5]) if len(sys.argv) > 5 else 50.0
    message = 4 * floats
    compute = compute_ms / 1000
    print(f"{name}: {floats} floats = {message / 1e6:.2f} MB per all-reduce; measured computation {compute_ms:.1f} ms per step "
          f"of {shard} rows per worker; latency {latency_us:.0f} us per message (assumed)")
    print(f"{'N':>5} {'Gbit/s':>7} {'sent/worker MB':>15} {'comm ms':>8} {'steps/s':>8} {'samples/s':>10} {'efficiency':>10}")
    for n in (8, 64, 256):
        for gbit in (10, 100):
            t = step_seconds(n, message, compute, gbit, latency_us / 1e6)
            sent = 2 * (n - 1) / n * message / 1e6
            print(f"{n:>5} {gbit:>7} {sent:>15.2f} {(t - compute) * 1000:>8.2f} {1 / t:>8.2f} {n * shard / t:>10.0f} {compute / t:>10.1%}")


if __name__ == "__main__":
    main()
