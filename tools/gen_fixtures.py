#!/usr/bin/python3
"""Generates the PyTorch reference fixtures that Ravine's layer, loss and optimizer tests compare against.

Run with the system Python that has PyTorch:  /usr/bin/python3 tools/gen_fixtures.py

Every case is seeded from its own name, so adding or reordering cases never changes the others. Everything is
float32. Each case is one JSON file under ravine-core/src/test/resources/fixtures/<group>/<name>.json: an object
whose tensor entries are {"shape": [...], "data": [flat row-major floats]} and whose other entries are scalar
hyper-parameters (numbers, booleans, strings) or lists of names. Floats are written with Python's repr of the
exact float32 value (json.dumps uses float.__repr__), so they round-trip exactly.

Layer fixtures hold:
  input, R (fixed weights of the probed scalar sum(output * R)), output, grad_input,
  param.<name> (the weights the test loads into Ravine's layer, by Ravine's parameter name),
  grad_<name> (d sum(output * R) / d param), and for batch norm buffer.<name> (running stats loaded before the
  forward) and buffer_after.<name> (running stats after it).
Loss fixtures hold: input (the prediction), target, output (the loss value), grad_input (d loss / d prediction).
Optimizer fixtures hold: param_names, init.<p>, grads.<p> [steps, ...] (the gradient fed at each step),
values.<p> [steps, ...] (the parameter after each step), and the optimizer's hyper-parameters.
"""
import json
import math
import os
import zlib

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)
torch.set_default_dtype(torch.float32)

OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ravine-core", "src", "test",
                                    "resources", "fixtures"))
written = []


def seed(name):
    torch.manual_seed(zlib.crc32(name.encode()) & 0x7FFFFFFF)


def enc(t):
    t = t.detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def write(group, name, entries):
    os.makedirs(os.path.join(OUT, group), exist_ok=True)
    path = os.path.join(OUT, group, name + ".json")
    lines = [json.dumps(k) + ":" + json.dumps(v, separators=(",", ":")) for k, v in entries.items()]
    with open(path, "w") as f:
        f.write("{\n" + ",\n".join(lines) + "\n}\n")
    written.append(path)


# ---------------------------------------------------------------- layers

def randomize_affine(module):
    """Non-trivial affine weights for normalization layers (PyTorch starts them at 1 and 0)."""
    with torch.no_grad():
        module.weight.copy_(1 + 0.5 * torch.randn_like(module.weight))
        module.bias.copy_(0.5 * torch.randn_like(module.bias))


def layer_case(name, make, input_shape, training=True, config=None, input_scale=1.0, prepare=None, make_input=None):
    """make() builds the torch module (after seeding, so default initializations are fixed too); make_input(shape),
    when given, replaces the default input scale * N(0, 1)."""
    seed("layers/" + name)
    module = make()
    if prepare is not None:
        prepare(module)
    module.train(training)
    x = input_scale * torch.randn(*input_shape) if make_input is None else make_input(input_shape)
    x = x.detach().clone().requires_grad_(True)
    entries = {"layer": name, "training": training}
    entries.update(config or {})
    entries["input"] = enc(x)
    for n, p in module.named_parameters():
        entries["param." + n] = enc(p)
    float_buffers = [(n, b) for n, b in module.named_buffers() if b.is_floating_point()]
    for n, b in float_buffers:
        entries["buffer." + n] = enc(b)
    out = module(x)
    r = torch.randn(*out.shape)
    (out * r).sum().backward()
    entries["R"] = enc(r)
    entries["output"] = enc(out)
    entries["grad_input"] = enc(x.grad)
    for n, p in module.named_parameters():
        entries["grad_" + n] = enc(p.grad)
    for n, b in float_buffers:
        entries["buffer_after." + n] = enc(b)
    write("layers", name, entries)


class Residual(nn.Module):
    """Ravine's Residual: block(x) + shortcut(x), the shortcut a bias-free projection when the shape changes."""

    def __init__(self, block, projection=None):
        super().__init__()
        self.block = block
        self.projection = projection

    def forward(self, x):
        return self.block(x) + (x if self.projection is None else self.projection(x))


def set_running_stats(bn):
    with torch.no_grad():
        bn.running_mean.copy_(0.5 * torch.randn(bn.num_features))
        bn.running_var.copy_(0.5 + torch.rand(bn.num_features))


