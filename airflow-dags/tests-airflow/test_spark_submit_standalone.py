"""README.md's spark-submit commands ("Running on a cluster"), as written there, run by the
pyspark wheel's Spark distribution against a standalone cluster that the distribution's own
sbin/spark-daemon.sh starts on loopback (a master, two 1-core workers): etl -> train -> evaluate
-> predict in client mode, then etl in cluster deploy mode. The wheel's sbin/ has no
start-master.sh or start-worker.sh; spark-daemon.sh is what they call, with the arguments they
pass (Spark 3.5.6's sbin/start-master.sh, sbin/start-worker.sh).

What differs from the README's text, and only that (see readme_script):
  - the master URL (spark://master:7077) is this cluster's;
  - hdfs://nn/traces/google2019 is the bundled Google 2019 sample, other hdfs://nn/ paths are
    local directories (file://): one machine, no HDFS;
  - -Dtracecast.train.max-epochs=50 is 1, to keep the test short;
  - the cluster's size is in $SPARK_CONF_DIR/spark-defaults.conf (1-core, 1 GiB executors):
    the standalone profile asks for 4-core executors, which 1-core workers never grant, and
    spark-submit's properties win over a profile's.
"""
import json
import os
import pathlib
import re
import time

import pytest

from conftest import ROOT, check, free_port, run

README = ROOT / "README.md"
WORKERS = 2
WORKER_MEMORY = "2g"  # a 1 GiB executor, or in cluster mode a 1 GiB driver, per worker
STEP_TIMEOUT_S = 420
MASTER = "org.apache.spark.deploy.master.Master"
WORKER = "org.apache.spark.deploy.worker.Worker"


def readme_block():
    """The README's spark-submit block: from `OPENS=` to the end of its fenced block."""
    text = README.read_text()
    match = re.search(r"```bash\n(OPENS=.*?)```", text, re.S)
    assert match, "README.md has no ```bash block starting with OPENS="
    return match.group(1)


def readme_script(master, work):
    block = readme_block()
    for documented in ("spark://master:7077", "hdfs://nn/traces/google2019",
                       "-Dtracecast.train.max-epochs=50", "hdfs://nn/"):
        assert documented in block, f"README's spark-submit block no longer says {documented}"
    block = block.replace("spark://master:7077", master)
    block = block.replace("hdfs://nn/traces/google2019",
                          str(ROOT / "data" / "samples" / "google2019"))
    block = block.replace("-Dtracecast.train.max-epochs=50", "-Dtracecast.train.max-epochs=1")
    block = block.replace("hdfs://nn/", f"file://{work}/")
    return block


def split_commands(block):
    """The block's preamble (OPENS, JAR, SUBMIT) and its commands, one string each."""
    joined = re.sub(r"\\\n\s*", " ", block)
    lines = [re.sub(r"\s+#.*$", "", line).strip() for line in joined.splitlines()]
    preamble, commands, in_submit = [], [], False
    for line in lines:
        if not line:
            continue
        if line.startswith('"${SUBMIT[@]}"') and not in_submit:
            commands.append(line)
        else:
            preamble.append(line)
            in_submit = (line.startswith("SUBMIT=(") or in_submit) and not line.endswith(")")
    return "\n".join(preamble), commands


@pytest.fixture(scope="module")
def cluster(spark_env, tmp_path_factory):
    """A standalone master and WORKERS one-core workers from the distribution's sbin scripts,
    logs and pid files under a temp dir; stopped after the tests, also when they fail."""
    work = tmp_path_factory.mktemp("standalone")
    conf_dir = work / "conf"
    conf_dir.mkdir()
    master_port, ui_port = free_port(), free_port()
    env = dict(spark_env)
    env.update({
        "SPARK_CONF_DIR": str(conf_dir),
        "SPARK_LOG_DIR": str(work / "logs"),
        "SPARK_PID_DIR": str(work / "pids"),
        "SPARK_WORKER_DIR": str(work / "worker"),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "SPARK_MASTER_HOST": "127.0.0.1",
        "SPARK_MASTER_PORT": str(master_port),
        "SPARK_MASTER_WEBUI_PORT": str(ui_port),
        "SPARK_WORKER_CORES": "1",
        "SPARK_WORKER_MEMORY": WORKER_MEMORY,
    })
    # What the user of a small cluster sets once for every spark-submit: executor size,
    # the driver's address on loopback, few shuffle partitions for a small dataset.
    (conf_dir / "spark-defaults.conf").write_text(
        "spark.executor.cores 1\nspark.executor.memory 1g\nspark.driver.host 127.0.0.1\n"
        "spark.sql.shuffle.partitions 4\n")
    daemon = str(pathlib.Path(env["SPARK_HOME"]) / "sbin" / "spark-daemon.sh")
    master = f"spark://127.0.0.1:{master_port}"
    try:
        check(run([daemon, "start", MASTER, "1", "--host", "127.0.0.1", "--port",
                   str(master_port), "--webui-port", str(ui_port)], env, 120))
        for instance in range(1, WORKERS + 1):
            check(run([daemon, "start", WORKER, str(instance), "--webui-port",
                       str(free_port()), master], env, 120))
        wait_for_workers(ui_port, WORKERS, work / "logs")
        yield master, env, work
    finally:
        for instance in range(1, WORKERS + 1):
            run([daemon, "stop", WORKER, str(instance)], env, 120)
        run([daemon, "stop", MASTER, "1"], env, 120)


