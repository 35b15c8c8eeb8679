"""Tests against the real components, run in airflow-dags/.venv-airflow (requirements-airflow.txt):
Apache Airflow 3 with the Spark provider, and the Spark distribution inside the pyspark wheel
(its bin/spark-submit, sbin/ scripts and jars/). They need the shaded jar: run after
`mvn package` (mvn verify runs them in the cli module's integration-test phase)."""
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile

import pytest

TESTS = pathlib.Path(__file__).resolve().parent
DAGS = TESTS.parent
ROOT = DAGS.parent
DAG_FILE = DAGS / "tracecast_retrain.py"
# One Airflow installation for the session, set before anything imports airflow (its settings are
# read at import): SQLite metadata database, a DAGs folder holding only the DAG file (as deployed;
# airflow-dags/ itself also holds the stand-in airflow package of tests/stubs).
AIRFLOW_HOME = pathlib.Path(tempfile.mkdtemp(prefix="tracecast-airflow-"))
os.environ.update({
    "AIRFLOW_HOME": str(AIRFLOW_HOME),
    "AIRFLOW__CORE__DAGS_FOLDER": str(AIRFLOW_HOME / "dags"),
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
})
(AIRFLOW_HOME / "dags").mkdir()
(AIRFLOW_HOME / "dags" / DAG_FILE.name).symlink_to(DAG_FILE)
# The two Bitbrains VMs every real run reads (the month folder names the job).
SAMPLE_VMS = ("1.csv.gz", "2.csv.gz")


def spark_home():
    """The Spark distribution the pyspark wheel carries: bin/, jars/ and part of sbin/ of Spark
    3.5 (spark-daemon.sh, not start-master.sh or start-worker.sh)."""
    import pyspark
    return pathlib.Path(pyspark.__file__).resolve().parent


@pytest.fixture(scope="session")
def jar():
    jars = sorted(ROOT.glob("cli/target/tracecast-[0-9]*.jar"))
    if not jars:
        pytest.fail("no cli/target/tracecast-<version>.jar: run `mvn -B verify`, or "
                    "`mvn -B -DskipTests package` first")
    return jars[-1]


@pytest.fixture(scope="session")
def spark_env():
    """The environment of a machine with this Spark distribution and Airflow installed:
    SPARK_HOME set, its bin/ first on the PATH (the provider runs `spark-submit` from the PATH),
    then the virtual environment's bin/ (the `airflow` command)."""
    home = spark_home()
    for tool in ("bin/spark-submit", "sbin/spark-daemon.sh"):
        assert (home / tool).is_file(), f"pyspark's distribution lacks {tool}"
    env = dict(os.environ)
    env["SPARK_HOME"] = str(home)
    env["PATH"] = os.pathsep.join([str(home / "bin"), str(pathlib.Path(sys.executable).parent),
                                   env.get("PATH", "")])
    env.pop("SPARK_CONF_DIR", None)
    if "JAVA_HOME" not in env and shutil.which("java") is None:
        pytest.fail("no java on the PATH and no JAVA_HOME: Spark needs Java 17")
    return env


def dag_module():
    """The DAG file as a module (with the real airflow)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("tracecast_retrain", DAG_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def copy_sample(month_dir):
    month_dir.mkdir(parents=True)
    for vm in SAMPLE_VMS:
        shutil.copy(ROOT / "data" / "samples" / "bitbrains" / "2013-7" / vm, month_dir / vm)
    return month_dir


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, env, timeout, cwd=ROOT, log=None):
    """Runs a command, its output kept in ``log`` (when given) and returned."""
    result = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True,
                            timeout=timeout)
    if log is not None:
        log.write_text(f"$ {cmd}\nexit {result.returncode}\n--- stdout\n{result.stdout}\n"
                       f"--- stderr\n{result.stderr}")
    return result


def check(result):
    assert result.returncode == 0, (f"exit {result.returncode}\n--- stdout\n{result.stdout[-6000:]}"
                                    f"\n--- stderr\n{result.stderr[-6000:]}")
    return result


def pytest_unconfigure(config):
    shutil.rmtree(AIRFLOW_HOME, ignore_errors=True)
