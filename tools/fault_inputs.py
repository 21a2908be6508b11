#!/usr/bin/python3
"""Writes the fault suite's generated bad inputs into a folder (tools/fault_suite.sh runs them).

    fault_inputs.py OUT_DIR MNIST_DIR

Every file is derived from a good one by one deliberate fault, so each case tests exactly one check: configs (YAML
bombs, self-containing lists, huge scalars, wrong values), IDX files (damaged gzip bytes and CRC, truncation, lying
headers, overflowing dimensions), CSV files (not UTF-8, ragged rows), and data sets too large for the heap.
"""
import gzip
import os
import struct
import sys
import zlib

out, mnist = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)


def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def text(name, s):
    write(name, s.encode("utf-8"))


def idx(magic, dims, data=b""):
    return struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims) + data


IMAGES, LABELS = 0x803, 0x801
images = gzip.decompress(open(os.path.join(mnist, "train-images-idx3-ubyte.gz"), "rb").read())
labels = gzip.decompress(open(os.path.join(mnist, "train-labels-idx1-ubyte.gz"), "rb").read())
n = 200
small_images = idx(IMAGES, [n, 28, 28], images[16:16 + n * 784])
small_labels = idx(LABELS, [n], labels[8:8 + n])


def idx_pair(prefix, image_bytes, label_bytes=small_labels, gz=True):
    write(prefix + "-images-idx3-ubyte" + (".gz" if gz else ""), gzip.compress(image_bytes) if gz else image_bytes)
    write(prefix + "-labels-idx1-ubyte", label_bytes)


