#!/usr/bin/python3
"""Generates the PyTorch reference fixtures for Ravine's recurrent layers (Rnn, Lstm, Gru).

Run with the system Python that has PyTorch:  /usr/bin/python3 tools/gen_rnn_fixtures.py

Same format as tools/gen_fixtures.py's layer fixtures (see its docstring): input, R, output, grad_input,
param.<name>, grad_<name>, plus the configuration (kind, input_size, hidden_size, num_layers, return_sequences).
Each case is seeded from its own name; the weights are torch's default initialization under that seed.
The layers are torch.nn.RNN/LSTM/GRU(batch_first=True); for return_sequences=false the output is out[:, -1, :].
Written to ravine-core/src/test/resources/fixtures/rnn/<name>.json.
"""
import json
import os
import zlib

import torch
import torch.nn as nn

torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)
torch.set_default_dtype(torch.float32)

OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ravine-core", "src", "test",
                                    "resources", "fixtures", "rnn"))
BATCH, SEQ, FEATURES, HIDDEN = 3, 5, 4, 6


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


def case(kind, num_layers, return_sequences):
    name = "%s_l%d_%s" % (kind, num_layers, "seq" if return_sequences else "last")
    torch.manual_seed(zlib.crc32(("rnn/" + name).encode()) & 0x7FFFFFFF)
    make = {"rnn": lambda: nn.RNN(FEATURES, HIDDEN, num_layers, nonlinearity="tanh", batch_first=True),
            "lstm": lambda: nn.LSTM(FEATURES, HIDDEN, num_layers, batch_first=True),
            "gru": lambda: nn.GRU(FEATURES, HIDDEN, num_layers, batch_first=True)}[kind]
    module = make()
    x = torch.randn(BATCH, SEQ, FEATURES).requires_grad_(True)
    entries = {"layer": name, "training": True, "kind": kind, "input_size": FEATURES, "hidden_size": HIDDEN,
               "num_layers": num_layers, "return_sequences": return_sequences, "input": enc(x)}
    for n, p in module.named_parameters():
        entries["param." + n] = enc(p)
    out, _ = module(x)
    if not return_sequences:
        out = out[:, -1, :]
    r = torch.randn(*out.shape)
    (out * r).sum().backward()
    entries["R"] = enc(r)
    entries["output"] = enc(out)
    entries["grad_input"] = enc(x.grad)
    for n, p in module.named_parameters():
        entries["grad_" + n] = enc(p.grad)
    write(name, entries)


def states_case(kind, num_layers, bidirectional, return_sequences):
    """Bidirectional stacks from given initial states: also h0 (and c0), the final states h_n (c_n) and the gradients of
    sum(out * R) + sum(h_n * RH) (+ sum(c_n * RC)) with respect to the input, the parameters and the initial states."""
    name = "%s_l%d_%s_states_%s" % (kind, num_layers, "bi" if bidirectional else "uni", "seq" if return_sequences else "last")
    torch.manual_seed(zlib.crc32(("rnn/" + name).encode()) & 0x7FFFFFFF)
    cls = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind]
    module = cls(FEATURES, HIDDEN, num_layers, batch_first=True, bidirectional=bidirectional)
    dirs = 2 if bidirectional else 1
    x = torch.randn(BATCH, SEQ, FEATURES).requires_grad_(True)
    h0 = torch.randn(num_layers * dirs, BATCH, HIDDEN).requires_grad_(True)
    c0 = torch.randn(num_layers * dirs, BATCH, HIDDEN).requires_grad_(True) if kind == "lstm" else None
    entries = {"layer": name, "training": True, "kind": kind, "input_size": FEATURES, "hidden_size": HIDDEN,
               "num_layers": num_layers, "bidirectional": bidirectional, "return_sequences": return_sequences,
               "input": enc(x), "h0": enc(h0)}
    if c0 is not None:
        entries["c0"] = enc(c0)
    for n, p in module.named_parameters():
        entries["param." + n] = enc(p)
    out, state = module(x, (h0, c0) if c0 is not None else h0)
    hn, cn = state if c0 is not None else (state, None)
    if not return_sequences:
        out = out[:, -1, :]
    r, rh = torch.randn(*out.shape), torch.randn(*hn.shape)
    total = (out * r).sum() + (hn * rh).sum()
    entries.update({"R": enc(r), "RH": enc(rh), "output": enc(out), "h_n": enc(hn)})
    if cn is not None:
        rc = torch.randn(*cn.shape)
        total = total + (cn * rc).sum()
        entries.update({"RC": enc(rc), "c_n": enc(cn)})
    total.backward()
    entries["grad_input"] = enc(x.grad)
    entries["grad_h0"] = enc(h0.grad)
    if c0 is not None:
        entries["grad_c0"] = enc(c0.grad)
    for n, p in module.named_parameters():
        entries["grad_" + n] = enc(p.grad)
    write(name, entries)


if __name__ == "__main__":
    for kind in ("rnn", "lstm", "gru"):
        states_case(kind, 2, True, True)
    states_case("lstm", 1, True, False)
    states_case("gru", 2, False, True)
    for kind in ("rnn", "lstm", "gru"):
        for layers in (1, 2):
            case(kind, layers, True)
        case(kind, 2, False)
