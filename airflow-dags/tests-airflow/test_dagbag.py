"""The DAG in a real Airflow 3 DagBag: it imports without errors or warnings (Airflow 3 turns
its deprecations into errors; a warning today is a broken DAG after an upgrade), and the graph,
schedule, retries and operators are what the README describes."""
import warnings
from datetime import timedelta

import pytest

from conftest import DAG_FILE

SPARK_TASKS = ("etl", "train", "evaluate")


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return DagBag(dag_folder=str(DAG_FILE))


@pytest.fixture(scope="module")
def dag(dagbag):
    return dagbag.dags["tracecast_retrain"]


def test_dag_imports_without_errors_or_warnings(dagbag):
    assert dagbag.import_errors == {}
    assert dagbag.captured_warnings == {}
    assert list(dagbag.dags) == ["tracecast_retrain"]


def test_tasks_run_etl_then_train_then_evaluate_then_publish(dag):
    assert dag.task_ids == ["etl", "train", "evaluate", "publish_report"]
    chain = [(t.task_id, sorted(t.downstream_task_ids)) for t in dag.tasks]
    assert chain == [("etl", ["train"]), ("train", ["evaluate"]),
                     ("evaluate", ["publish_report"]), ("publish_report", [])]


def test_schedule_catchup_and_retries_with_backoff(dag):
    # Airflow 3 reads "@daily" as a CronTriggerTimetable: a run at midnight whose logical date
    # (ds) is that midnight, where Airflow 2 made it the start of the day before.
    assert dag.schedule == "@daily"
    assert type(dag.timetable).__name__ == "CronTriggerTimetable"
    assert dag.timetable.expression == "0 0 * * *"
    assert dag.catchup is False
    assert dag.max_active_runs == 1
    assert dag.render_template_as_native_obj is True
    for task in dag.tasks:
        assert task.retries == 3
        assert task.retry_delay == timedelta(minutes=5)
        assert task.retry_exponential_backoff
        assert task.max_retry_delay == timedelta(hours=1)


def test_operators_are_the_providers(dag):
    from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
    from airflow.providers.standard.operators.bash import BashOperator
    for task_id in SPARK_TASKS:
        task = dag.get_task(task_id)
        assert isinstance(task, SparkSubmitOperator)
        assert task._conn_id == "spark_default"
        assert task._java_class == "io.tracecast.cli.Main"
        assert task.conf["spark.driver.extraJavaOptions"] == task.conf[
            "spark.executor.extraJavaOptions"]
    assert isinstance(dag.get_task("publish_report"), BashOperator)
    assert set(dag.params.keys()) == {"source", "inputs", "datasets", "registry", "reports",
                                      "profile", "config", "models", "jar", "horizon"}
