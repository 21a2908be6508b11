#!/usr/bin/python3
"""PyTorch references for Ravine's image rotation (dev.ravine.data.ImageWarp.rotate).

Run with the system Python that has PyTorch:  /usr/bin/python3 tools/gen_augment_fixtures.py

ImageWarp.rotate turns a [C, H, W] image counter-clockwise (as displayed) about its centre ((W-1)/2, (H-1)/2) and
samples the input bilinearly, with 0 outside the image. That is torch.nn.functional.grid_sample(mode="bilinear",
padding_mode="zeros", align_corners=True) on the grid of affine_grid(theta, align_corners=True), where theta maps
each output pixel's normalized coordinates to the input's: in pixels the source offset from the centre is
R(theta) applied to the output offset, (sx, sy) = (cos*ox - sin*oy, sin*ox + cos*oy); normalized coordinates divide
x offsets by (W-1)/2 and y offsets by (H-1)/2, which puts the ratio of the two into the off-diagonal terms.
Computed in float64, written as float32 (fixtures/augment/rotate_<name>.json: input, degrees, output).
"""
import json
import math
import os
import zlib

import torch
import torch.nn.functional as F

OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ravine-core", "src", "test",
                                    "resources", "fixtures", "augment"))


def enc(t):
    t = t.detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def rotate(image, degrees):
    c, h, w = image.shape
    t = math.radians(degrees)
    a, b = (w - 1) / 2, (h - 1) / 2
    theta = torch.tensor([[[math.cos(t), -math.sin(t) * b / a, 0.0],
                           [math.sin(t) * a / b, math.cos(t), 0.0]]], dtype=torch.float64)
    grid = F.affine_grid(theta, [1, c, h, w], align_corners=True)
    return F.grid_sample(image.unsqueeze(0), grid, mode="bilinear", padding_mode="zeros", align_corners=True)[0]


def case(name, shape, degrees):
    torch.manual_seed(zlib.crc32(name.encode()) & 0x7FFFFFFF)
    # float32 values, so the input Ravine reads is exactly the one PyTorch rotated
    image = torch.rand(*shape).to(torch.float32).to(torch.float64)
    out = rotate(image, degrees)
    os.makedirs(OUT, exist_ok=True)
    entries = {"degrees": degrees, "input": enc(image), "output": enc(out)}
    with open(os.path.join(OUT, "rotate_" + name + ".json"), "w") as f:
        f.write("{\n" + ",\n".join(json.dumps(k) + ":" + json.dumps(v, separators=(",", ":")) for k, v in entries.items()) + "\n}\n")


case("small_positive", [1, 28, 28], 7.0)
case("negative_non_square", [2, 9, 13], -12.5)
case("thirty_rgb", [3, 10, 10], 30.0)
case("obtuse", [1, 8, 12], 100.0)
print("wrote 4 fixtures to", OUT)
