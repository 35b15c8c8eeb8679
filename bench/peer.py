#!/usr/bin/env python3
"""The off-the-shelf peer: mlforecast + LightGBM scored on tracecast's own test windows.

Reads a dataset written by `tracecast etl` (the dataset contract, etl/README.md):
  - `series/`: the cleaned series in original units, one row per point, with the split label;
  - `windows/split=validation|test/`: only job_id, series_id, segment, end_time and the
    job-scaled targets, to take tracecast's forecast origins (a window's end_time is its origin
    t; its targets are y(t+1..t+H)) and to check that the series table gives the same targets
    once the job scaler of the manifest is inverted (x = offset + scale * stored);
  - `manifest.json`: source, horizon, step, targets, scalers, target bounds.

Model (per job, as tracecast trains one model per job; and one global model over all jobs):
MLForecast(LGBMRegressor(objective="l1", 300 trees, learning rate 0.05, 31 leaves, one
thread), lags 1..12 and the one-day lag (86400 s / step), target_transforms
[Differences([1]), LocalStandardScaler()]), fitted on the train split only (tracecast trains on
train and calibrates on validation), with mlforecast's default dropna=True (training rows whose
day lag does not exist yet are dropped; --keep-nan-rows keeps them). The `*_nodiff` models
drop Differences (LocalStandardScaler alone). A series is cut into one mlforecast id per ETL
segment (ds = position in the segment), because tracecast's windows never span a long gap.
`autoets`: statsforecast AutoETS(season_length=1) per series, fitted once up to the series'
first origin and filtered forward to every later origin (cross_validation, refit=False). Forecasts are recursive, H steps,
from every origin of tracecast's validation and test windows. They are computed by an
explicit, vectorised loop equivalent to mlforecast's `cross_validation(refit=False,
step_size=1)` (which calls `predict(new_df=history up to the cutoff)` per window: the target
transforms are refitted on that history, the fitted booster is reused): the differences are
standardised with the mean and population standard deviation of the series' differences up
to the origin, lags of the transformed series feed the booster, each step's prediction becomes
lag 1 of the next, and the inverse transform adds the cumulative predicted differences to
y(t). `--verify` compares this loop with `MLForecast.predict(h=H, new_df=...)` on a few
origins and persistence's MAE with a plain numpy computation.

Metrics per model and source: MAE over steps 1..H (pooled over each job's test windows) /
persistence's MAE on the same points (persistence = y(t) repeated), mean over jobs; the same
per step; split-conformal intervals at 80 % and 90 % calibrated per job and step on the
absolute residuals of the validation windows (the ceil((n+1)q)-th smallest), their test
coverage and mean width pooled over steps and jobs; wall time (fit + forecasts + intervals).
Forecasts and bounds are clipped at the target's physical minimum (manifest.targetBounds), as
tracecast clips.

Usage: peer.py DATASET... [--models per_job,global,per_job_nodiff,global_nodiff,autoets]
               [--results CSV] [--verify] [--per-job] [--keep-nan-rows] [--threads N]
"""
import argparse
import csv
import datetime
import json
import math
import os
import sys
import time

import numpy as np
import pandas as pd
import pyarrow.dataset as pads

import lightgbm as lgb
import mlforecast
from mlforecast import MLForecast
from mlforecast.target_transforms import Differences, LocalStandardScaler

LEVELS = (80, 90)
# per_job / global: one model per job / over every job, with the transforms
# (Differences([1]) then LocalStandardScaler); *_nodiff: LocalStandardScaler alone (lags of
# the standardised level), a variant measured because differencing costs accuracy here.
# autoets: statsforecast AutoETS per series (non-seasonal: a one-day season of 288 steps is out
# of ETS's reach), optional.
MODELS = ("per_job", "global", "per_job_nodiff", "global_nodiff", "autoets")
CSV_COLUMNS = ["date", "source", "horizon", "model", "jobs", "mae_vs_persistence",
               "pi80_coverage", "pi80_width", "pi90_coverage", "pi90_width", "wall_s",
               "step_ratios", "test_windows", "train", "versions"]


# ---------------------------------------------------------------- dataset contract (read only)

