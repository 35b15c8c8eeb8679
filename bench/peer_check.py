#!/usr/bin/env python3
"""Independent checks of bench/peer.py (run with bench/.venv-peer's python; documentation only).

1. persistence BITBRAINS_H12_DIR: pyarrow + numpy only (nothing from peer.py): the test windows
   of Bitbrains VM 1 read straight from windows/ and series/, their stored targets inverted with
   the manifest's job scaler against series/, and persistence's MAE by hand over the first 5, 50
   and all test origins (compare with `peer.py --verify`: "verify persistence ... first 5").
2. cv GOOGLE2019_H12_DIR: peer.py's vectorised recursive loop against mlforecast's own
   cross_validation(refit=False, step_size=1) over the test origins, with the same booster
   (both fitted on the history up to the first cutoff).
"""
import glob
import json
import sys

import numpy as np
import pyarrow.parquet as pq


def persistence(ds):
    man = json.load(open(f"{ds}/manifest.json"))
    H = man["horizon"]
    job = "2013-7"
    sc = man["scalers"][job]["cpu"]
    w = pq.ParquetDataset(glob.glob(f"{ds}/windows/split=test/*/*.parquet")).read(
        columns=["series_id", "end_time", "targets"]).to_pandas()
    s = pq.ParquetDataset(glob.glob(f"{ds}/series/*/*.parquet")).read(
        columns=["series_id", "ts", "cpu"]).to_pandas()
    s1 = s[s.series_id == "1"].sort_values("ts")
    ts = s1.ts.values.astype("datetime64[us]")
    y = s1.cpu.values
    w1 = w[w.series_id == "1"].sort_values("end_time")
    ends = w1.end_time.values.astype("datetime64[us]")
    idx = np.searchsorted(ts, ends)
    assert (ts[idx] == ends).all()
    stored = np.stack([np.frombuffer(b, "<f4") for b in w1.targets]).astype(float)
    stored = stored * sc["scale"] + sc["offset"]
    by_hand = np.stack([y[i + 1:i + 1 + H] for i in idx])
    print("stored targets vs series/: max |diff|", np.abs(stored - by_hand).max())
    for k in (5, 50, len(idx)):
        e = np.abs(by_hand[:k] - y[idx[:k], None])
        print(f"VM 1, first {k} test origins: persistence MAE {e.mean():.6g}; "
              f"step 1 {e[:, 0].mean():.6g}, step {H} {e[:, -1].mean():.6g}")


def cv(ds):
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    import pandas as pd
    import peer
    m, _, s, w = peer.read_dataset(ds)
    H = int(m["horizon"])
    P = peer.Panel(s)
    te = P.origins(w["test"], m, H)
    lags = list(range(1, 13)) + [peer.day_lag_steps(m)]
    df = P.frame[["uid", "pos", "y"]].rename(columns={"uid": "unique_id", "pos": "ds"})
    counts = te.groupby("uid").size()
    assert counts.nunique() == 1 and len(counts) == len(P.uids), "needs equal one-segment series"
    f = peer.make_forecaster(lags, True, 1, 20261207, 300, 0.05)
    out = f.cross_validation(df, n_windows=int(counts.iloc[0]), h=H, step_size=1, refit=False,
                             id_col="unique_id", time_col="ds", target_col="y")
    first = int(out["cutoff"].min())
    print("cross_validation first cutoff", first, "= first test origin", int(te.pos.min()))
    g = peer.make_forecaster(lags, True, 1, 20261207, 300, 0.05)
    g.fit(df[df.ds <= first], id_col="unique_id", time_col="ds", target_col="y")
    fc = peer.recursive_forecasts(g, P, te, H, lags, True)
    ours = pd.DataFrame({"unique_id": np.repeat(te.uid.values, H),
                         "cutoff": np.repeat(te.pos.values, H),
                         "ds": (te.pos.values[:, None] + np.arange(1, H + 1)).ravel(),
                         "loop": fc.ravel()})
    j = out.merge(ours, on=["unique_id", "cutoff", "ds"], how="outer", indicator=True)
    print("pairs", j["_merge"].value_counts().to_dict())
    j["d"] = (j["lgb"] - j["loop"]).abs()
    per_cut = j.groupby("cutoff")["d"].max()
    print(f"max |cv - loop| {j['d'].max():.3g} (mean |forecast| {j['lgb'].abs().mean():.3g}); "
          f"cutoffs within 1e-15: {(per_cut < 1e-15).sum()} of {len(per_cut)}; "
          f"worst cutoff {per_cut.idxmax()}")


if __name__ == "__main__":
    {"persistence": persistence, "cv": cv}[sys.argv[1]](sys.argv[2])
