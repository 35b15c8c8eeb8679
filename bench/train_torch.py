#!/usr/bin/env python3
"""PyTorch reference for `bench/train`'s plain local fit (documentation only, never run by CI).

For every (kind, spec) that `tracecast bench train --export-windows DIR` measured (DIR/specs.csv:
batch, hidden sizes, quantiles, dropout, residual head, learning rate, clip, convolution), the
same network on the same train windows, one thread (torch.set_num_threads(1)), Adam at the spec's
learning rate, element-wise gradient clipping, the pinball loss over the spec's quantiles (L1 / 2
for the median) or MSE for a point forecast, minibatches of the spec's size in a fresh random
order each epoch. One untimed warm-up epoch, then EPOCHS timed ones; prints and appends to the
CSV the columns of `tracecast bench train` with side = pytorch.

The networks follow tracecast's builders (training/.../kind/network/*, network/NetworkBuilder,
BodyLayers); input x is [batch, features, lookback] (NCW), as tracecast's:
- mlp: x flattened c-order (feature-major, as DL4J's ReshapeVertex('c')), dense ReLU layers.
- cnn: Conv1d (ReLU, same padding) -> flatten [filters * lookback] -> dense ReLU.
- lstm, cnn_lstm (conv first), stacked_lstm (LSTM, dropout, LSTM): the last step's hidden state.
- gru: the last step's hidden state.
- bilstm_attention: two bidirectional LSTMs, softmax(H H^T / sqrt(d)) H, mean over steps.
- linear: x flattened (inputs = all; `linear.inputs = targets` is not mirrored here).
- head: a dense output, or with `residual` a dense correction plus the last observed value of
  each output's target feature (DL4J's LastTimeStepVertex + SubsetVertex); the spec's dropout,
  where it has one, is dropout on the head's input (DL4J's input dropout of that layer).
Where they differ, none of it changes the work per sample much: PyTorch's LSTM and GRU have two
bias vectors per gate (b_ih + b_hh), its GRU applies the reset gate after the recurrent product
(tracecast's GruLayer before it), initialisation is PyTorch's (tracecast: Xavier, forget-gate bias
1), the learning rate is constant (bilstm_attention's warm-up + cosine is a scalar per
iteration), and DL4J's MSE averages over columns as PyTorch's mean does over all values.
graph_gru (panels: attention adjacency, GCN, GRU per node) has no PyTorch counterpart here yet.

Needs torch and numpy: `PY=$(tools/pyenv bench/requirements-torch.txt bench/.venv-torch)` (or
bench/train makes the venv), then `$PY bench/train_torch.py DIR [EPOCHS] [--results CSV]
[--commit C] [--kinds k1,k2]`. PyPI's torch wheel for Linux is the CUDA build; it runs on the CPU
here, with one thread.

Samples per CPU second = windows x epochs / time.process_time() (the whole process, as the JVM's
process CPU time on tracecast's side); per thread CPU second uses time.thread_time().
"""
import argparse
import csv
import datetime
import math
import os
import time

import numpy as np
import torch
from torch import nn

COLUMNS = ["date", "commit", "kind", "spec", "side", "unit", "samples", "batch", "threads",
           "epochs", "samples_per_s", "samples_per_cpu_s", "samples_per_thread_cpu_s"]


def last_step(seq_out):
    return seq_out[:, -1, :]