def bn_prepare(bn):
    randomize_affine(bn)
    set_running_stats(bn)


def with_zeros(shape):
    """2 * N(0, 1) with every third value exactly 0, to pin down the derivative at the kink."""
    x = 2 * torch.randn(*shape)
    x.view(-1)[::3] = 0.0
    return x


def with_ties(shape):
    """Small non-negative integers (a relu'd, quantized input): many equal values inside each pooling window."""
    return torch.clamp(torch.round(1.5 * torch.randn(*shape)), min=0.0)


def layers():
    layer_case("linear", lambda: nn.Linear(5, 4), (4, 5), config={"in_features": 5, "out_features": 4, "bias": True})
    layer_case("linear_3d_input", lambda: nn.Linear(5, 4), (2, 3, 5),
               config={"in_features": 5, "out_features": 4, "bias": True})
    layer_case("conv2d_s1_p1", lambda: nn.Conv2d(3, 4, 3, stride=1, padding=1, bias=True), (2, 3, 6, 6),
               config={"in_channels": 3, "out_channels": 4, "kernel": 3, "stride": 1, "padding": 1, "bias": True})
    layer_case("conv2d_s2_p0_nobias", lambda: nn.Conv2d(3, 4, 3, stride=2, padding=0, bias=False), (2, 3, 7, 7),
               config={"in_channels": 3, "out_channels": 4, "kernel": 3, "stride": 2, "padding": 0, "bias": False})
    layer_case("conv2d_rect_s2_p1", lambda: nn.Conv2d(2, 3, 3, stride=2, padding=1, bias=True), (2, 2, 5, 7),
               config={"in_channels": 2, "out_channels": 3, "kernel": 3, "stride": 2, "padding": 1, "bias": True})
    layer_case("maxpool2d_k2_s2", lambda: nn.MaxPool2d(2, stride=2), (2, 3, 6, 6),
               config={"kernel": 2, "stride": 2, "padding": 0})
    layer_case("maxpool2d_k3_s2_p1", lambda: nn.MaxPool2d(3, stride=2, padding=1), (2, 3, 6, 6),
               config={"kernel": 3, "stride": 2, "padding": 1})
    layer_case("avgpool2d_k3_s2_p1", lambda: nn.AvgPool2d(3, stride=2, padding=1), (2, 3, 6, 6),
               config={"kernel": 3, "stride": 2, "padding": 1})
    # rectangular inputs whose last windows overhang the bottom and right edges into the padding
    layer_case("maxpool2d_k3_s2_p1_rect", lambda: nn.MaxPool2d(3, stride=2, padding=1), (2, 3, 5, 7),
               config={"kernel": 3, "stride": 2, "padding": 1})
    layer_case("avgpool2d_k3_s2_p1_rect", lambda: nn.AvgPool2d(3, stride=2, padding=1), (2, 3, 5, 7),
               config={"kernel": 3, "stride": 2, "padding": 1})
    # ties inside windows: PyTorch routes the gradient to the first maximal element of each window
    layer_case("maxpool2d_k2_s2_ties", lambda: nn.MaxPool2d(2, stride=2), (2, 3, 6, 6), make_input=with_ties,
               config={"kernel": 2, "stride": 2, "padding": 0})
    layer_case("maxpool2d_k3_s2_p1_ties", lambda: nn.MaxPool2d(3, stride=2, padding=1), (2, 3, 6, 6),
               make_input=with_ties, config={"kernel": 3, "stride": 2, "padding": 1})
    layer_case("flatten", lambda: nn.Flatten(), (2, 3, 4, 4))
    layer_case("batchnorm1d_train", lambda: nn.BatchNorm1d(5), (8, 5), training=True, prepare=bn_prepare,
               input_scale=2.0, config={"features": 5, "eps": 1e-5, "momentum": 0.1})
    layer_case("batchnorm1d_train_3d", lambda: nn.BatchNorm1d(4), (3, 4, 5), training=True, prepare=bn_prepare,
               config={"features": 4, "eps": 1e-5, "momentum": 0.1})
    layer_case("batchnorm1d_eval", lambda: nn.BatchNorm1d(5), (8, 5), training=False, prepare=bn_prepare,
               config={"features": 5, "eps": 1e-5, "momentum": 0.1})
    layer_case("batchnorm2d_train", lambda: nn.BatchNorm2d(3), (2, 3, 5, 5), training=True, prepare=bn_prepare,
               config={"features": 3, "eps": 1e-5, "momentum": 0.1})
    layer_case("batchnorm2d_eval", lambda: nn.BatchNorm2d(3), (2, 3, 5, 5), training=False, prepare=bn_prepare,
               config={"features": 3, "eps": 1e-5, "momentum": 0.1})
    layer_case("layernorm", lambda: nn.LayerNorm(6), (4, 6), prepare=randomize_affine,
               config={"normalized_shape": [6], "eps": 1e-5})
    layer_case("layernorm_2axes", lambda: nn.LayerNorm([3, 4]), (2, 3, 4), prepare=randomize_affine,
               config={"normalized_shape": [3, 4], "eps": 1e-5})
    layer_case("groupnorm", lambda: nn.GroupNorm(2, 6), (2, 6, 3, 3), prepare=randomize_affine,
               config={"groups": 2, "channels": 6, "eps": 1e-5})
    activations = {
        "relu": lambda: nn.ReLU(),
        "leaky_relu": lambda: nn.LeakyReLU(0.01),
        "elu": lambda: nn.ELU(alpha=1.0),
        "gelu": lambda: nn.GELU(),
        "sigmoid": lambda: nn.Sigmoid(),
        "tanh": lambda: nn.Tanh(),
        "softplus": lambda: nn.Softplus(),
        "softmax": lambda: nn.Softmax(dim=-1),
    }
    for kind, make in activations.items():
        layer_case("activation_" + kind, make, (4, 6), input_scale=2.0, config={"activation": kind})
    for kind in ("relu", "leaky_relu", "elu", "gelu", "softplus"):
        layer_case("activation_" + kind + "_at_zero", activations[kind], (4, 6), make_input=with_zeros,
                   config={"activation": kind})
    layer_case("residual", lambda: Residual(nn.Sequential(nn.Linear(5, 6), nn.ReLU(), nn.Linear(6, 5))), (4, 5),
               config={"features": 5, "hidden": 6, "out_features": 5})
    layer_case("residual_projection",
               lambda: Residual(nn.Sequential(nn.Linear(5, 6), nn.ReLU(), nn.Linear(6, 3)), nn.Linear(5, 3, bias=False)),
               (4, 5), config={"features": 5, "hidden": 6, "out_features": 3})


