"""A minimal stand-in for the parts of Apache Airflow 3 that the tracecast DAG imports.

Not Airflow: just enough to load a DAG file, record its tasks, dependencies and arguments,
and render templated fields with Jinja the way Airflow does (StrictUndefined, optional native
rendering, user-defined macros, ``params``, ``var.value``, ``ds``).
"""
from airflow.models.dag import DAG  # noqa: F401
