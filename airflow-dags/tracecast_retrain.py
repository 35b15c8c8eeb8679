"""Daily retraining of the tracecast forecasters: etl -> train -> evaluate -> publish_report.

Deploy: copy this file into the DAGs folder of an Airflow 3 installation (tested: 3.3.2, see
requirements-airflow.in) that has apache-airflow-providers-apache-spark, and the tracecast
spark-submit jar where the workers' spark-submit can read it (local path, hdfs:// or s3a://).
The Spark connection (default ``spark_default``) says where jobs go: its host is the master
(yarn, spark://host:7077, k8s://..., local[2]), its extras the deploy mode and the spark-submit
binary's name (found on the worker's PATH: put the Spark distribution's bin/ there).

Settings, each resolved when a task runs, first found wins:
  1. the DAG run's params (Trigger DAG w/ config, e.g. {"models": "lstm,gru"}),
  2. the Airflow Variable ``tracecast_<name>`` (e.g. ``tracecast_registry``),
  3. the default in DEFAULTS below.
Names: jar, source, inputs (a list, or a JSON list / single path in the Variable), datasets,
registry, reports, profile ("" = none), config (a HOCON file on the driver's machine, passed
as tracecast's --conf; "" = none), models (comma-separated kinds), horizon (steps forecast,
etl's --horizon: 12, the next hour at 5 minutes).

Idempotence: the dataset of a logical date is <datasets>/<source>/<ds>; etl runs with
--overwrite and commits atomically, so re-running a day replaces it whole. train publishes a
new registry version per (job, model) by atomic rename: readers never see half a version.
evaluate writes into <reports>/_staging/<ds>; publish_report moves that directory to
<reports>/<ds> (replacing an earlier publication of the same day) and is a no-op when it has
already done so.

Nothing here touches the metadata database or the filesystem at import time: Variables are
read through the ``var`` template context when a task renders its arguments.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, Param

DAG_ID = "tracecast_retrain"
MAIN_CLASS = "io.tracecast.cli.Main"
VARIABLE_PREFIX = "tracecast_"

DEFAULTS = {
    "jar": "hdfs:///tracecast/lib/tracecast.jar",
    "source": "bitbrains",
    "inputs": ["hdfs:///traces/bitbrains"],
    "datasets": "hdfs:///tracecast/datasets",
    "registry": "hdfs:///tracecast/registry",
    "reports": "hdfs:///tracecast/reports",
    "profile": "",
    "config": "",
    "models": "lstm",
    "horizon": "12",
}

# Spark 3.5 on Java 17 (and JavaCPP's allocation switch, see conf/application.conf), for the
# driver and every executor: a copy of tracecast.java-module-options
# (conf/application.conf), checked by the cli module's JavaModuleOptionsTest.
JAVA17_OPTIONS = " ".join([
    "-XX:+IgnoreUnrecognizedVMOptions",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.net=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
    "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
    "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
    "-Djdk.reflect.useDirectMethodHandle=false",
    "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0",
])

SPARK_CONF = {
    "spark.driver.extraJavaOptions": JAVA17_OPTIONS,
    "spark.executor.extraJavaOptions": JAVA17_OPTIONS,
    # One OpenMP thread per task core: ND4J oversubscribes the CPUs otherwise.
    "spark.executorEnv.OMP_NUM_THREADS": "1",
}


def setting(name, params, variables):
    """The value of one setting: run params, else Variable tracecast_<name>, else DEFAULTS."""
    value = (params or {}).get(name)
    if value is None:
        value = variables.get(VARIABLE_PREFIX + name, None)
        if name == "inputs" and isinstance(value, str) and value.strip().startswith("["):
            value = json.loads(value)
    if value is None:
        value = DEFAULTS[name]
    if name == "inputs":
        value = [value] if isinstance(value, str) else list(value)
        if not value or not all(isinstance(v, str) and v for v in value):
            raise ValueError(f"tracecast: inputs must be a non-empty list of paths, got {value!r}")
    return value


def paths(params, variables, ds):
    """Where one logical date's artifacts go."""
    source = setting("source", params, variables)
    reports = setting("reports", params, variables).rstrip("/")
    return {
        "dataset": f"{setting('datasets', params, variables).rstrip('/')}/{source}/{ds}",
        "registry": setting("registry", params, variables),
        "report_staging": f"{reports}/_staging/{ds}",
        "report": f"{reports}/{ds}",
    }


def _options(params, variables):
    """The configuration options every command takes: --profile P, --conf FILE (when set)."""
    options = []
    for name, flag in (("profile", "--profile"), ("config", "--conf")):
        value = setting(name, params, variables)
        if value:
            options += [flag, value]
    return options


