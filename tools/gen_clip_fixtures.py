#!/usr/bin/python3
"""Reference fixtures for Ravine's gradient clipping: torch.nn.utils.clip_grad_norm_ with p = 2, 1, 3 and inf, and
clip_grad_value_, plus gradients holding a NaN or an infinity (torch scales by max_norm / (total + 1e-6) clamped to 1
whatever the total, so a NaN total makes every gradient NaN, an infinite one zeroes the finite entries and makes the
infinite ones NaN).

Run with the system Python that has PyTorch:  /usr/bin/python3 tools/gen_clip_fixtures.py

Each case is ravine-core/src/test/resources/fixtures/clip/<name>.json (the format of tools/gen_fixtures.py):
param_names, grad.<p> (the gradient before clipping), clipped.<p> (after), max_norm or clip_value, norm_type
(a number, or the string "inf"), total_norm (clip_grad_norm_'s return value, the norm before clipping). JSON has no
NaN or infinity: such values are written as the strings "NaN", "Infinity" and "-Infinity".
ClipFixturesTest feeds grad.<p> to ClipByGlobalNorm / ClipByValue and compares.
"""
import json
import math
import os
import zlib

import torch

torch.set_default_dtype(torch.float32)
OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ravine-core", "src", "test",
                                    "resources", "fixtures", "clip"))


def num(v):
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def enc(t):
    t = t.detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [num(v) for v in t.reshape(-1).tolist()]}


def write(name, entries):
    os.makedirs(OUT, exist_ok=True)
    lines = [json.dumps(k) + ":" + json.dumps(v, separators=(",", ":")) for k, v in entries.items()]
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        f.write("{\n" + ",\n".join(lines) + "\n}\n")


def params(name):
    torch.manual_seed(zlib.crc32(name.encode()) & 0x7FFFFFFF)
    shapes = {"w1": (8, 5), "b1": (8,), "w2": (3, 8), "b2": (3,)}
    ps = {}
    for n, s in shapes.items():
        p = torch.zeros(s, requires_grad=True)
        p.grad = torch.randn(s) * 2
        ps[n] = p
    return ps


def norm_case(name, max_norm, norm_type, poison=None):
    """poison: (parameter, flat index, value) written into that gradient before clipping."""
    ps = params(name)
    if poison is not None:
        n, i, v = poison
        ps[n].grad.view(-1)[i] = v
    entries = {"param_names": list(ps), "max_norm": max_norm, "norm_type": "inf" if math.isinf(norm_type) else norm_type}
    for n, p in ps.items():
        entries["grad." + n] = enc(p.grad.clone())
    total = torch.nn.utils.clip_grad_norm_(list(ps.values()), max_norm, norm_type=norm_type)
    entries["total_norm"] = num(total)
    for n, p in ps.items():
        entries["clipped." + n] = enc(p.grad)
    write(name, entries)


def value_case(name, clip):
    ps = params(name)
    entries = {"param_names": list(ps), "clip_value": clip}
    for n, p in ps.items():
        entries["grad." + n] = enc(p.grad.clone())
    torch.nn.utils.clip_grad_value_(list(ps.values()), clip)
    for n, p in ps.items():
        entries["clipped." + n] = enc(p.grad)
    write(name, entries)


norm_case("norm_p2", 1.0, 2.0)
norm_case("norm_p2_unclipped", 1000.0, 2.0)
norm_case("norm_inf", 0.5, float("inf"))
norm_case("norm_p1", 3.0, 1.0)
norm_case("norm_p3", 2.0, 3.0)
norm_case("norm_p2_nan", 1.0, 2.0, ("w2", 5, float("nan")))
norm_case("norm_p2_nan_unclipped", 1000.0, 2.0, ("b1", 2, float("nan")))
norm_case("norm_inf_nan", 0.5, float("inf"), ("w1", 7, float("nan")))
norm_case("norm_p1_nan", 3.0, 1.0, ("b2", 0, float("nan")))
norm_case("norm_p2_infinite", 1.0, 2.0, ("w1", 3, float("inf")))
value_case("value", 0.7)
print("wrote", OUT)