# ---------------------------------------------------------------- losses

def loss_case(name, fn, pred, target, config=None):
    p = pred.clone().requires_grad_(True)
    loss = fn(p, target)
    loss.sum().backward()  # d sum(loss) / d input: the loss itself when scalar, every element seeded with 1 for reduction none
    entries = {"loss": name}
    entries.update(config or {})
    entries["input"] = enc(p)
    entries["target"] = enc(target.to(torch.float32))
    entries["output"] = enc(loss)
    entries["grad_input"] = enc(p.grad)
    write("losses", name, entries)


def losses():
    seed("losses/cross_entropy")
    loss_case("cross_entropy", lambda p, t: F.cross_entropy(p, t.long()), 2 * torch.randn(6, 5), torch.randint(0, 5, (6,)))
    seed("losses/cross_entropy_extreme")
    logits = torch.tensor([[80.0, -80.0, 0.0, 5.0], [-50.0, 50.0, 49.0, 0.0], [0.0, 0.0, 0.0, 0.0],
                           [1e-3, -1e-3, 30.0, -30.0]])
    loss_case("cross_entropy_extreme", lambda p, t: F.cross_entropy(p, t.long()), logits, torch.tensor([1, 2, 3, 2]))
    seed("losses/nll")
    log_probs = F.log_softmax(2 * torch.randn(6, 5), dim=-1)
    loss_case("nll", lambda p, t: F.nll_loss(p, t.long()), log_probs, torch.randint(0, 5, (6,)))
    seed("losses/mse")
    loss_case("mse", F.mse_loss, torch.randn(4, 3), torch.randn(4, 3))
    seed("losses/bce_with_logits")
    targets = torch.rand(4, 3)
    targets[:2] = (targets[:2] > 0.5).float()  # hard 0/1 labels in the first rows, soft labels after
    loss_case("bce_with_logits", F.binary_cross_entropy_with_logits, 3 * torch.randn(4, 3), targets)
    seed("losses/bce_with_logits_extreme")
    loss_case("bce_with_logits_extreme", F.binary_cross_entropy_with_logits,
              torch.tensor([[-100.0, -40.0, -20.0, -5.0], [0.0, 5.0, 20.0, 40.0], [100.0, 17.0, -17.0, 0.5]]),
              torch.tensor([[1.0, 0.0, 1.0, 0.3], [0.5, 1.0, 0.0, 1.0], [0.0, 1.0, 0.0, 0.7]]))
    seed("losses/huber")
    # residuals on both sides of delta = 1, none within 0.05 of it
    d = torch.tensor([-3.0, -1.6, -1.2, -0.9, -0.4, -0.05, 0.1, 0.5, 0.8, 1.1, 1.7, 2.5]) + 0.03 * torch.rand(12)
    target = torch.randn(12)
    loss_case("huber", lambda p, t: F.huber_loss(p, t, delta=1.0), (target + d).reshape(4, 3), target.reshape(4, 3),
              config={"delta": 1.0})


