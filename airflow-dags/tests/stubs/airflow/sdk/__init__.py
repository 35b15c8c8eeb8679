from airflow.models.dag import DAG  # noqa: F401
from airflow.models.param import Param  # noqa: F401
