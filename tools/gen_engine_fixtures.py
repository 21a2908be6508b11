#!/usr/bin/python3
"""PyTorch reference fixtures for the engine options of issue 14: loss options (class weights, ignore_index,
label_smoothing, pos_weight, reduction), convolution and pooling options, embedding, normalization without affine
parameters or running statistics, multi-head attention and the pre-norm transformer encoder block.

Run with the system Python that has PyTorch:  /usr/bin/python3 tools/gen_engine_fixtures.py

The format and helpers are those of tools/gen_fixtures.py (see its docstring): each case is seeded from its own
name and written to ravine-core/src/test/resources/fixtures/<group>/<name>.json; this script only adds cases, so
running it never changes the fixtures gen_fixtures.py writes.
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_fixtures import OUT, enc, layer_case, loss_case, randomize_affine, seed, write, written  # noqa: E402


# ---------------------------------------------------------------- losses

def loss_options():
    seed("losses/cross_entropy_options")
    logits = 2 * torch.randn(8, 5)
    targets = torch.tensor([0, 3, -100, 2, 4, 1, 3, 7])  # row 2 ignored by default, row 7 by ignore_index=7 below
    weight = torch.tensor([0.5, 2.0, 1.0, 3.0, 0.25])
    valid = targets.clone()
    valid[7] = 1
    cases = [
        ("cross_entropy_weight", dict(weight=weight), valid),
        ("cross_entropy_weight_sum", dict(weight=weight, reduction="sum"), valid),
        ("cross_entropy_none", dict(reduction="none"), valid),
        ("cross_entropy_ignore_index", dict(ignore_index=7), torch.where(targets == -100, torch.tensor(1), targets)),
        ("cross_entropy_default_ignore", dict(), valid),
        ("cross_entropy_smoothing", dict(label_smoothing=0.2), valid),
        ("cross_entropy_smoothing_weight_ignore", dict(label_smoothing=0.1, weight=weight), valid),
        ("cross_entropy_smoothing_ignore_sum", dict(label_smoothing=0.3, reduction="sum"), valid),
        ("cross_entropy_smoothing_ignore_none", dict(label_smoothing=0.3, weight=weight, reduction="none"), valid),
    ]
    for name, kw, t in cases:
        config = {k: (v.tolist() if torch.is_tensor(v) else v) for k, v in kw.items()}
        loss_case(name, lambda p, tt, kw=kw: F.cross_entropy(p, tt.long(), **kw), logits, t, config=config)
    log_probs = F.log_softmax(logits, dim=-1)
    loss_case("nll_weight_ignore", lambda p, t: F.nll_loss(p, t.long(), weight=weight), log_probs, valid,
              config={"weight": weight.tolist()})

    seed("losses/bce_pos_weight")
    x = 3 * torch.randn(5, 3)
    t = (torch.rand(5, 3) > 0.5).float()
    t[4] = torch.tensor([0.3, 0.8, 0.5])
    pos = torch.tensor([2.0, 0.5, 4.0])
    loss_case("bce_with_logits_pos_weight", lambda p, tt: F.binary_cross_entropy_with_logits(p, tt, pos_weight=pos), x, t,
              config={"pos_weight": pos.tolist()})
    loss_case("bce_with_logits_pos_weight_sum",
              lambda p, tt: F.binary_cross_entropy_with_logits(p, tt, pos_weight=pos, reduction="sum"), x, t,
              config={"pos_weight": pos.tolist(), "reduction": "sum"})
    loss_case("bce_with_logits_none", lambda p, tt: F.binary_cross_entropy_with_logits(p, tt, reduction="none"), x, t,
              config={"reduction": "none"})
    seed("losses/regression_reductions")
    a, b = torch.randn(4, 3), torch.randn(4, 3)
    loss_case("mse_sum", lambda p, tt: F.mse_loss(p, tt, reduction="sum"), a, b, config={"reduction": "sum"})
    loss_case("mse_none", lambda p, tt: F.mse_loss(p, tt, reduction="none"), a, b, config={"reduction": "none"})
    loss_case("huber_sum", lambda p, tt: F.huber_loss(p, tt, delta=0.7, reduction="sum"), 2 * a, b,
              config={"reduction": "sum", "delta": 0.7})


# ---------------------------------------------------------------- embedding, attention, transformer

def embedding_cases():
    seed("layers/embedding_padding")
    emb = nn.Embedding(7, 4, padding_idx=2)
    tokens = torch.tensor([[0, 2, 5, 6], [2, 2, 1, 3], [4, 6, 0, 2]])
    out = emb(tokens)
    r = torch.randn(*out.shape)
    (out * r).sum().backward()
    write("layers", "embedding_padding", {"layer": "embedding_padding", "num_embeddings": 7, "dim": 4, "padding_idx": 2,
                                         "input": enc(tokens.float()), "param.weight": enc(emb.weight), "R": enc(r),
                                         "output": enc(out), "grad_weight": enc(emb.weight.grad)})


class SelfAttention(nn.Module):
    """torch's MultiheadAttention applied as self-attention on batch-first input, as Ravine's attention layer."""

    def __init__(self, dim, heads, causal=False):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.causal = causal

    def forward(self, x):
        mask = None
        if self.causal:
            s = x.shape[1]
            mask = torch.triu(torch.full((s, s), float("-inf")), diagonal=1)
        return self.attn(x, x, x, attn_mask=mask, need_weights=False)[0]


def hvp_entries(module, x, r):
    """Hv of L = sum(module(x) * r) w.r.t. all parameters, v a fixed random direction: torch's double backward."""
    params = [p for _, p in module.named_parameters()]
    v = [torch.randn_like(p) for p in params]
    loss = (module(x) * r).sum()
    g = torch.autograd.grad(loss, params, create_graph=True)
    hv = torch.autograd.grad(sum((gi * vi).sum() for gi, vi in zip(g, v)), params, allow_unused=True)
    hv = [torch.zeros_like(p) if h is None else h for p, h in zip(params, hv)]  # a gradient constant in the weights
    entries = {}
    for (n, _), vi, hi in zip(module.named_parameters(), v, hv):
        entries["v." + n] = enc(vi)
        entries["hv." + n] = enc(hi)
    return entries


