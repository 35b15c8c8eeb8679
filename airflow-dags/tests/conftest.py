"""Loads the DAG file against the Airflow stand-in in tests/stubs (Airflow itself is not
installed here). The stand-in must shadow any real airflow package, hence the prepend."""
import importlib
import pathlib
import sys

import pytest

TESTS = pathlib.Path(__file__).resolve().parent
DAGS = TESTS.parent
ROOT = DAGS.parent
sys.path.insert(0, str(TESTS / "stubs"))
sys.path.insert(0, str(DAGS))


def load_dag_module():
    """A fresh import of tracecast_retrain, as the scheduler's DAG processor would do."""
    sys.modules.pop("tracecast_retrain", None)
    return importlib.import_module("tracecast_retrain")


@pytest.fixture
def variables():
    from airflow.models import Variable
    Variable.reset()
    yield Variable
    Variable.reset()


@pytest.fixture
def dag_module(variables):
    return load_dag_module()


@pytest.fixture
def dag(dag_module):
    return dag_module.dag