def utc_micros(col):
    """Timestamps as naive UTC microseconds (Spark writes them zone-adjusted)."""
    return pd.to_datetime(col, utc=True).dt.tz_localize(None).astype("datetime64[us]")


def read_dataset(path):
    with open(os.path.join(path, "manifest.json")) as f:
        manifest = json.load(f)
    target = manifest["targets"][0]
    if len(manifest["targets"]) > 1:
        print(f"{path}: {len(manifest['targets'])} targets, the peer forecasts the first ({target})",
              file=sys.stderr)
    table = pads.dataset(os.path.join(path, "series"), format="parquet",
                         partitioning="hive").to_table(
        columns=["job_id", "series_id", "ts", "segment", "split", target])
    series = table.to_pandas()
    series = series.rename(columns={target: "y"})
    series["ts"] = utc_micros(series["ts"])
    series = series.sort_values(["job_id", "series_id", "ts"], kind="stable").reset_index(drop=True)
    windows = {}
    for split in ("validation", "test"):
        d = os.path.join(path, "windows", f"split={split}")
        if not os.path.isdir(d):
            windows[split] = pd.DataFrame(columns=["job_id", "series_id", "segment", "end_time"])
            continue
        w = pads.dataset(d, format="parquet", partitioning="hive").to_table(
            columns=["job_id", "series_id", "segment", "end_time", "targets"]).to_pandas()
        w["end_time"] = utc_micros(w["end_time"])
        windows[split] = w
    return manifest, target, series, windows


def day_lag_steps(manifest):
    step = int(manifest["stepSeconds"])
    if 86400 % step:
        raise SystemExit(f"step {step} s does not divide a day")
    return 86400 // step


# ---------------------------------------------------------------- per-series arrays and origins

class Panel:
    """Series cut into uids = (job, series, segment); positions are indices inside a uid."""

    def __init__(self, series):
        s = series.copy()
        s["uid"] = (s["job_id"].astype(str) + "|" + s["series_id"].astype(str) + "|"
                    + s["segment"].astype(str))
        s["pos"] = s.groupby("uid", sort=False).cumcount()
        self.frame = s
        self.uids = list(dict.fromkeys(s["uid"]))
        self.job_of = dict(zip(s["uid"], s["job_id"]))
        self.values = {u: g["y"].to_numpy(float) for u, g in s.groupby("uid", sort=False)}
        self.splits = {u: g["split"].to_numpy() for u, g in s.groupby("uid", sort=False)}

    def origins(self, windows, manifest, horizon, check=True):
        """Maps each window to (uid, position of its end_time); checks its targets."""
        s = self.frame[["job_id", "series_id", "ts", "uid", "pos"]]
        m = windows.merge(s, left_on=["job_id", "series_id", "end_time"],
                          right_on=["job_id", "series_id", "ts"], how="left")
        missing = m["uid"].isna().sum()
        if missing:
            raise SystemExit(f"{missing} windows have no point at their end_time in series/")
        m["pos"] = m["pos"].astype(int)
        if check and len(m):
            target = manifest["targets"][0]
            worst = 0.0
            for job, g in m.groupby("job_id"):
                sc = manifest["scalers"][job][target]
                stored = np.stack([np.frombuffer(b, "<f4") for b in g["targets"]])
                stored = stored.reshape(len(g), horizon, -1)[:, :, 0].astype(float)
                orig = sc["offset"] + sc["scale"] * stored
                ours = np.stack([self.values[u][p + 1:p + 1 + horizon]
                                 for u, p in zip(g["uid"], g["pos"])])
                tol = 1e-6 + 1e-6 * abs(sc["scale"]) + 1e-6 * np.abs(ours)
                bad = np.abs(orig - ours) > tol
                worst = max(worst, float(np.max(np.abs(orig - ours))))
                if bad.any():
                    raise SystemExit(f"job {job}: {bad.any(axis=1).sum()} windows whose stored "
                                     f"targets differ from series/ (worst {worst:g})")
            self.target_check = worst
        return m[["job_id", "uid", "pos"]].reset_index(drop=True)

    def train_frame(self, uids):
        f = self.frame[self.frame["uid"].isin(uids) & (self.frame["split"] == "train")]
        return f[["uid", "pos", "y"]].rename(columns={"uid": "unique_id", "pos": "ds"})


