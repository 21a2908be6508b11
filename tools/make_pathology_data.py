#!/usr/bin/python3
"""Writes the CSV tables of examples/pathologies/data/ that the pathology suite trains on.

Every table is drawn from a fixed numpy seed, so running this again rewrites the same files. The clean table and its
variants share their features: a variant changes one thing (labels flipped, one column rescaled, rows sorted, values
made NaN), so the clean table is the counterfactual of each variant.

Usage (from the repository root): /usr/bin/python3 tools/make_pathology_data.py
"""
import gzip
import os
import struct

import numpy as np

OUT = "examples/pathologies/data"


def write(name, header, rows, fmt):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(fmt(i, v) for i, v in enumerate(row)) + "\n")
    print(f"{path}: {len(rows)} rows")


def tabular(rng, n=900, classes=3, dims=6, weights=None):
    """Classes whose means lie on a circle in the first two features and shift the others: learnable by a small MLP
    to well under chance loss, not perfectly separable (a little overlap). weights: class frequencies (else uniform)."""
    labels = rng.integers(0, classes, n) if weights is None else rng.choice(classes, n, p=weights)
    angles = 2 * np.pi * labels / classes
    x = rng.normal(0, 1, (n, dims))
    x[:, 0] += 2.2 * np.cos(angles)
    x[:, 1] += 2.2 * np.sin(angles)
    x[:, 2] += 0.8 * (labels - 1)
    return x, labels


def flip(rng, labels, fraction, classes):
    """Replaces `fraction` of the labels by a different class drawn uniformly (symmetric label noise)."""
    out = labels.copy()
    idx = rng.choice(len(labels), int(round(fraction * len(labels))), replace=False)
    out[idx] = (labels[idx] + rng.integers(1, classes, len(idx))) % classes
    return out


def classification(name, x, labels):
    header = [f"f{j}" for j in range(x.shape[1])] + ["label"]
    rows = [list(x[i]) + [int(labels[i])] for i in range(len(labels))]
    write(name, header, rows, lambda j, v: str(v) if j == x.shape[1] else ("NaN" if np.isnan(v) else f"{v:.5g}"))


def mnist_14x14(count):
    """The first `count` shipped training digits, 2x2-average-pooled to 14x14, pixels 0..255 (integers)."""
    with gzip.open("data/mnist-10k/train-images-idx3-ubyte.gz") as f:
        _, n, rows, cols = struct.unpack(">IIII", f.read(16))
        images = np.frombuffer(f.read(count * rows * cols), dtype=np.uint8).reshape(count, rows, cols).astype(np.float64)
    with gzip.open("data/mnist-10k/train-labels-idx1-ubyte.gz") as f:
        f.read(8)
        labels = np.frombuffer(f.read(count), dtype=np.uint8).astype(np.int64)
    pooled = images.reshape(count, 14, 2, 14, 2).mean(axis=(2, 4))
    return np.rint(pooled.reshape(count, 196)), labels


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261202)
    x, y = tabular(rng)
    classification("tabular.csv", x, y)
    classification("tabular-noisy40.csv", x, flip(rng, y, 0.40, 3))
    classification("tabular-noisy25.csv", x, flip(rng, y, 0.25, 3))
    raw = x.copy()
    raw[:, 0] = raw[:, 0] * 12000 + 50000       # an income-like column
    raw[:, 1] = raw[:, 1] * 9 + 40              # an age-like column
    raw[:, 3] = raw[:, 3] * 0.002               # a rate-like column
    classification("tabular-raw.csv", raw, y)
    order = np.argsort(y, kind="stable")
    classification("tabular-sorted.csv", x[order], y[order])
    nan = x.copy()
    nan[rng.random(nan.shape) < 0.02] = np.nan
    classification("tabular-nan.csv", nan, y)

    # Two classes in the four quadrants of the plane (XOR): no linear model separates them.
    xor = rng.uniform(-1, 1, (800, 2))
    xor_y = ((xor[:, 0] > 0) ^ (xor[:, 1] > 0)).astype(np.int64)
    classification("xor.csv", xor + rng.normal(0, 0.05, xor.shape), xor_y)

    # 80 rows of 60 features (800 for the counterfactual), only 2 of which carry the class: a wide net memorizes the noise.
    wide = rng.normal(0, 1, (80, 60))
    wide_y = (wide[:, 0] + wide[:, 1] > 0).astype(np.int64)
    wide[:, :2] += 0.5 * (2 * wide_y[:, None] - 1)
    classification("wide-small.csv", wide, wide_y)
    big = rng.normal(0, 1, (800, 60))
    big_y = (big[:, 0] + big[:, 1] > 0).astype(np.int64)
    big[:, :2] += 0.5 * (2 * big_y[:, None] - 1)
    classification("wide-large.csv", big, big_y)

    # A smooth regression target of 4 features (targets fractional, so the CSV reader makes it a regression set).
    reg = rng.normal(0, 1, (800, 4))
    target = np.sin(reg[:, 0]) + 0.5 * reg[:, 1] * reg[:, 2] - 0.3 * reg[:, 3] + rng.normal(0, 0.05, 800) + 0.0001
    header = ["x0", "x1", "x2", "x3", "y"]
    write("regression.csv", header, [list(reg[i]) + [target[i]] for i in range(800)], lambda j, v: f"{v:.6f}")
    reg_raw = reg * np.array([1.0, 300.0, 0.01, 5000.0])
    write("regression-raw.csv", header, [list(reg_raw[i]) + [target[i]] for i in range(800)], lambda j, v: f"{v:.6f}")

    # Digits as a table: 14x14 pooled pixels 0..255, clean and with 30% of the labels flipped.
    px, py = mnist_14x14(1000)
    header = [f"p{j}" for j in range(196)] + ["label"]
    fmt = lambda j, v: str(int(v))
    write("digits14.csv", header, [list(px[i]) + [py[i]] for i in range(len(py))], fmt)
    noisy = flip(rng, py, 0.30, 10)
    write("digits14-noisy30.csv", header, [list(px[i]) + [noisy[i]] for i in range(len(py))], fmt)

    # The fresh half's tables (drawn after every table above, so those stay as they were): five classes in eight
    # features, clean and with 35% of the labels flipped; the regression table with 2% of its feature values NaN.
    x5, y5 = tabular(rng, n=1000, classes=5, dims=8)
    classification("five-class.csv", x5, y5)
    classification("five-class-noisy35.csv", x5, flip(rng, y5, 0.35, 5))
    reg_nan = reg.copy()
    reg_nan[rng.random(reg_nan.shape) < 0.02] = np.nan
    # its own header: `header` is digits14's by now (a regression table written under it had no column y)
    write("regression-nan.csv", ["x0", "x1", "x2", "x3", "y"], [list(reg_nan[i]) + [target[i]] for i in range(800)],
          lambda j, v: "NaN" if np.isnan(v) else f"{v:.6f}")

    # The clean table's features with labels drawn independently of them (pure noise): nothing can be learnt that
    # generalizes. A generator of its own, so that the tables above stay as they were.
    random_labels = np.random.default_rng(20261203).integers(0, 3, len(y))
    classification("tabular-random-labels.csv", x, random_labels)

    fresh2(x5, y5, px, py)
    fresh4(x5, y5)


