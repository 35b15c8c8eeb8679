"""Reads tracecast's MLflow export back through MLflow's own Python client.

    python read_mlflow_export.py TRACKING_URI NAME_PREFIX

Prints one JSON object: the mlflow version and, per registered model whose name starts with
NAME_PREFIX + ".", its tags, aliases and versions (tags, source, run status, params, latest
metrics, history lengths, artifacts listed). For each registered model with a `champion`
alias it also downloads `models:/<name>@champion` and checks every file against the
checksums.sha256 that came with it. MlflowExportIT (cli) runs it with the venv's python and
asserts on the JSON; the script itself asserts nothing.
"""
import hashlib
import json
import os
import sys
import tempfile

import mlflow
from mlflow import MlflowClient


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def verify_download(name):
    """Files of models:/<name>@champion whose SHA-256 matches the listing, and the mismatches."""
    with tempfile.TemporaryDirectory() as tmp:
        local = mlflow.artifacts.download_artifacts(f"models:/{name}@champion", dst_path=tmp)
        matched, bad = [], []
        with open(os.path.join(local, "checksums.sha256"), encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    digest, file = line.rstrip("\n").split("  ", 1)
                    (matched if sha256(os.path.join(local, file)) == digest else bad).append(file)
        return {"files": sorted(os.listdir(local)), "verified": sorted(matched), "bad": bad}


def main(uri, prefix):
    mlflow.set_tracking_uri(uri)
    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    models = []
    for rm in client.search_registered_models(filter_string=f"name LIKE '{prefix}.%'"):
        versions = []
        for mv in client.search_model_versions(f"name = '{rm.name}'"):
            run = client.get_run(mv.run_id)
            versions.append({
                "version": mv.version,
                "tags": mv.tags,
                "aliases": list(mv.aliases),
                "source": mv.source,
                "run_id": mv.run_id,
                "run_status": run.info.status,
                "params": run.data.params,
                "metrics": run.data.metrics,
                "run_tags": {k: v for k, v in run.data.tags.items() if k.startswith("tracecast.")},
                "artifacts": sorted(a.path for a in client.list_artifacts(mv.run_id, "model")),
                "intervals": {a.path: json.loads(mlflow.artifacts.load_text(
                    f"runs:/{mv.run_id}/{a.path}"))
                    for a in client.list_artifacts(mv.run_id, "intervals")},
                "test_mae_points": len(client.get_metric_history(mv.run_id, "test/mae")),
                "train_loss_points": len(client.get_metric_history(mv.run_id,
                                                                   "training/train_loss")),
            })
        entry = {"name": rm.name, "tags": rm.tags, "aliases": dict(rm.aliases),
                 "versions": sorted(versions, key=lambda v: int(v["version"]))}
        if "champion" in rm.aliases:
            entry["champion_download"] = verify_download(rm.name)
        models.append(entry)
    runs = client.search_runs(
        [e.experiment_id for e in client.search_experiments()], max_results=1000)
    print(json.dumps({"mlflow": mlflow.__version__, "runs": len(runs),
                      "models": sorted(models, key=lambda m: m["name"])}, indent=1))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