# ---------------------------------------------------------------- model and recursive forecasts

def make_forecaster(lags, diff, threads, seed, estimators, learning_rate):
    model = lgb.LGBMRegressor(objective="l1", n_estimators=estimators, learning_rate=learning_rate,
                              num_leaves=31, min_child_samples=20, random_state=seed,
                              n_jobs=threads, verbosity=-1, deterministic=True)
    transforms = ([Differences([1])] if diff else []) + [LocalStandardScaler()]
    return MLForecast(models={"lgb": model}, freq=1, lags=lags, target_transforms=transforms)


def recursive_forecasts(fcst, panel, origins, horizon, lags, diff):
    """[n, horizon] forecasts from every origin (uid, pos): see the module docstring.

    x is the first difference of y (diff) or y itself; it is standardised with the mean and
    population standard deviation of x over the uid's history up to the origin (what
    LocalStandardScaler fits on new_df), lags of z feed the booster, and the inverse transform
    is y(t) + cumsum(z * sd + mean) (diff) or z * sd + mean.
    """
    booster = fcst.models_["lgb"]
    names = list(fcst.ts.features_order_)
    expected = [f"lag{k}" for k in lags]
    if sorted(names) != sorted(expected):
        raise SystemExit(f"unexpected mlforecast features {names}")
    n = len(origins)
    if n == 0:
        return np.empty((0, horizon))
    max_lag = max(lags)
    first = 1 if diff else 0  # first position where x is defined
    hist = np.full((n, max_lag + horizon), np.nan)  # z at positions t-max_lag+1 .. t+horizon
    last = np.empty(n)
    mu = np.empty(n)
    sd = np.empty(n)
    offs = np.arange(-max_lag + 1, 1)
    pos_all = origins["pos"].to_numpy()
    for uid, idx in origins.groupby("uid").indices.items():
        y = panel.values[uid]
        x = np.concatenate([[np.nan], np.diff(y)]) if diff else y.copy()
        xs = np.nan_to_num(x)
        c1 = np.concatenate([[0.0], np.cumsum(xs)])
        c2 = np.concatenate([[0.0], np.cumsum(xs ** 2)])
        pos = pos_all[idx]
        cnt = np.maximum(pos + 1 - first, 1)
        m = c1[pos + 1] / cnt
        s = np.sqrt(np.maximum(c2[pos + 1] / cnt - m ** 2, 0.0))
        s[s == 0] = 1.0  # coreforecast leaves a constant history unscaled
        mu[idx], sd[idx], last[idx] = m, s, y[pos]
        p = pos[:, None] + offs[None, :]
        valid = p >= first
        z = np.full(p.shape, np.nan)
        mm = np.broadcast_to(m[:, None], p.shape)
        ss = np.broadcast_to(s[:, None], p.shape)
        z[valid] = (x[p[valid]] - mm[valid]) / ss[valid]
        hist[idx, :max_lag] = z
    for h in range(horizon):
        cur = max_lag + h  # column of the position being forecast
        X = pd.DataFrame({f"lag{k}": hist[:, cur - k] for k in lags})[names]
        hist[:, cur] = booster.predict(X)
    xz = hist[:, max_lag:max_lag + horizon] * sd[:, None] + mu[:, None]
    return last[:, None] + np.cumsum(xz, axis=1) if diff else xz


