"""`airflow dags test tracecast_retrain <ds>` for real, twice for the same logical date: the
DAG's four tasks run in Airflow 3, the Spark ones through SparkSubmitOperator and the pyspark
distribution's spark-submit on local[2] (the spark_default connection), on two Bitbrains VMs
with one training epoch (a HOCON file passed through the DAG's `config` setting).

Asserts the task states, the dataset, the registry versions and the published report, and the
README's idempotence: a re-run day (`dags test` of the same date replaces the run) rewrites the same dataset (same fingerprint and counts),
adds a registry version (v2, from the same dataset) and replaces the day's report whole."""
import json
import time

import pytest

from conftest import check, copy_sample, dag_module, run

DAG_ID = "tracecast_retrain"
DS = "2024-03-05"
RUN_TIMEOUT_S = 1200


@pytest.fixture(scope="module")
def airflow_env(spark_env):
    env = dict(spark_env)
    # the provider runs the connection's spark-binary from the PATH (it refuses a path or a
    # spark-home extra): spark_env put the distribution's bin/ first
    env["AIRFLOW_CONN_SPARK_DEFAULT"] = json.dumps({
        "conn_type": "spark", "host": "local[2]",
        "extra": {"deploy-mode": "client", "spark-binary": "spark-submit"}})
    check(run(["airflow", "db", "migrate"], env, 600))
    return env


@pytest.fixture(scope="module")
def day(tmp_path_factory, jar):
    tmp = tmp_path_factory.mktemp("dag-run")
    traces = copy_sample(tmp / "traces" / "2013-7")
    (tmp / "small.conf").write_text("tracecast.train.max-epochs = 1\n")
    conf = {"jar": str(jar), "inputs": [str(traces)], "datasets": str(tmp / "datasets"),
            "registry": str(tmp / "registry"), "reports": str(tmp / "reports"),
            "profile": "local", "config": str(tmp / "small.conf"), "models": "lstm"}
    return tmp, conf


def dags_test(env, conf, log):
    started = time.monotonic()
    result = run(["airflow", "dags", "test", DAG_ID, DS, "-c", json.dumps(conf)], env,
                 RUN_TIMEOUT_S, log=log)
    print(f"airflow dags test: exit {result.returncode} in {time.monotonic() - started:.0f} s")
    return check(result)


def runs_of_the_day():
    """{run_id: {task_id: state}} of every run of DS, from Airflow's metadata database."""
    from datetime import datetime, timezone

    from airflow.models.dagrun import DagRun
    from airflow.utils.session import create_session
    with create_session() as session:
        runs = session.query(DagRun).filter(
            DagRun.dag_id == DAG_ID,
            DagRun.logical_date == datetime.fromisoformat(DS).replace(tzinfo=timezone.utc)).all()
        return {r.run_id: (str(r.state), {ti.task_id: str(ti.state)
                                          for ti in r.get_task_instances(session=session)})
                for r in runs}


def submitted_commands(output):
    """The spark-submit command lines the provider's hook logged, in order."""
    marker = "Spark-Submit cmd: "
    return [line.split(marker, 1)[1].rsplit(" [airflow.", 1)[0]
            for line in output.splitlines() if marker in line]


def manifest(tmp):
    return json.loads((tmp / "datasets" / "bitbrains" / DS / "manifest.json").read_text())


def lstm_versions(tmp):
    versions = sorted((tmp / "registry").glob("*/lstm/v*/metadata.json"))
    return [(p.parent.parent.parent.name, p.parent.name,
             json.loads(p.read_text())["datasetFingerprint"]) for p in versions]


def test_a_day_runs_for_real_and_again_idempotently(airflow_env, day):
    tmp, conf = day
    first = dags_test(airflow_env, conf, tmp / "first.log")
    success = ("success", {"etl": "success", "train": "success", "evaluate": "success",
                           "publish_report": "success"})
    runs = runs_of_the_day()
    assert list(runs.values()) == [success], runs

    java17 = dag_module().JAVA17_OPTIONS
    dataset = f"{tmp}/datasets/bitbrains/{DS}"
    assert submitted_commands(first.stdout + first.stderr)[1] == " ".join([
        "spark-submit", "--master", "local[2]",
        "--conf", "spark.driver.extraJavaOptions=" + java17,
        "--conf", "spark.executor.extraJavaOptions=" + java17,
        "--conf", "spark.executorEnv.OMP_NUM_THREADS=1",
        "--name", f"tracecast-train-{DS}", "--class", "io.tracecast.cli.Main",
        "--deploy-mode", "client", conf["jar"],
        "train", "--dataset", dataset, "--registry", conf["registry"], "--models", "lstm",
        "--profile", "local", "--conf", conf["config"]])

    m1 = manifest(tmp)
    counts = m1["counts"]
    assert counts["filesRead"] == 2 and counts["jobs"] == 1
    assert counts["rowsRead"] == counts["rowsAccepted"] + counts["rowsQuarantined"] > 10000
    assert lstm_versions(tmp) == [("2013-7", "v1", m1["fingerprint"])]
    report = tmp / "reports" / DS
    assert (report / "index.html").is_file()
    comparison = (report / "comparison.csv").read_text()
    assert "lstm" in comparison and "persistence" in comparison
    assert sorted(p.name for p in (tmp / "reports").iterdir()) == [DS, "_staging"]
    assert list((tmp / "reports" / "_staging").iterdir()) == []
    first_report = (report / "report.json").stat().st_mtime_ns

    dags_test(airflow_env, conf, tmp / "second.log")
    # `dags test` replaces the date's earlier run (Airflow 3.3.2 deletes it), as a cleared day
    # reruns in the same run: one run of the date, the new one, all tasks successful again
    again = runs_of_the_day()
    assert list(again.values()) == [success] and again.keys() != runs.keys(), (runs, again)
    m2 = manifest(tmp)
    assert m2["fingerprint"] == m1["fingerprint"] and m2["counts"] == m1["counts"]
    # the dataset was replaced in place: no second copy, no leftover staging sibling
    assert [p.name for p in (tmp / "datasets" / "bitbrains").iterdir()] == [DS]
    assert lstm_versions(tmp) == [("2013-7", "v1", m1["fingerprint"]),
                                  ("2013-7", "v2", m1["fingerprint"])]
    assert sorted(p.name for p in (tmp / "reports").iterdir()) == [DS, "_staging"]
    assert (report / "report.json").stat().st_mtime_ns > first_report
    assert "lstm" in (report / "comparison.csv").read_text()

