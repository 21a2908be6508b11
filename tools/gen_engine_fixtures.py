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
from gen_fixtures import OUT, enc, layer_case, randomize_affine, seed, write, written  # noqa: E402


def loss_case(name, fn, pred, target, config=None):
    """gen_fixtures.loss_case for any reduction: grad_input is d sum(loss) / d input (the loss itself when scalar)."""
    p = pred.clone().requires_grad_(True)
    loss = fn(p, target)
    loss.sum().backward()
    entries = {"loss": name}
    entries.update(config or {})
    entries["input"] = enc(p)
    entries["target"] = enc(target.to(torch.float32))
    entries["output"] = enc(loss)
    entries["grad_input"] = enc(p.grad)
    write("losses", name, entries)


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


if __name__ == "__main__":
    loss_options()
    total = sum(os.path.getsize(p) for p in written)
    print("wrote %d fixtures, %d bytes, under %s (torch %s)" % (len(written), total, OUT, torch.__version__))