def attention_case(name, make, shape, config):
    seed("layers/" + name)
    module = make()
    x = torch.randn(*shape)
    r = torch.randn(*shape)
    entries = {"layer": name}
    entries.update(config)
    entries["input"] = enc(x)
    for n, p in module.named_parameters():
        entries["param." + n] = enc(p)
    xg = x.clone().requires_grad_(True)
    out = module(xg)
    (out * r).sum().backward()
    entries["R"] = enc(r)
    entries["output"] = enc(out)
    entries["grad_input"] = enc(xg.grad)
    for n, p in module.named_parameters():
        entries["grad_" + n] = enc(p.grad)
    module.zero_grad()
    entries.update(hvp_entries(module, x, r))
    write("layers", name, entries)


def attention_cases():
    attention_case("attention_2heads", lambda: SelfAttention(8, 2), (3, 5, 8), {"dim": 8, "heads": 2, "causal": False})
    attention_case("attention_causal", lambda: SelfAttention(6, 3, causal=True), (2, 4, 6), {"dim": 6, "heads": 3, "causal": True})

    def block():
        layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, activation="gelu", batch_first=True,
                                           norm_first=True)
        randomize_affine(layer.norm1)
        randomize_affine(layer.norm2)
        return layer
    attention_case("transformer_block", block, (2, 5, 8), {"dim": 8, "heads": 2, "ff": 16})


# ---------------------------------------------------------------- normalization without affine or running statistics