def ets_forecasts(panel, val, test, horizon):
    """AutoETS per uid, fitted once on the history up to the uid's first origin (its last train
    point where it has validation windows), then statsforecast's cross_validation(refit=False,
    step_size=1) filters the fitted model through the data to every later origin."""
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS
    both = pd.concat([val.assign(which=0, row=np.arange(len(val))),
                      test.assign(which=1, row=np.arange(len(test)))], ignore_index=True)
    out = {0: np.full((len(val), horizon), np.nan), 1: np.full((len(test), horizon), np.nan)}
    for uid, g in both.groupby("uid"):
        first, last = int(g["pos"].min()), int(g["pos"].max())
        y = panel.values[uid][:last + horizon + 1]
        df = pd.DataFrame({"unique_id": uid, "ds": np.arange(len(y)), "y": y})
        sf = StatsForecast(models=[AutoETS(season_length=1)], freq=1, n_jobs=1)
        cv = sf.cross_validation(df=df, h=horizon, n_windows=last - first + 1, step_size=1,
                                 refit=False)
        cv = cv.sort_values(["cutoff", "ds"])
        cut = np.sort(cv["cutoff"].unique())
        if len(cv) != len(cut) * horizon or not np.array_equal(cut, np.arange(first, last + 1)):
            raise SystemExit(f"{uid}: unexpected AutoETS cross-validation windows")
        fc = cv["AutoETS"].to_numpy().reshape(-1, horizon)
        at = np.searchsorted(cut, g["pos"].to_numpy())
        for which in (0, 1):
            sel = g["which"].to_numpy() == which
            out[which][g["row"].to_numpy()[sel]] = fc[at[sel]]
    return out[0], out[1]


def verify_against_mlforecast(fcst, panel, origins, fc, horizon, k=3):
    """Max |loop - MLForecast.predict(new_df=history up to t)| over k origins of one uid."""
    uid = origins["uid"].iloc[0]
    rows = np.flatnonzero(origins["uid"].to_numpy() == uid)
    pick = rows[np.linspace(0, len(rows) - 1, min(k, len(rows))).astype(int)]
    worst = 0.0
    for r in pick:
        t = int(origins["pos"].iloc[r])
        y = panel.values[uid][:t + 1]
        new_df = pd.DataFrame({"unique_id": uid, "ds": np.arange(t + 1), "y": y})
        ref = fcst.predict(h=horizon, new_df=new_df)["lgb"].to_numpy()
        worst = max(worst, float(np.max(np.abs(ref - fc[r]))))
    return uid, pick, worst


# ---------------------------------------------------------------- metrics

def conformal_offsets(residuals, level):
    """Per step: the ceil((n+1)q)-th smallest absolute validation residual (inf if too few)."""
    n = residuals.shape[0]
    if n == 0:
        return np.full(residuals.shape[1], np.inf)
    k = math.ceil((n + 1) * level / 100.0)
    if k > n:
        return np.full(residuals.shape[1], np.inf)
    return np.sort(residuals, axis=0)[k - 1]


def score(panel, val, test, fc_val, fc_test, horizon, lower_bound):
    """Per job ratios and interval figures; returns a dict of pooled figures."""
    def clip(a):
        return a if lower_bound is None else np.maximum(a, lower_bound)

    def actuals(orig):
        return np.stack([panel.values[u][p + 1:p + 1 + horizon]
                         for u, p in zip(orig["uid"], orig["pos"])]) if len(orig) else \
            np.empty((0, horizon))

    y_val, y_test = actuals(val), actuals(test)
    persist = np.stack([np.full(horizon, panel.values[u][p]) for u, p in
                        zip(test["uid"], test["pos"])]) if len(test) else np.empty((0, horizon))
    fc_val, fc_test = clip(fc_val), clip(fc_test)
    ratios, step_ratios, skipped = {}, {}, []
    cover = {L: [0, 0] for L in LEVELS}
    width = {L: 0.0 for L in LEVELS}
    per_job = {}
    for job in sorted(set(test["job_id"])):
        it = np.flatnonzero(test["job_id"].to_numpy() == job)
        iv = np.flatnonzero(val["job_id"].to_numpy() == job)
        err = np.abs(fc_test[it] - y_test[it])
        perr = np.abs(persist[it] - y_test[it])
        if perr.mean() == 0:
            skipped.append(job)  # persistence exact on every test point: ratio undefined
            continue
        ratios[job] = err.mean() / perr.mean()
        with np.errstate(divide="ignore", invalid="ignore"):
            step_ratios[job] = err.mean(axis=0) / perr.mean(axis=0)
        res = np.abs(fc_val[iv] - y_val[iv])
        for L in LEVELS:
            q = conformal_offsets(res, L)
            lo = clip(fc_test[it] - q)
            hi = fc_test[it] + q
            inside = (y_test[it] >= lo) & (y_test[it] <= hi)
            cover[L][0] += int(inside.sum())
            cover[L][1] += inside.size
            width[L] += float(np.sum(hi - lo))
        per_job[job] = (len(it), ratios[job], err.mean(), perr.mean())
    jobs = list(ratios)
    steps = np.nanmean(np.stack([step_ratios[j] for j in jobs]), axis=0) if jobs else \
        np.full(horizon, np.nan)
    out = {"jobs": len(jobs), "skipped": skipped, "per_job": per_job,
           "mae_vs_persistence": float(np.mean([ratios[j] for j in jobs])) if jobs else math.nan,
           "steps": steps, "persist": persist, "y_test": y_test}
    for L in LEVELS:
        n = cover[L][1]
        out[f"pi{L}_coverage"] = cover[L][0] / n if n else math.nan
        out[f"pi{L}_width"] = width[L] / n if n else math.nan
    return out