# ---------------------------------------------------------------- optimizers

STEPS = 50
SHAPES = {"w1": (3, 4), "b1": (4,), "w2": (2, 3)}


def optim_case(name, make, config):
    seed("optim/" + name)
    params = {n: torch.randn(*s).requires_grad_(True) for n, s in SHAPES.items()}
    init = {n: p.detach().clone() for n, p in params.items()}
    # A fixed gradient sequence: large for the first steps, then small (so AMSGrad's maximum matters), with some
    # exact zeros.
    grads = {}
    for n, s in SHAPES.items():
        g = torch.randn(STEPS, *s)
        scale = torch.tensor([2.0 if t < 10 else 0.5 + 0.25 * math.sin(t) for t in range(STEPS)])
        g = g * scale.reshape(STEPS, *([1] * len(s)))
        g[torch.rand(STEPS, *s) < 0.05] = 0.0
        grads[n] = g
    opt = make(list(params.values()))
    values = {n: [] for n in SHAPES}
    for t in range(STEPS):
        for n, p in params.items():
            p.grad = grads[n][t].clone()
        opt.step()
        for n, p in params.items():
            values[n].append(p.detach().clone())
    entries = {"optimizer": name}
    entries.update(config)
    entries["steps"] = STEPS
    entries["param_names"] = list(SHAPES)
    for n in SHAPES:
        entries["init." + n] = enc(init[n])
        entries["grads." + n] = enc(grads[n])
        entries["values." + n] = enc(torch.stack(values[n]))
    write("optim", name, entries)


def sgd_case(name, lr, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):
    optim_case(name, lambda ps: torch.optim.SGD(ps, lr=lr, momentum=momentum, dampening=dampening, nesterov=nesterov,
                                                weight_decay=weight_decay, foreach=False),
               {"kind": "sgd", "lr": lr, "momentum": momentum, "dampening": dampening, "nesterov": nesterov,
                "weight_decay": weight_decay})


def adam_case(name, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
    optim_case(name, lambda ps: torch.optim.Adam(ps, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                                 amsgrad=amsgrad, foreach=False),
               {"kind": "adam", "lr": lr, "beta1": betas[0], "beta2": betas[1], "eps": eps,
                "weight_decay": weight_decay, "amsgrad": amsgrad})


def optimizers():
    sgd_case("sgd", lr=0.05)
    sgd_case("sgd_weight_decay", lr=0.05, weight_decay=0.01)
    sgd_case("sgd_momentum", lr=0.05, momentum=0.9)
    sgd_case("sgd_nesterov", lr=0.05, momentum=0.9, nesterov=True)
    sgd_case("sgd_momentum_dampening_wd", lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01)
    adam_case("adam", lr=0.01)
    adam_case("adam_weight_decay", lr=0.01, weight_decay=0.01)
    adam_case("adam_amsgrad", lr=0.01, amsgrad=True)
    adam_case("adam_betas_eps", lr=0.01, betas=(0.8, 0.99), eps=1e-6)
    adam_case("adam_amsgrad_weight_decay", lr=0.01, weight_decay=0.01, amsgrad=True)


if __name__ == "__main__":
    layers()
    losses()
    optimizers()
    total = sum(os.path.getsize(p) for p in written)
    print("wrote %d fixtures, %d bytes, under %s (torch %s)" % (len(written), total, OUT, torch.__version__))
