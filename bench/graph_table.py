"""Summarises bench/graph's runs: per run, graph_gru's test MAE / persistence (mean over jobs),
the best per-series network's (lowest validation MAE among the other networks), jobs where
each beats persistence, and graph_gru's training throughput from its registry metadata.
Standard library only."""
import csv
import datetime
import glob
import json
import os
import re
import statistics
import sys


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return float("nan")


def main(work, label, epochs, results):
    rows_out = []
    for run in sorted(d for d in os.listdir(work) if os.path.isdir(os.path.join(work, d, "report"))):
        with open(os.path.join(work, run, "report", "comparison.csv"), newline="") as f:
            rows = [r for r in csv.DictReader(f) if r["job"] != "(all)"]
        jobs = sorted({r["job"] for r in rows})
        graph, best = {}, {}
        for job in jobs:
            jr = [r for r in rows if r["job"] == job]
            g = [r for r in jr if r["model"] == "graph_gru"]
            if g:
                graph[job] = num(g[0]["mae_vs_persistence"])
            nets = sorted((r for r in jr if r["family"] == "network" and r["model"] != "graph_gru"
                           and num(r["validation_mae"]) == num(r["validation_mae"])),
                          key=lambda r: num(r["validation_mae"]))
            if nets:
                best[job] = (nets[0]["model"], num(nets[0]["mae_vs_persistence"]))
        panels, windows = [], []
        for meta in glob.glob(os.path.join(work, run, "registry", "*", "graph_gru", "v*", "metadata.json")):
            with open(meta) as f:
                m = json.load(f)
            sps = m["history"]["samplesPerSecond"]
            panels.append(sps)
            windows.append(sps * m["params"]["nodes"])
        heads = re.search(r"-h(\d+)-g(\d+)", run)
        mean = lambda d: statistics.fmean(d) if d else float("nan")
        row = [run, len(jobs), mean(list(graph.values())), sum(v < 1 for v in graph.values()),
               mean([v for _, v in best.values()]), sum(v < 1 for _, v in best.values()),
               "/".join(sorted({m for m, _ in best.values()})), mean(panels), mean(windows),
               heads.group(1) if heads else 4, heads.group(2) if heads else 4]
        rows_out.append(row)
    print(f"{'run':<16} {'jobs':>4} {'graph_gru':>9} {'beats':>5} {'best net':>8} {'beats':>5} "
          f"{'(kind)':<10} {'panels/s':>9} {'windows/s':>9} heads gcn")
    for r in rows_out:
        print(f"{r[0]:<16} {r[1]:>4} {r[2]:>9.3f} {r[3]:>5} {r[4]:>8.3f} {r[5]:>5} {r[6]:<10} "
              f"{r[7]:>9.0f} {r[8]:>9.0f} {r[9]:>5} {r[10]:>3}")
    new = not os.path.exists(results)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    with open(results, "a", newline="") as f:
        w = csv.writer(f)
        if new:
            w.writerow(["time", "label", "epochs", "run", "jobs", "graph_gru_mae_vs_persistence",
                        "graph_gru_beats", "best_network_mae_vs_persistence", "best_network_beats",
                        "best_network_kinds", "graph_panels_per_s", "graph_node_windows_per_s",
                        "heads", "gcn_layers"])
        for r in rows_out:
            w.writerow([now, label, epochs] + [f"{v:.4f}" if isinstance(v, float) else v for v in r])


if __name__ == "__main__":
    main(*sys.argv[1:5])