def tracecast_args(command, params, variables, ds):
    """The application arguments of io.tracecast.cli.Main for one task of one logical date."""
    p = paths(params, variables, ds)
    if command == "etl":
        return (["etl", "--source", setting("source", params, variables),
                 "--input", *setting("inputs", params, variables),
                 "--output", p["dataset"], "--horizon", str(setting("horizon", params, variables)),
                 "--overwrite"]
                + _options(params, variables))
    if command == "train":
        return (["train", "--dataset", p["dataset"], "--registry", p["registry"],
                 "--models", setting("models", params, variables)]
                + _options(params, variables))
    if command == "evaluate":
        return (["evaluate", "--dataset", p["dataset"], "--registry", p["registry"],
                 "--report", p["report_staging"]]
                + _options(params, variables))
    raise ValueError(f"unknown tracecast command {command!r}")


# Moves the staged report to its dated place. With a scheme (hdfs://, s3a://) through
# `hadoop fs`, else locally. The previous publication of the day is moved aside first, so the
# dated directory is the old report, briefly absent, or the new one: never a partial one.
# Re-running after a successful move finds no staging directory and the report in place: no-op.
PUBLISH_REPORT = r"""
set -euo pipefail
src={{ tracecast_paths(params, var.value, ds)['report_staging'] | tojson }}
dst={{ tracecast_paths(params, var.value, ds)['report'] | tojson }}
if [[ "$dst" == *://* ]]; then
  fs_test() { hadoop fs -test "$@"; }; fs_mv() { hadoop fs -mv "$1" "$2"; }
  fs_rm() { hadoop fs -rm -r -f -skipTrash "$1" >/dev/null; }
else
  fs_test() { test "$@"; }; fs_mv() { mv "$1" "$2"; }; fs_rm() { rm -rf "$1"; }
  mkdir -p "$(dirname "$dst")"
fi
if ! fs_test -d "$src"; then
  if fs_test -d "$dst"; then echo "report already published: $dst"; exit 0; fi
  echo "no report at $src (did evaluate run?)" >&2; exit 1
fi
fs_rm "$dst.previous"
if fs_test -d "$dst"; then fs_mv "$dst" "$dst.previous"; fi
fs_mv "$src" "$dst"
fs_rm "$dst.previous"
echo "published report $dst"
"""

default_args = {
    "owner": "tracecast",
    "depends_on_past": False,
    "retries": 3,
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(hours=1),
}

with DAG(
    dag_id=DAG_ID,
    description="Retrain the tracecast forecasters: etl -> train -> evaluate -> publish report",
    schedule="@daily",
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    tags=["tracecast", "spark"],
    # tracecast_args returns a list: native rendering keeps it one (each item one argument).
    render_template_as_native_obj=True,
    user_defined_macros={"tracecast_args": tracecast_args, "tracecast_paths": paths,
                         "tracecast_setting": setting},
    params={
        "source": Param(None, type=["null", "string"], description="Trace format (etl --source)."),
        "inputs": Param(None, type=["null", "array", "string"],
                        description="Trace files, directories or globs."),
        "datasets": Param(None, type=["null", "string"],
                          description="Root of the dated datasets: <datasets>/<source>/<ds>."),
        "registry": Param(None, type=["null", "string"], description="Model registry root."),
        "reports": Param(None, type=["null", "string"],
                         description="Root of the dated reports: <reports>/<ds>."),
        "profile": Param(None, type=["null", "string"],
                         description="tracecast profile (conf/profiles/<name>.conf); empty: none."),
        "config": Param(None, type=["null", "string"],
                        description="HOCON file overriding tracecast's defaults (--conf); empty: none."),
        "models": Param(None, type=["null", "string"], description="Model kinds, e.g. lstm,gru."),
        "jar": Param(None, type=["null", "string"], description="The tracecast spark-submit jar."),
        "horizon": Param(None, type=["null", "integer", "string"],
                         description="Steps to forecast (etl --horizon), e.g. 12."),
    },
) as dag:
    def spark_task(command):
        return SparkSubmitOperator(
            task_id=command,
            conn_id="spark_default",
            application="{{ tracecast_setting('jar', params, var.value) }}",
            java_class=MAIN_CLASS,
            name=f"tracecast-{command}-{{{{ ds }}}}",
            conf=SPARK_CONF,
            application_args=f"{{{{ tracecast_args('{command}', params, var.value, ds) }}}}",
        )

    etl = spark_task("etl")
    train = spark_task("train")
    evaluate = spark_task("evaluate")
    publish_report = BashOperator(task_id="publish_report", bash_command=PUBLISH_REPORT)

    etl >> train >> evaluate >> publish_report
