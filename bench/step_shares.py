#!/usr/bin/env python3
"""Shares of a training step by kind of work, from a JFR recording of TrainingThroughput (bench/step-shares.sh).

Each execution sample (every Java thread, the compute pool's included) is charged to the innermost dev.ravine
frame on its stack, classified by class and method (GC time and allocation TrainingThroughput prints itself).
Usage: python3 bench/step_shares.py RECORDING.jfr (needs $JAVA_HOME/bin/jfr)
"""
import collections
import os
import re
import subprocess
import sys

# (kind, pattern on "Class.method" of the innermost dev.ravine frame), first match wins.
KINDS = [
    ("GEMM micro-kernel", r"kernel\.(MicroKernel\w*\.|VectorGemm\.sweep|ScalarGemm\.|ImplicitConv\.sweep)"),
    ("GEMM packing", r"kernel\.(VectorPacking|Transpose8x8)\."),
    ("conv patch gathering (implicit GEMM's B panels)", r"kernel\.(PatchPanels|PaddedPlanes|ImplicitConv\$Scratch)\."),
    ("GEMM dispatch", r"kernel\.(VectorGemm|Gemm|GemmTasks|TileGrid)\."),
    ("im2col / col2im", r"kernel\.Im2Col\.|functional\.Im2ColMap"),
    ("pooling", r"kernel\.(MaxPool2dKernel|AvgPool2dKernel)\."),
    ("element-wise (ReLU, bias, add)", r"kernel\.(VectorRelu|ReluKernel)\.|tensor\.Elementwise|Convolution\.addBias|ImplicitConv\.forwardTile|tensor\.\w*Ops\.|Linear"),
    ("reductions (bias grad, softmax, loss)", r"biasGrad|Convolution\.channelSum|kernel\.(SoftmaxKernel|CrossEntropyKernel)\.|loss\.|Reduce|sum"),
    ("optimizer update", r"dev\.ravine\.optim\.|kernel\.(Vector)?Adam"),
    ("autograd bookkeeping", r"dev\.ravine\.autograd\."),
    ("tensor views / copies", r"dev\.ravine\.tensor\."),
    ("thread pool", r"kernel\.ComputePool"),
    ("conv dispatch (implicit GEMM)", r"kernel\.ImplicitConv\."),
]


def main():
    jfr = os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "jfr")
    # jfr print keeps 5 frames by default: the innermost Ravine frame of a sample in JDK code (an array copy, a
    # fill) is often deeper than that, and the sample was then charged to "outside Ravine".
    text = subprocess.run([jfr, "print", "--stack-depth", "64", "--events", "jdk.ExecutionSample", sys.argv[1]],
                          capture_output=True, text=True, check=True).stdout
    counts, total = collections.Counter(), 0
    for event in text.split("jdk.ExecutionSample")[1:]:
        frames = re.findall(r"^\s+([\w.$]+)\(", event, re.M)
        ours = [f for f in frames if f.startswith("dev.ravine.") and not f.startswith("dev.ravine.bench.")]
        if not frames:
            continue
        total += 1
        if not ours:
            counts["outside Ravine (JIT, JDK)"] += 1
            continue
        inner = ours[0]
        counts[next((kind for kind, pattern in KINDS if re.search(pattern, inner)), "other Ravine (" + inner.rsplit(".", 1)[0].split(".")[-1] + ")")] += 1
    print(f"{total} samples")
    for kind, n in counts.most_common():
        if n * 200 >= total:
            print(f"{100 * n / total:5.1f}%  {kind}")
    rest = sum(n for n in counts.values() if n * 200 < total)
    print(f"{100 * rest / total:5.1f}%  (kinds under 0.5% each)")


if __name__ == "__main__":
    main()