class Network(nn.Module):
    """One tracecast window kind as its builder lays it out (see the module docstring)."""

    def __init__(self, s, features, lookback, outputs, target_columns):
        super().__init__()
        self.kind = s["kind"]
        units = [int(u) for u in s["units"].split(";") if u]
        dropout = float(s["dropout"])
        used = int(s["lookback_used"]) or lookback
        self.used = used
        filters, kernel = int(s["filters"]), int(s["kernel"])
        k = self.kind
        if k == "mlp":
            self.body = nn.Sequential(nn.Flatten(), nn.Linear(features * used, units[0]), nn.ReLU(),
                                      nn.Linear(units[0], units[1]), nn.ReLU())
            width = units[1]
        elif k == "linear":
            self.body = nn.Flatten()
            width = features * used
        elif k == "cnn":
            self.body = nn.Sequential(nn.Conv1d(features, filters, kernel, padding="same"),
                                      nn.ReLU(), nn.Flatten(),
                                      nn.Linear(filters * used, units[0]), nn.ReLU())
            width = units[0]
        elif k in ("lstm", "gru", "cnn_lstm"):
            inputs = features
            if k == "cnn_lstm":
                self.conv = nn.Sequential(nn.Conv1d(features, filters, kernel, padding="same"),
                                          nn.ReLU())
                inputs = filters
            cell = nn.GRU if k == "gru" else nn.LSTM
            self.rnn = cell(inputs, units[0], batch_first=True)
            width = units[0]
        elif k == "stacked_lstm":
            self.rnn1 = nn.LSTM(features, units[0], batch_first=True)
            self.drop_between = nn.Dropout(dropout)
            self.rnn2 = nn.LSTM(units[0], units[1], batch_first=True)
            width = units[1]
        elif k == "bilstm_attention":
            self.rnn1 = nn.LSTM(features, units[0], batch_first=True, bidirectional=True)
            self.rnn2 = nn.LSTM(2 * units[0], units[1], batch_first=True, bidirectional=True)
            width = 2 * units[1]
        else:
            raise ValueError(f"no PyTorch counterpart for kind {k}")
        self.head_drop = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.out = nn.Linear(width, outputs)
        self.residual = s["residual"] == "true"
        self.register_buffer("target_columns", torch.tensor(target_columns, dtype=torch.long))

    def forward(self, x):  # x: [batch, features, lookback] (NCW)
        seen = x[:, :, -self.used:]
        k = self.kind
        if k in ("mlp", "linear", "cnn"):
            h = self.body(seen)
        elif k in ("lstm", "gru"):
            h = last_step(self.rnn(seen.transpose(1, 2))[0])
        elif k == "cnn_lstm":
            h = last_step(self.rnn(self.conv(seen).transpose(1, 2))[0])
        elif k == "stacked_lstm":
            h = self.rnn1(seen.transpose(1, 2))[0]
            h = last_step(self.rnn2(self.drop_between(h))[0])
        else:  # bilstm_attention
            h = self.rnn2(self.rnn1(seen.transpose(1, 2))[0])[0]
            scores = torch.softmax(h @ h.transpose(1, 2) / math.sqrt(h.shape[-1]), dim=-1)
            h = (scores @ h).mean(dim=1)
        y = self.out(self.head_drop(h))
        if self.residual:  # the last observed value of each output column's target feature
            y = y + x[:, self.target_columns, -1]
        return y


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def measure(s, x, y, target_features, epochs):
    n, features, lookback = x.shape
    targets_per_step = len(target_features)
    quantiles = [float(q) for q in s["quantiles"].split(";") if q]
    per_target = max(1, len(quantiles))
    # output column j * q + i (ModelOutput.column) reads target value j = h * targets + k
    target_columns = [target_features[(c // per_target) % targets_per_step]
                      for c in range(y.shape[1] * per_target)]
    torch.manual_seed(42)
    net = Network(s, features, lookback, y.shape[1] * per_target, target_columns)
    opt = torch.optim.Adam(net.parameters(), lr=float(s["learning_rate"]))
    clip = float(s["gradient_clip"])
    # level of column j * q + i is quantiles[i] (the labels are repeated per level below)
    taus = torch.tensor(quantiles * y.shape[1]) if quantiles else None
    batch = int(s["batch"])

    def loss_of(pred, target):
        if not quantiles:
            return nn.functional.mse_loss(pred, target)
        u = target.repeat_interleave(per_target, dim=1) - pred
        return torch.maximum(taus * u, (taus - 1) * u).mean()

    def epoch(e):
        order = torch.randperm(n, generator=torch.Generator().manual_seed(e))
        for start in range(0, n, batch):
            idx = order[start:start + batch]
            opt.zero_grad()
            loss = loss_of(net(x[idx]), y[idx])
            loss.backward()
            nn.utils.clip_grad_value_(net.parameters(), clip)
            opt.step()
        return loss.item()

    net.train()
    epoch(0)
    t0, c0, h0 = time.perf_counter(), time.process_time(), time.thread_time()
    for e in range(1, epochs + 1):
        loss = epoch(e)
    samples = n * epochs
    return (samples / (time.perf_counter() - t0), samples / (time.process_time() - c0),
            samples / (time.thread_time() - h0), loss,
            sum(p.numel() for p in net.parameters()))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dir")
    p.add_argument("epochs", nargs="?", type=int, default=3)
    p.add_argument("--results", help="CSV to append rows to (header when new)")
    p.add_argument("--commit", default="")
    p.add_argument("--kinds", help="comma-separated kinds (default: every one in specs.csv)")
    a = p.parse_args()
    torch.set_num_threads(1)
    folder = a.dir
    n, f, t, k = (int(v) for v in open(f"{folder}/shape.txt").read().split())
    x = torch.from_numpy(np.fromfile(f"{folder}/features.f32", "<f4").reshape(n, f, t))
    y = torch.from_numpy(np.fromfile(f"{folder}/targets.f32", "<f4").reshape(n, k))
    target_features = [int(v) for v in open(f"{folder}/target_features.txt").read().split()]
    wanted = set(a.kinds.split(",")) if a.kinds else None
    print(f"torch {torch.__version__}, {n} windows ({t} x {f}), {a.epochs} epochs after a "
          f"warm-up, {torch.get_num_threads()} thread")
    print(f"{'kind':17s} {'spec':9s} {'batch':>6s} {'params':>8s} {'samples/s':>12s} "
          f"{'per CPU s':>12s} {'per thread CPU s':>17s}")
    out = []
    for s in rows(f"{folder}/specs.csv"):
        if wanted and s["kind"] not in wanted:
            continue
        wall, cpu, thread, loss, params = measure(s, x, y, target_features, a.epochs)
        print(f"{s['kind']:17s} {s['spec']:9s} {int(s['batch']):6d} {params:8d} {wall:12.0f} "
              f"{cpu:12.0f} {thread:17.0f}  (last loss {loss:.4f})", flush=True)
        out.append([datetime.date.today().isoformat(), a.commit, s["kind"], s["spec"], "pytorch",
                    "window", n, s["batch"], torch.get_num_threads(), a.epochs, f"{wall:.0f}",
                    f"{cpu:.0f}", f"{thread:.0f}"])
    if a.results:
        fresh = not os.path.exists(a.results) or os.path.getsize(a.results) == 0
        with open(a.results, "a", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            if fresh:
                w.writerow(COLUMNS)
            w.writerows(out)


if __name__ == "__main__":
    main()
