"""Summarises a pipeline's reports (one comparison.csv per source) into the accuracy table of
bench/accuracy. Standard library only: the benchmark needs nothing installed."""
import csv
import datetime
import os
import statistics
import sys

FAMILIES = ["champion", "best network", "network", "gbt", "ensemble", "baseline"]


def rows_of(path):
    with open(path, newline="") as f:
        return [r for r in csv.DictReader(f) if r["job"] != "(all)"]


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return float("nan")


def pick(rows, which):
    """Per job: the row a family would serve (lowest validation MAE), or the champion."""
    out = {}
    for job in sorted({r["job"] for r in rows}):
        jr = [r for r in rows if r["job"] == job]
        if which == "champion":
            c = [r for r in jr if r.get("champion") == "true"]
        else:
            fam = "network" if which == "best network" else which
            c = sorted((r for r in jr if r["family"] == fam and num(r["validation_mae"]) == num(r["validation_mae"])),
                       key=lambda r: num(r["validation_mae"]))[:1]
        if c:
            out[job] = num(c[0]["mae_vs_persistence"])
    return out


def main(reports, label, wall, results):
    sources = sorted(d for d in os.listdir(reports)
                     if os.path.isfile(os.path.join(reports, d, "comparison.csv")))
    table = []
    for src in sources:
        rows = rows_of(os.path.join(reports, src, "comparison.csv"))
        for fam in FAMILIES:
            ratios = pick(rows, fam)
            if not ratios:
                continue
            vals = [v for v in ratios.values() if v == v]
            mean = statistics.fmean(vals) if vals else float("nan")
            beats = sum(1 for v in vals if v < 1)
            table.append((src, fam, len(ratios), mean, beats))
    print(f"{'source':<12} {'candidate':<13} {'jobs':>4} {'test MAE / persistence (mean)':>30} {'beats persistence':>18}")
    for src, fam, n, mean, beats in table:
        print(f"{src:<12} {fam:<13} {n:>4} {mean:>30.3f} {beats:>11} of {n:<4}")
    champs = [t for t in table if t[1] == "champion"]
    if champs:
        avg = statistics.fmean(t[3] for t in champs)
        jobs = sum(t[2] for t in champs)
        beat = sum(t[4] for t in champs)
        print(f"champion: mean over sources {avg:.3f}; beats persistence on {beat} of {jobs} jobs"
              f" ({100.0 * beat / max(jobs, 1):.0f} %); pipeline wall {wall} s")
    new = not os.path.exists(results)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    with open(results, "a", newline="") as f:
        w = csv.writer(f)
        if new:
            w.writerow(["time", "label", "source", "candidate", "jobs", "mae_vs_persistence_mean",
                        "jobs_beating_persistence", "pipeline_wall_s"])
        for src, fam, n, mean, beats in table:
            w.writerow([now, label, src, fam, n, f"{mean:.4f}", beats, wall])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4])