idx_pair("good", small_images)
good_gz = gzip.compress(small_images)
# 64 damaged bytes in the middle of the compressed stream (the case that trained silently before).
bad = bytearray(good_gz)
for i in range(len(bad) // 2, len(bad) // 2 + 64):
    bad[i] = (bad[i] * 31 + 7) & 0xFF
write("damaged-images-idx3-ubyte.gz", bytes(bad))
write("damaged-labels-idx1-ubyte", small_labels)
crc = bytearray(good_gz)
crc[-8] ^= 0x01
write("crc-images-idx3-ubyte.gz", bytes(crc))
write("crc-labels-idx1-ubyte", small_labels)
write("cutgz-images-idx3-ubyte.gz", good_gz[: len(good_gz) // 2])
write("cutgz-labels-idx1-ubyte", small_labels)
write("notrailer-images-idx3-ubyte.gz", good_gz[:-8])
write("notrailer-labels-idx1-ubyte", small_labels)
idx_pair("truncated", small_images[:16 + 100 * 784], gz=False)
idx_pair("liar", idx(IMAGES, [2_500_000, 28, 28]), gz=False)  # 16 bytes claiming 1.96 GB
idx_pair("overflow", idx(IMAGES, [65536, 65536, 65536], b"\0" * 64), gz=False)
idx_pair("negative", idx(IMAGES, [0x80000000, 28, 28]), gz=False)
idx_pair("extra", small_images + b"\0" * 10, gz=False)
idx_pair("badmagic", idx(0x1234, [n, 28, 28], images[16:16 + n * 784]), gz=False)
idx_pair("floats", idx(0x0D03, [n, 28, 28], images[16:16 + n * 784]), gz=False)
idx_pair("fewlabels", small_images, idx(LABELS, [n - 1], labels[8:8 + n - 1]))
write("empty-images-idx3-ubyte", b"")
write("empty-labels-idx1-ubyte", small_labels)

# A real data set of 2.0 GB of pixels, 9 MB gzipped: header and trailer agree, so it is refused before reading.
huge_count = 2_551_020
with open(os.path.join(out, "huge-images-idx3-ubyte.gz"), "wb") as f:
    z = zlib.compressobj(1, zlib.DEFLATED, 31)
    f.write(z.compress(idx(IMAGES, [huge_count, 28, 28])))
    block = bytes(784 * 1000)
    for _ in range(huge_count // 1000):
        f.write(z.compress(block))
    f.write(z.compress(bytes(784 * (huge_count % 1000))))
    f.write(z.flush())
write("huge-labels-idx1-ubyte", idx(LABELS, [huge_count], bytes(huge_count)))

# CSV files
text("good.csv", "a,b,y\n" + "".join(f"{i % 7},{i % 3},{i % 2}\n" for i in range(100)))
write("latin1.csv", ("a,b,y\n1,2,0\n3,4,1\n5,6,0 caf\u00e9\n").encode("latin-1"))
text("ragged.csv", "a,b,y\n1,2,0\n3,4\n")
text("nonnumeric.csv", "a,b,y\n1,2,0\n3,abc,1\n")
text("nolabel.csv", "a,b,c\n1,2,0\n")
text("headeronly.csv", "a,b,y\n")
text("unclosed.csv", "a,b,y\n\"1,2,0\n")

# Configs
GOOD = """seed: 3
data: {train: idx:good, normalize: scale01}
model:
  layers: [flatten, {linear: {out: 16}}, relu, {linear: {out: 10}}]
loss: cross_entropy
optimizer: {name: adam, lr: 0.001}
training: {epochs: 1, batch_size: 50}
"""
text("good.yaml", GOOD)
laughs = ["a0: &a0 [x]"] + [f"a{i}: &a{i} [*a{i-1}, *a{i-1}]" for i in range(1, 25)]
text("laughs.yaml", "\n".join(laughs) + "\n")
text("selfref.yaml", GOOD.replace("seed: 3", "seed: &s [1, *s]"))
text("bigscalar.yaml", GOOD.replace("loss: cross_entropy", "loss: " + "x" * 1_000_000))
text("hugefile.yaml", "loss: " + "y" * 100_000_000 + "\n")
text("deep.yaml", "seed: " + "[" * 200 + "]" * 200 + "\n")
text("tabs.yaml", GOOD.replace("  layers", "\tlayers"))
text("unknownkey.yaml", GOOD.replace("epochs: 1", "epoch: 1"))
text("badtype.yaml", GOOD.replace("epochs: 1", "epochs: ten"))
text("negative.yaml", GOOD.replace("batch_size: 50", "batch_size: -5"))
text("badlayer.yaml", GOOD.replace("relu,", "relux,"))
text("badshape.yaml", GOOD.replace("[flatten, ", "["))
text("threads.yaml", GOOD.replace("batch_size: 50}", "batch_size: 50, threads: 40000}"))
text("wide.yaml", GOOD.replace("{linear: {out: 16}}", "{linear: {out: 2000000}}"))
text("tag.yaml", GOOD.replace("seed: 3", "seed: !!python/object/apply:os.system ['echo pwned']"))
text("dupkey.yaml", GOOD + "seed: 4\n")
text("missingdata.yaml", GOOD.replace("idx:good", "idx:nothere"))
text("csvlatin1.yaml", GOOD.replace("idx:good", "csv:latin1.csv").replace("{train:", "{label: y, train:")
     .replace("[flatten, ", "[").replace("out: 10", "out: 2"))
write("notutf8.yaml", GOOD.replace("seed: 3", "seed: 3 # caf\u00e9").encode("latin-1"))
text("empty.yaml", "")
text("list.yaml", "- 1\n- 2\n")
for prefix in ["damaged", "crc", "cutgz", "notrailer", "truncated", "liar", "overflow", "negative", "extra", "badmagic",
               "floats", "fewlabels", "empty", "huge"]:
    text(f"idx-{prefix}.yaml", GOOD.replace("idx:good", "idx:" + prefix))
# 20,000 layers: one step is quick, and the end-of-run analyses must stay bounded by the run's own time.
deep = ", ".join(["{linear: {out: 8}}, tanh"] * 10_000)
text("layers20k.yaml", GOOD.replace("[flatten, {linear: {out: 16}}, relu, {linear: {out: 10}}]",
                                    "[flatten, " + deep + ", {linear: {out: 10}}]")
     .replace("optimizer: {name: adam, lr: 0.001}", "optimizer: {name: sgd, lr: 0.000001}")
     .replace("batch_size: 50}", "batch_size: 200}"))
print(out)
