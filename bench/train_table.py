#!/usr/bin/env python3
"""Side-by-side table of one `bench/train` run (standard library only).

Usage: bench/train_table.py RUN_CSV
RUN_CSV holds this run's rows of both sides (the columns of `tracecast bench train --results`,
side = tracecast or pytorch). Prints, per kind and spec, samples per CPU second of each side and
the ratio tracecast / pytorch (>= 1: tracecast is at least as fast per core), then the same per
wall second. A kind with no PyTorch row (graph_gru, or no venv) shows its tracecast figure only.
"""
import csv
import sys


def main():
    with open(sys.argv[1], newline="") as f:
        rows = list(csv.DictReader(f))
    sides = {}
    order = []
    for r in rows:
        key = (r["kind"], r["spec"])
        if key not in order:
            order.append(key)
        sides.setdefault(key, {})[r["side"]] = r
    for column, title in (("samples_per_cpu_s", "samples per CPU second"),
                          ("samples_per_s", "samples per wall second")):
        print(f"\n{title} (1 thread each side; unit: window, or panel for graph kinds)")
        print(f"{'kind':17s} {'spec':9s} {'batch':>6s} {'tracecast':>10s} {'pytorch':>10s} "
              f"{'ratio':>6s}")
        for key in order:
            t = sides[key].get("tracecast")
            p = sides[key].get("pytorch")
            tv = float(t[column]) if t else None
            pv = float(p[column]) if p else None
            ratio = f"{tv / pv:6.2f}" if tv and pv else f"{'-':>6s}"
            batch = (t or p)["batch"]
            print(f"{key[0]:17s} {key[1]:9s} {batch:>6s} "
                  f"{(f'{tv:.0f}' if tv else '-'):>10s} {(f'{pv:.0f}' if pv else '-'):>10s} "
                  f"{ratio}")


if __name__ == "__main__":
    main()
