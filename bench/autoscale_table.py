"""Pooled autoscaling rows per source from evaluate's autoscaling.csv, the issue's targets
checked, appended to a results CSV.

Usage: autoscale_table.py REPORTS LABEL OUT_CSV
REPORTS holds <source>/autoscaling.csv and seconds.txt (source, autoscale wall seconds).
"""
import csv
import os
import sys

ALL = "(all jobs)"
LEARNED = "autoscaler"


def main(reports, label, out):
    seconds = {}
    with open(os.path.join(reports, "seconds.txt")) as f:
        for line in f:
            source, s = line.split()
            seconds[source] = int(s)
    rows = []
    for source in sorted(seconds):
        path = os.path.join(reports, source, "autoscaling.csv")
        with open(path) as f:
            pooled = {r["policy"]: r for r in csv.DictReader(f) if r["job"] == ALL}
        print(f"\n{source} (autoscale {seconds[source]} s)")
        print(f"{'policy':16} {'viol %':>7} {'viol/h':>7} {'prov/used':>9} {'energy/used':>11}")
        for policy, r in pooled.items():
            print(f"{policy:16} {100 * float(r['violation_rate']):7.2f} "
                  f"{float(r['violations_per_hour']):7.3f} "
                  f"{float(r['provisioned_over_used']):9.3f} {float(r['energy_over_used']):11.3f}")
            rows.append([label, source, policy, r["steps"], r["violation_rate"],
                         r["violations_per_hour"], r["provisioned_over_used"],
                         r["energy_over_used"], seconds[source]])
        def axes(name):
            return float(pooled[name]["violation_rate"]), float(pooled[name]["provisioned_over_used"])

        # each target at price 1 and at the operating point matched to that baseline on
        # validation (autoscaler_at_<baseline>, when the policy version has one)
        for baseline, text, met in (
                ("reactive", "fewer violations than reactive at no more capacity",
                 lambda v, c, bv, bc: v < bv and c <= bc),
                ("upper_quantile", "less capacity than upper quantile at <= its violations",
                 lambda v, c, bv, bc: c < bc and v <= bv),
                ("moving_window", "vs moving window, better on one axis, no worse on the other",
                 lambda v, c, bv, bc: (v < bv and c <= bc) or (c < bc and v <= bv))):
            bv, bc = axes(baseline)
            verdicts = []
            for name in (LEARNED, f"{LEARNED}_at_{baseline}"):
                if name in pooled:
                    v, c = axes(name)
                    verdicts.append(f"{name}: {met(v, c, bv, bc)}")
            print(f"  {text}: " + ", ".join(verdicts))
    new = not os.path.exists(out)
    with open(out, "a", newline="") as f:
        w = csv.writer(f)
        if new:
            w.writerow(["label", "source", "policy", "steps", "violation_rate",
                        "violations_per_hour", "provisioned_over_used", "energy_over_used",
                        "autoscale_seconds"])
        w.writerows(rows)


if __name__ == "__main__":
    main(*sys.argv[1:4])