def norm_option_cases():
    layer_case("batchnorm1d_noaffine", lambda: nn.BatchNorm1d(4, affine=False), (6, 4), config={"affine": False, "track": True})
    layer_case("batchnorm2d_notrack", lambda: nn.BatchNorm2d(3, track_running_stats=False), (4, 3, 3, 3),
               config={"affine": True, "track": False}, prepare=randomize_affine)
    layer_case("batchnorm2d_notrack_eval", lambda: nn.BatchNorm2d(3, track_running_stats=False), (4, 3, 3, 3), training=False,
               config={"affine": True, "track": False}, prepare=randomize_affine)
    layer_case("layernorm_noaffine", lambda: nn.LayerNorm([5], elementwise_affine=False), (3, 5), config={"affine": False})
    layer_case("groupnorm_noaffine", lambda: nn.GroupNorm(2, 4, affine=False), (3, 4, 2, 2), config={"affine": False})


# ---------------------------------------------------------------- convolution and pooling options

def conv_pool_cases():
    layer_case("conv2d_dilation2", lambda: nn.Conv2d(3, 4, 3, padding=2, dilation=2), (2, 3, 7, 6),
               config={"in": 3, "out": 4, "kernel": 3, "stride": 1, "padding": 2, "dilation": 2, "groups": 1, "same": False})
    layer_case("conv2d_groups2_s2", lambda: nn.Conv2d(4, 6, 3, stride=2, padding=1, groups=2), (2, 4, 7, 7),
               config={"in": 4, "out": 6, "kernel": 3, "stride": 2, "padding": 1, "dilation": 1, "groups": 2, "same": False})
    layer_case("conv2d_depthwise", lambda: nn.Conv2d(3, 3, 3, padding=1, groups=3, bias=False), (2, 3, 5, 5),
               config={"in": 3, "out": 3, "kernel": 3, "stride": 1, "padding": 1, "dilation": 1, "groups": 3, "same": False, "bias": False})
    layer_case("conv2d_same_even", lambda: nn.Conv2d(2, 3, 4, padding="same"), (2, 2, 6, 5),
               config={"in": 2, "out": 3, "kernel": 4, "stride": 1, "padding": 0, "dilation": 1, "groups": 1, "same": True})
    layer_case("conv2d_same_dilated_grouped", lambda: nn.Conv2d(4, 4, 3, padding="same", dilation=3, groups=2), (1, 4, 8, 8),
               config={"in": 4, "out": 4, "kernel": 3, "stride": 1, "padding": 0, "dilation": 3, "groups": 2, "same": True})
    layer_case("maxpool2d_ceil", lambda: nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True), (2, 2, 6, 7),
               config={"kernel": 3, "stride": 2, "padding": 1, "ceil_mode": True})
    layer_case("maxpool2d_ceil_k2", lambda: nn.MaxPool2d(2, stride=2, ceil_mode=True), (1, 2, 5, 5),
               config={"kernel": 2, "stride": 2, "padding": 0, "ceil_mode": True})
    layer_case("avgpool2d_exclude_pad", lambda: nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False), (2, 2, 6, 7),
               config={"kernel": 3, "stride": 2, "padding": 1, "ceil_mode": False, "count_include_pad": False})
    layer_case("avgpool2d_ceil", lambda: nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True), (2, 2, 6, 7),
               config={"kernel": 3, "stride": 2, "padding": 1, "ceil_mode": True, "count_include_pad": True})
    layer_case("avgpool2d_ceil_exclude_pad", lambda: nn.AvgPool2d(2, stride=2, ceil_mode=True, count_include_pad=False), (1, 2, 5, 5),
               config={"kernel": 2, "stride": 2, "padding": 0, "ceil_mode": True, "count_include_pad": False})


if __name__ == "__main__":
    loss_options()
    embedding_cases()
    attention_cases()
    norm_option_cases()
    conv_pool_cases()
    total = sum(os.path.getsize(p) for p in written)
    print("wrote %d fixtures, %d bytes, under %s (torch %s)" % (len(written), total, OUT, torch.__version__))
