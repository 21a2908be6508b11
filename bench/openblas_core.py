"""Which OpenBLAS kernels the PyTorch peers run, and the best ones this CPU can run where auto-detection falls short.

OpenBLAS (Debian 0.3.21, DYNAMIC_ARCH) picks its kernels from the CPU model number. A model it does not know (the
Intel Xeon of 2026-12-03, family 6 model 207) falls back to Prescott, its SSE3 kernels: torch.mm then ran 62-65
GFLOP/s where the AVX-512 ones run several times that. A comparison against that fallback would flatter Ravine, so
the peers call choose() before importing torch: when OPENBLAS_CORETYPE is not set and the core OpenBLAS detects
lacks an instruction set the CPU has, it sets the best core the CPU's flags allow. in_use() names the core loaded.
"""
import ctypes
import os
import subprocess
import sys

# OpenBLAS 0.3.21's x86-64 cores, best first, with the CPU flags each one's kernels need.
CORES = [
    ("Cooperlake", {"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl", "avx512_bf16"}),
    ("SkylakeX", {"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"}),
    ("Haswell", {"avx2", "fma"}),
    ("Sandybridge", {"avx"}),
]

_PROBE = ("import torch, openblas_core; torch.mm(torch.ones(8, 8), torch.ones(8, 8)); "
          "print(openblas_core.in_use())")


def in_use():
    """The core of the OpenBLAS library this process has loaded (after torch's first product), or 'none'."""
    for line in open("/proc/self/maps"):
        path = line.split()[-1]
        if "libopenblas" in path:
            lib = ctypes.CDLL(path)  # the already loaded library: dlopen hands back the same handle
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return lib.openblas_get_corename().decode()
    return "none"


def best_for_this_cpu():
    """The best core in CORES whose flags /proc/cpuinfo lists, or None."""
    flags = set()
    for line in open("/proc/cpuinfo"):
        if line.startswith("flags"):
            flags = set(line.split(":", 1)[1].split())
            break
    return next((name for name, needs in CORES if needs <= flags), None)


def detected():
    """The core OpenBLAS picks by itself, from a child process (the choice is made once, when the library loads)."""
    env = {key: value for key, value in os.environ.items() if key != "OPENBLAS_CORETYPE"}
    out = subprocess.run([sys.executable, "-c", _PROBE], env=env, cwd=os.path.dirname(os.path.abspath(__file__)),
                         capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def choose():
    """Sets OPENBLAS_CORETYPE to the best core for this CPU where it is unset and auto-detection picks a weaker one;
    returns a line saying which core the peer will run and why."""
    if os.environ.get("OPENBLAS_CORETYPE"):
        return f"OpenBLAS core {os.environ['OPENBLAS_CORETYPE']} (OPENBLAS_CORETYPE as given)"
    best, auto = best_for_this_cpu(), detected()
    ranked = [name for name, _ in CORES]
    if best is not None and (auto not in ranked or ranked.index(auto) > ranked.index(best)):
        os.environ["OPENBLAS_CORETYPE"] = best
        return f"OpenBLAS core {best} (set: its auto-detection picked {auto}, which lacks this CPU's instructions)"
    return f"OpenBLAS core {auto} (auto-detected)"