def wait_for_workers(ui_port, count, logs, timeout_s=120):
    """Until the master's JSON status lists ``count`` ALIVE workers."""
    import urllib.request
    deadline = time.monotonic() + timeout_s
    status = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{ui_port}/json/", timeout=5) as r:
                status = json.load(r)
            if sum(w["state"] == "ALIVE" for w in status["workers"]) == count:
                return status
        except OSError:
            pass
        time.sleep(1)
    pytest.fail(f"{count} workers did not register in {timeout_s} s: {status}; logs in {logs}")


def submit(cluster, preamble, command, name, extra_env=None):
    master, env, work = cluster
    env = dict(env, **(extra_env or {}))
    script = f"set -euo pipefail\n{preamble}\n{command}\n"
    started = time.monotonic()
    result = run(["bash", "-c", script], env, STEP_TIMEOUT_S, log=work / f"{name}.log")
    print(f"spark-submit {name}: exit {result.returncode} in {time.monotonic() - started:.0f} s")
    return check(result)


def test_readme_commands_in_client_mode(cluster):
    master, env, work = cluster
    preamble, commands = split_commands(readme_script(master, work))
    names = [re.search(r'"\$JAR" (\w+)', c).group(1) for c in commands]
    assert names == ["etl", "train", "evaluate", "predict"], commands
    # the driver runs here (client mode): 2 GiB, as one sets SPARK_DRIVER_MEMORY on a gateway
    for name, command in zip(names, commands):
        submit(cluster, preamble, command, name, {"SPARK_DRIVER_MEMORY": "2g"})
    manifest = json.loads((work / "datasets" / "g2019" / "manifest.json").read_text())
    assert manifest["counts"]["rowsAccepted"] > 0 and sum(manifest["counts"]["windows"].values())
    versions = sorted(p.parent for p in (work / "registry").glob("*/*/v*/model.zip"))
    assert {p.parent.name for p in versions} == {"lstm", "gru"}, versions
    for version in versions:
        metadata = json.loads((version / "metadata.json").read_text())
        assert metadata["datasetFingerprint"] == manifest["fingerprint"]
    report = work / "reports" / "g2019"
    assert "persistence" in (report / "comparison.csv").read_text()
    assert any((work / "forecasts" / "g2019").glob("*.parquet"))
    # every step ran on the cluster's executors, not in the driver: the master saw 4 apps
    apps = list((work / "worker").glob("app-*"))
    assert len(apps) == 4, apps


def test_etl_in_cluster_deploy_mode(cluster):
    """--deploy-mode cluster: the master starts the driver in a worker (its one core), the
    other worker runs the executor. waitAppCompletion makes spark-submit wait for the driver."""
    master, env, work = cluster
    preamble, commands = split_commands(readme_script(master, work))
    etl = commands[0].replace('"${SUBMIT[@]}"', '"${SUBMIT[@]}" --deploy-mode cluster '
                              "--conf spark.standalone.submit.waitAppCompletion=true "
                              '--conf "spark.driver.extraJavaOptions=$OPENS"', 1)
    etl = etl.replace(f"file://{work}/datasets/g2019", f"file://{work}/cluster-mode/g2019")
    result = submit(cluster, preamble, etl, "etl-cluster-mode")
    drivers = sorted((work / "worker").glob("driver-*"))
    assert len(drivers) == 1, drivers
    driver_log = (drivers[0] / "stderr").read_text()
    assert "FINISHED" in result.stdout + result.stderr, result.stderr[-3000:]
    manifest = json.loads((work / "cluster-mode" / "g2019" / "manifest.json").read_text())
    client = json.loads((work / "datasets" / "g2019" / "manifest.json").read_text())
    assert manifest["fingerprint"] == client["fingerprint"], driver_log[-3000:]
    assert manifest["counts"] == client["counts"]
