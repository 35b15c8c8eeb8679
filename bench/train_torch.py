#!/usr/bin/env python3
"""PyTorch reference for `bench/train`'s plain local fit (documentation only, never run by CI).

The same network as tracecast's bilstm_attention spec, on the same train windows, batch 256,
one thread: two bidirectional LSTM layers of 64 (concatenated directions), one-head scaled
dot-product self-attention without input projection (softmax(X X^T / sqrt(d)) X, like DL4J's
SelfAttentionLayer with projectInput=false), average pooling over time, dropout 0.3 before the
output layer (DL4J's input dropout of the output layer), a linear output of 3 quantiles, the
pinball loss averaged over columns, Adam 1e-3 and element-wise gradient clipping at 1.0.

Differences that remain, none of which changes the work per sample: PyTorch's LSTM has two bias
vectors per gate (b_ih + b_hh; 1,024 more parameters than tracecast's 137,091, same function),
its initialisation is PyTorch's (tracecast: Xavier, forget-gate bias 1), and the learning rate
is constant (tracecast's spec warms up and decays it per epoch, a scalar per iteration).

Windows come from `tracecast bench train --local-only --export-windows DIR` (features.f32 is
[n, features, lookback] NCW float32, targets.f32 is [n, targets], shape.txt the sizes).
Needs torch and numpy: `PY=$(tools/pyenv bench/requirements-torch.txt bench/.venv-torch)`, then
`$PY bench/train_torch.py DIR` (PyPI's torch wheel for Linux is the CUDA build; it runs on the CPU
here, with one thread).

Usage: bench/train_torch.py DIR [EPOCHS]    -> samples/s per wall second and per CPU second
(the latter comparable with `bench train --local-only` on a shared machine), after one untimed
warm-up epoch.
"""
import math
import sys
import time

import numpy as np
import torch
from torch import nn

QUANTILES = (0.1, 0.5, 0.9)
BATCH = 256


class BiLstmAttention(nn.Module):
    def __init__(self, features, units=64, dropout=0.3, outputs=3):
        super().__init__()
        self.lstm1 = nn.LSTM(features, units, batch_first=True, bidirectional=True)
        self.lstm2 = nn.LSTM(2 * units, units, batch_first=True, bidirectional=True)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(2 * units, outputs)

    def forward(self, x):  # x: [batch, time, features]
        h, _ = self.lstm1(x)
        h, _ = self.lstm2(h)
        scores = torch.softmax(h @ h.transpose(1, 2) / math.sqrt(h.shape[-1]), dim=-1)
        h = scores @ h
        return self.out(self.drop(h.mean(dim=1)))


def pinball(pred, y, taus):
    u = y.repeat_interleave(len(QUANTILES), dim=1) - pred
    return torch.maximum(taus * u, (taus - 1) * u).mean()


def main():
    folder = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    torch.set_num_threads(1)
    torch.manual_seed(42)
    n, f, t, k = (int(v) for v in open(f"{folder}/shape.txt").read().split())
    x = torch.from_numpy(np.fromfile(f"{folder}/features.f32", "<f4").reshape(n, f, t))
    x = x.transpose(1, 2).contiguous()  # NCW -> [batch, time, features]
    y = torch.from_numpy(np.fromfile(f"{folder}/targets.f32", "<f4").reshape(n, k))
    net = BiLstmAttention(f, outputs=k * len(QUANTILES))
    print(f"parameters: {sum(p.numel() for p in net.parameters())}")
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    taus = torch.tensor(QUANTILES * k)

    def epoch(e):
        g = torch.Generator().manual_seed(e)
        order = torch.randperm(n, generator=g)
        total = 0.0
        for start in range(0, n, BATCH):
            idx = order[start:start + BATCH]
            opt.zero_grad()
            loss = pinball(net(x[idx]), y[idx], taus)
            loss.backward()
            nn.utils.clip_grad_value_(net.parameters(), 1.0)
            opt.step()
            total += loss.item() * len(idx)
        return total / n

    net.train()
    epoch(0)
    t0, c0 = time.perf_counter(), time.process_time()
    for e in range(1, epochs + 1):
        loss = epoch(e)
    wall = n * epochs / (time.perf_counter() - t0)
    cpu = n * epochs / (time.process_time() - c0)
    print(f"torch {torch.__version__}, {n} windows, {epochs} epochs, 1 thread: "
          f"{wall:.0f} samples/s wall, {cpu:.0f} per CPU second (last epoch loss {loss:.4f})")


if __name__ == "__main__":
    main()
