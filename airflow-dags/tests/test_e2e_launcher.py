"""The DAG's rendered application arguments, run through bin/tracecast (the same
io.tracecast.cli.Main that spark-submit runs) on two real Bitbrains VMs: proves the argument
lists are ones the CLI accepts and that they produce a dataset and a registry version."""
import json
import os
import shutil
import subprocess

import pytest

from conftest import ROOT

pytestmark = pytest.mark.e2e

DS = "2024-03-05"
LAUNCHER = ROOT / "bin" / "tracecast"
# What bin/tracecast needs to start without building the project itself.
# The shaded jar (tracecast-<version>.jar) and the provided part of the classpath.
BUILT = ["cli/target/tracecast-[0-9]*.jar", "cli/target/classpath.txt"]


@pytest.fixture(scope="module")
def launcher():
    missing = [pattern for pattern in BUILT if not any(ROOT.glob(pattern))]
    if missing:
        pytest.skip("cli not built (missing " + ", ".join(missing)
                    + "): run `mvn -B verify`, or `mvn -DskipTests package` first")
    env = dict(os.environ)
    env["TRACECAST_JAVA_OPTS"] = " ".join(
        [env.get("TRACECAST_JAVA_OPTS", ""), "-Dtracecast.train.max-epochs=1"]).strip()
    env.setdefault("TRACECAST_DRIVER_MEMORY", "2g")

    def run(arguments, timeout=240):
        return subprocess.run([str(LAUNCHER), *arguments], env=env, capture_output=True,
                              text=True, timeout=timeout, cwd=ROOT)
    return run


@pytest.fixture(scope="module")
def day(tmp_path_factory):
    """Two VMs of the bundled month folder (the folder names the job) and the run's conf."""
    tmp = tmp_path_factory.mktemp("dag-e2e")
    month = tmp / "traces" / "2013-7"
    month.mkdir(parents=True)
    for vm in ("1.csv.gz", "2.csv.gz"):
        shutil.copy(ROOT / "data" / "samples" / "bitbrains" / "2013-7" / vm, month / vm)
    conf = {"inputs": [str(month)], "datasets": str(tmp / "datasets"),
            "registry": str(tmp / "registry"), "reports": str(tmp / "reports"),
            "profile": "local", "models": "lstm"}
    return tmp, conf


def rendered(dag_module, task_id, conf):
    return dag_module.dag.task_dict[task_id].render(DS, conf)["application_args"]


def check(result):
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


def test_etl_then_train_arguments_run_through_the_launcher(dag_module, launcher, day):
    tmp, conf = day
    etl = rendered(dag_module, "etl", conf)
    check(launcher(etl))
    manifest = json.loads((tmp / "datasets" / "bitbrains" / DS / "manifest.json").read_text())
    counts = manifest["counts"]
    assert counts["rowsRead"] == counts["rowsAccepted"] + counts["rowsQuarantined"] > 0
    assert sum(counts["windows"].values()) > 0
    # (re-running a day with --overwrite: HdfsPipelineIT, where it costs no second JVM)

    out = check(launcher(rendered(dag_module, "train", conf))).stdout
    assert "published" in out
    versions = sorted((tmp / "registry").glob("*/lstm/v*/model.zip"))
    assert [p.parent.name for p in versions] == ["v1"], out
    metadata = json.loads((versions[0].parent / "metadata.json").read_text())
    assert metadata["datasetFingerprint"] == manifest["fingerprint"]


def test_evaluate_and_publish_arguments_run_through_the_launcher(dag_module, launcher, day):
    tmp, conf = day
    if not (tmp / "datasets" / "bitbrains" / DS / "manifest.json").is_file():
        pytest.skip("needs the dataset and registry of the etl/train test")
    check(launcher(rendered(dag_module, "evaluate", conf), timeout=300))
    assert (tmp / "reports" / "_staging" / DS).is_dir()
    script = dag_module.dag.task_dict["publish_report"].render(DS, conf)["bash_command"]
    check(subprocess.run(["bash", "-c", script], capture_output=True, text=True))
    assert (tmp / "reports" / DS).is_dir() and not (tmp / "reports" / "_staging" / DS).exists()
    published = tmp / "reports" / DS
    assert (published / "index.html").is_file() and (published / "comparison.md").is_file()
    assert "persistence" in (published / "comparison.csv").read_text()
