#!/usr/bin/env python3
"""torch.mm (PyTorch 1.13, OpenBLAS) on the shapes GemmFlops measures: best of five one-second rounds, 2 threads
(BLAS_PEER_THREADS=N for another count, e.g. 1 to compare with GemmFlops under -Dravine.threads=1).

Usage: python3 bench/blas_peer.py m k n [NN|NT|TN|TT]   (same arguments and output format as GemmFlops)
OpenBLAS runs the best core for this CPU where its auto-detection falls back (openblas_core.py).
Also prints GFLOP per CPU-second of the process x threads, the loaded-machine estimate GemmFlops prints too.
"""
import os
import sys
import time

import openblas_core

openblas_core.choose()  # before torch loads OpenBLAS, which reads the core type once
import torch  # noqa: E402

torch.set_num_threads(int(os.environ.get("BLAS_PEER_THREADS", "2")))


def main():
    m, k, n = (int(v) for v in sys.argv[1:4]) if len(sys.argv) >= 4 else (1024, 1024, 1024)
    trans = sys.argv[4] if len(sys.argv) >= 5 else "NN"
    g = torch.Generator().manual_seed(42)
    a = torch.rand(k, m, generator=g).t() if trans[0] == "T" else torch.rand(m, k, generator=g)
    b = torch.rand(n, k, generator=g).t() if trans[1] == "T" else torch.rand(k, n, generator=g)
    c = torch.empty(m, n)
    for _ in range(20):
        torch.mm(a, b, out=c)
    best = best_cpu = 0.0
    for _ in range(5):
        t0, c0, calls = time.perf_counter(), time.process_time(), 0
        while time.perf_counter() - t0 < 1.0:
            torch.mm(a, b, out=c)
            calls += 1
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        best, best_cpu = max(best, calls / wall), max(best_cpu, calls / cpu)
    flops = 2.0 * m * n * k / 1e9
    name = f"{m}^3" if m == n == k else f"{m}x{k}x{n} {trans}"
    threads = torch.get_num_threads()
    core = openblas_core.in_use()
    print(f"torch.mm {name}: {best * flops:.1f} GFLOP/s (openblas {core}, {threads} threads); "
          f"{best_cpu * flops * threads:.1f} per CPU-second x {threads} threads")


if __name__ == "__main__":
    main()