def check_persistence_by_hand(panel, test, result, horizon, series_rows):
    """Persistence MAE of a few test origins of one job, straight from the series table."""
    job = next(iter(result["per_job"]))
    sub = series_rows[series_rows["job_id"] == job]
    first = test[test["job_id"] == job].iloc[:5]
    errs, mine = [], []
    for _, o in first.iterrows():
        u = o["uid"]
        sid, seg = u.split("|")[1], int(u.split("|")[2])
        y = sub[(sub["series_id"] == sid) & (sub["segment"] == seg)]["y"].to_numpy()
        t = int(o["pos"])
        errs.append(np.abs(y[t + 1:t + 1 + horizon] - y[t]).mean())
        row = int(np.flatnonzero((test["uid"].to_numpy() == u) &
                                 (test["pos"].to_numpy() == t))[0])
        mine.append(np.abs(result["persist"][row] - result["y_test"][row]).mean())
    return job, float(np.mean(errs)), float(np.mean(mine))


# ---------------------------------------------------------------- driver

def run(path, args, versions):
    manifest, target, series, windows = read_dataset(path)
    source = manifest["source"]
    horizon = int(manifest["horizon"])
    day = day_lag_steps(manifest)
    lags = list(range(1, 13)) + ([day] if day > 12 else [])
    bound = (manifest.get("targetBounds", {}).get(target) or {}).get("min")
    panel = Panel(series)
    val = panel.origins(windows["validation"], manifest, horizon)
    test = panel.origins(windows["test"], manifest, horizon)
    print(f"\n{source} (H = {horizon}, step {manifest['stepSeconds']} s, target {target}): "
          f"{series['job_id'].nunique()} jobs, {len(panel.uids)} series-segments, "
          f"{len(series)} points; {len(val)} validation and {len(test)} test windows "
          f"(stored targets = series/ within {panel.target_check:.2g}); lags {lags}")
    rows = []
    for model in args.models:
        diff = not model.endswith("_nodiff")
        start = time.time()
        fc_val = np.empty((len(val), horizon))
        fc_test = np.empty((len(test), horizon))
        if model == "autoets":
            fc_val, fc_test = ets_forecasts(panel, val, test, horizon)
            groups = []
        else:
            groups = ([(j, sorted({u for u in panel.uids if panel.job_of[u] == j}))
                       for j in sorted(set(panel.job_of.values()))]
                      if model.startswith("per_job") else [("(all)", panel.uids)])
        verified = None
        for job, uids in groups:
            train = panel.train_frame(uids)
            iv = np.flatnonzero(val["uid"].isin(uids).to_numpy())
            it = np.flatnonzero(test["uid"].isin(uids).to_numpy())
            if len(it) == 0 and len(iv) == 0:
                continue
            if train.empty:
                raise SystemExit(f"{source} job {job}: no train points")
            fcst = make_forecaster(lags, diff, args.threads, args.seed, args.estimators,
                                   args.learning_rate)
            fcst.fit(train, id_col="unique_id", time_col="ds", target_col="y",
                     dropna=not args.keep_nan_rows)
            fc_val[iv] = recursive_forecasts(fcst, panel, val.iloc[iv], horizon, lags, diff)
            fc_test[it] = recursive_forecasts(fcst, panel, test.iloc[it], horizon, lags, diff)
            if args.verify and verified is None and len(it):
                verified = verify_against_mlforecast(fcst, panel, test.iloc[it].reset_index(drop=True),
                                                     fc_test[it], horizon)
        res = score(panel, val, test, fc_val, fc_test, horizon, bound)
        wall = time.time() - start
        if verified:
            print(f"  verify {model}: loop vs MLForecast.predict(new_df) on {verified[0]} at "
                  f"{len(verified[1])} origins: max |diff| = {verified[2]:.3g}")
        if args.verify and model == args.models[0]:
            job, hand, mine = check_persistence_by_hand(panel, test, res, horizon, panel.frame)
            print(f"  verify persistence: job {job}, first 5 test origins, MAE by hand "
                  f"{hand:.6g}, scored {mine:.6g}")
        rows.append((source, horizon, model, res, wall, len(test)))
        if args.per_job:
            for j, (n, r, e, p) in res["per_job"].items():
                print(f"    {model} {j}: {n} windows, MAE {e:.4g}, persistence {p:.4g}, ratio {r:.3f}")
        if res["skipped"]:
            print(f"  {model}: jobs left out (persistence exact on all test points): {res['skipped']}")
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("datasets", nargs="+")
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--results", default=None, help="CSV to append rows to")
    ap.add_argument("--verify", action="store_true")
    ap.add_argument("--per-job", action="store_true")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=20261207)
    ap.add_argument("--estimators", type=int, default=300)
    ap.add_argument("--learning-rate", type=float, default=0.05)
    ap.add_argument("--keep-nan-rows", action="store_true",
                    help="train on rows whose day lag is missing too (mlforecast dropna=False)")
    args = ap.parse_args()
    args.models = [m for m in args.models.split(",") if m]
    for m in args.models:
        if m not in MODELS:
            raise SystemExit(f"unknown model {m} ({', '.join(MODELS)})")
    import statsforecast
    versions = (f"mlforecast {mlforecast.__version__}, lightgbm {lgb.__version__}, "
                f"statsforecast {statsforecast.__version__}, "
                f"pandas {pd.__version__}, numpy {np.__version__}")
    rows = []
    for path in args.datasets:
        rows += run(path, args, versions)
    print(f"\n{'source':<11} {'H':>2} {'model':<14} {'jobs':>4} {'MAE/pers':>8} {'step1':>6} "
          f"{'stepH':>6} {'PI80 cov':>8} {'width':>8} {'PI90 cov':>8} {'width':>8} {'wall s':>7}")
    today = datetime.date.today().isoformat()
    out = []
    for source, horizon, model, r, wall, n in rows:
        s = r["steps"]
        print(f"{source:<11} {horizon:>2} {model:<14} {r['jobs']:>4} {r['mae_vs_persistence']:>8.3f} "
              f"{s[0]:>6.3f} {s[-1]:>6.3f} {r['pi80_coverage']:>8.3f} {r['pi80_width']:>8.3g} "
              f"{r['pi90_coverage']:>8.3f} {r['pi90_width']:>8.3g} {wall:>7.1f}")
        out.append({"date": today, "source": source, "horizon": horizon,
                    "model": ("statsforecast_autoets" if model == "autoets"
                              else f"mlforecast_lgbm_{model}"), "jobs": r["jobs"],
                    "mae_vs_persistence": f"{r['mae_vs_persistence']:.4f}",
                    "pi80_coverage": f"{r['pi80_coverage']:.4f}", "pi80_width": f"{r['pi80_width']:.5g}",
                    "pi90_coverage": f"{r['pi90_coverage']:.4f}", "pi90_width": f"{r['pi90_width']:.5g}",
                    "wall_s": f"{wall:.1f}", "step_ratios": " ".join(f"{x:.3f}" for x in s),
                    "test_windows": n, "versions": versions,
                    "train": "train split" + (", NaN-lag rows kept" if args.keep_nan_rows else "")})
    print(versions)
    if args.results:
        new = not os.path.exists(args.results) or os.path.getsize(args.results) == 0
        with open(args.results, "a", newline="") as f:
            w = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
            if new:
                w.writeheader()
            w.writerows(out)


if __name__ == "__main__":
    main()