def fresh2(x5, y5, px, py):
    """The fresh2 half's tables (2026-12-03), from a generator of their own so that every table above stays as it was:
    the five-class table with raw column scales, sorted by label, and with one column 10% missing; the XOR quadrants
    and the 14x14 digits with 30% and 20% of their labels flipped; a regression table sorted by its target; a
    regression target with heavy-tailed (Student t, 3 degrees of freedom) noise; a three-class table whose classes
    are 80%, 15% and 5% of its rows."""
    rng = np.random.default_rng(20261204)
    raw5 = x5.copy()
    raw5[:, 0] = raw5[:, 0] * 15000 + 30000     # a price-like column
    raw5[:, 1] = raw5[:, 1] * 40 + 120          # a weight-like column
    raw5[:, 4] = raw5[:, 4] * 0.001             # a ratio-like column
    classification("five-class-raw.csv", raw5, y5)
    order = np.argsort(y5, kind="stable")
    classification("five-class-sorted.csv", x5[order], y5[order])
    holes = x5.copy()
    holes[rng.random(len(y5)) < 0.10, 3] = np.nan
    classification("five-class-nan-column.csv", holes, y5)
    xor = np.loadtxt(os.path.join(OUT, "xor.csv"), delimiter=",", skiprows=1)  # its features as written, jitter included
    classification("xor-noisy30.csv", xor[:, :2], flip(rng, xor[:, 2].astype(np.int64), 0.30, 2))
    header = [f"p{j}" for j in range(196)] + ["label"]
    noisy = flip(rng, py, 0.20, 10)
    write("digits14-noisy20.csv", header, [list(px[i]) + [noisy[i]] for i in range(len(py))], lambda j, v: str(int(v)))
    reg = rng.normal(0, 1, (800, 4))
    target = np.sin(2 * reg[:, 0]) + reg[:, 1] - 0.5 * reg[:, 2] * reg[:, 3] + 0.0001
    order = np.argsort(target, kind="stable")
    header = ["x0", "x1", "x2", "x3", "y"]
    write("regression-sorted.csv", header, [list(reg[i]) + [target[i]] for i in order], lambda j, v: f"{v:.6f}")
    heavy = rng.normal(0, 1, (800, 4))
    heavy_y = 2 * heavy[:, 0] - 1.5 * heavy[:, 1] + heavy[:, 2] * heavy[:, 3] + 0.5 * rng.standard_t(3, 800) + 0.0001
    write("regression-heavy.csv", header, [list(heavy[i]) + [heavy_y[i]] for i in range(800)], lambda j, v: f"{v:.6f}")
    xi, yi = tabular(rng, n=1200, classes=3, dims=6, weights=[0.80, 0.15, 0.05])
    classification("imbalanced.csv", xi, yi)


def fresh4(x5, y5):
    """The fresh4 half's tables (2026-12-03), from a generator of their own so that every table above stays as it was:
    label noise at rates no earlier table has, the five-class table with 15% and 50% of its labels flipped (at 50% the
    true class is still the most frequent label of each region: the others share the rest, 12.5% each)."""
    rng = np.random.default_rng(20261205)
    classification("five-class-noisy15.csv", x5, flip(rng, y5, 0.15, 5))
    classification("five-class-noisy50.csv", x5, flip(rng, y5, 0.50, 5))


if __name__ == "__main__":
    main()
