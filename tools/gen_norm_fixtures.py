#!/usr/bin/python3
"""Generates the PyTorch reference fixtures for Ravine's normalization family: InstanceNorm, weight normalization and
spectral normalization (batch renormalization has no PyTorch counterpart; its test follows the paper's equations).

Run with the system Python that has PyTorch:  /usr/bin/python3 tools/gen_norm_fixtures.py

Same format as tools/gen_fixtures.py's layer fixtures (see its docstring): input, R, output, grad_input,
param.<name>, grad_<name>, buffer.<name> (loaded before the forward) and buffer_after.<name>. Each case is seeded from
its own name. Written to ravine-core/src/test/resources/fixtures/norm/<name>.json.

Spectral-norm cases also hold "forwards": the number of training-mode forwards run before the probed one (each does
one power iteration on the buffers weight_u and weight_v, which are overwritten with known N(0, 1) draws first), and
output_<k> for the output of each of them; the probed forward is the last one, and "eval_output" is the output of one
more forward in eval mode (no power iteration).
"""
import json
import os
import zlib

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)
torch.set_default_dtype(torch.float32)

OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ravine-core", "src", "test",
                                    "resources", "fixtures", "norm"))


def seed(name):
    torch.manual_seed(zlib.crc32(("norm/" + name).encode()) & 0x7FFFFFFF)


def enc(t):
    t = t.detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def write(name, entries):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name + ".json")
    lines = [json.dumps(k) + ":" + json.dumps(v, separators=(",", ":")) for k, v in entries.items()]
    with open(path, "w") as f:
        f.write("{\n" + ",\n".join(lines) + "\n}\n")
    print(path)


def float_buffers(module):
    return [(n, b) for n, b in module.named_buffers() if b.is_floating_point()]


def probe(entries, module, x):
    """One forward of x, then backward of sum(output * R); records output, R and every gradient."""
    out = module(x)
    r = torch.randn(*out.shape)
    (out * r).sum().backward()
    entries["R"] = enc(r)
    entries["output"] = enc(out)
    entries["grad_input"] = enc(x.grad)
    for n, p in module.named_parameters():
        entries["grad_" + n] = enc(p.grad)
    for n, b in float_buffers(module):
        entries["buffer_after." + n] = enc(b)


def instance_norm_case(name, spatial_rank, input_shape, affine, track, training):
    seed(name)
    channels = input_shape[1]
    make = nn.InstanceNorm1d if spatial_rank == 1 else nn.InstanceNorm2d
    module = make(channels, affine=affine, track_running_stats=track)
    with torch.no_grad():
        if affine:
            module.weight.copy_(1 + 0.5 * torch.randn(channels))
            module.bias.copy_(0.5 * torch.randn(channels))
        if track:
            module.running_mean.copy_(0.5 * torch.randn(channels))
            module.running_var.copy_(0.5 + torch.rand(channels))
    module.train(training)
    x = (1.5 * torch.randn(*input_shape) + 0.3).requires_grad_(True)
    entries = {"layer": name, "training": training, "spatial_rank": spatial_rank, "channels": channels,
               "affine": affine, "track_running_stats": track, "eps": 1e-5, "momentum": 0.1, "input": enc(x)}
    for n, p in module.named_parameters():
        entries["param." + n] = enc(p)
    for n, b in float_buffers(module):
        entries["buffer." + n] = enc(b)
    probe(entries, module, x)
    write(name, entries)


def make_layer(kind):
    if kind == "linear":
        return nn.Linear(5, 4), (3, 5), {"in_features": 5, "out_features": 4}
    return nn.Conv2d(2, 3, 3, stride=1, padding=1), (2, 2, 4, 4), \
        {"in_channels": 2, "out_channels": 3, "kernel": 3, "stride": 1, "padding": 1}


def weight_norm_case(kind):
    name = "weight_norm_" + kind
    seed(name)
    layer, input_shape, config = make_layer(kind)
    module = nn.utils.weight_norm(layer, name="weight", dim=0)
    with torch.no_grad():  # g away from ||v||, so the test sees g and v act separately
        module.weight_g.mul_(1 + 0.5 * torch.rand_like(module.weight_g))
    x = torch.randn(*input_shape).requires_grad_(True)
    entries = {"layer": name, "training": True, "kind": kind}
    entries.update(config)
    entries["input"] = enc(x)
    for n, p in module.named_parameters():
        entries["param." + n] = enc(p)
    probe(entries, module, x)
    write(name, entries)


def spectral_norm_case(kind, forwards=4):
    name = "spectral_norm_" + kind
    seed(name)
    layer, input_shape, config = make_layer(kind)
    module = nn.utils.spectral_norm(layer, name="weight", n_power_iterations=1, eps=1e-12, dim=0)
    with torch.no_grad():  # known starting vectors, so Ravine can start from the same ones
        module.weight_u.copy_(F.normalize(torch.randn_like(module.weight_u), dim=0, eps=1e-12))
        module.weight_v.copy_(F.normalize(torch.randn_like(module.weight_v), dim=0, eps=1e-12))
    module.train(True)
    x = torch.randn(*input_shape).requires_grad_(True)
    entries = {"layer": name, "training": True, "kind": kind, "forwards": forwards}
    entries.update(config)
    entries["input"] = enc(x)
    for n, p in module.named_parameters():
        entries["param." + n] = enc(p)
    for n, b in float_buffers(module):
        entries["buffer." + n] = enc(b)
    for k in range(1, forwards):
        with torch.no_grad():
            entries["output_%d" % k] = enc(module(x))
    probe(entries, module, x)
    module.eval()
    with torch.no_grad():
        entries["eval_output"] = enc(module(x))
    write(name, entries)


if __name__ == "__main__":
    instance_norm_case("instancenorm1d", 1, (3, 4, 6), affine=False, track=False, training=True)
    instance_norm_case("instancenorm1d_affine_tracked", 1, (3, 4, 6), affine=True, track=True, training=True)
    instance_norm_case("instancenorm2d_affine", 2, (2, 3, 4, 5), affine=True, track=False, training=True)
    instance_norm_case("instancenorm2d_tracked_eval", 2, (2, 3, 4, 5), affine=True, track=True, training=False)
    instance_norm_case("instancenorm2d_untracked_eval", 2, (2, 3, 4, 5), affine=False, track=False, training=False)
    for layer_kind in ("linear", "conv2d"):
        weight_norm_case(layer_kind)
        spectral_norm_case(layer_kind)
