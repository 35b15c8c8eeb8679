from airflow.models.dag import DAG
from airflow.models.variable import VariableAccessor

_DEFAULTABLE = ("owner", "retries", "retry_delay", "retry_exponential_backoff",
                "max_retry_delay", "depends_on_past")


class _VarContext:
    value = VariableAccessor()


class BaseOperator:
    template_fields = ()

    def __init__(self, task_id, dag=None, **kwargs):
        self.task_id = task_id
        self.dag = dag or DAG.current()
        if self.dag is None:
            raise RuntimeError(f"task {task_id} created outside a DAG")
        if task_id in self.dag.task_dict:
            raise ValueError(f"duplicate task id {task_id}")
        for key in _DEFAULTABLE:
            setattr(self, key, kwargs.pop(key, self.dag.default_args.get(key)))
        self.kwargs = kwargs
        self.dag.task_dict[task_id] = self

    # dependencies, recorded as (upstream, downstream) task id pairs
    def set_downstream(self, other):
        for o in other if isinstance(other, (list, tuple)) else [other]:
            self.dag.edges.add((self.task_id, o.task_id))

    def set_upstream(self, other):
        for o in other if isinstance(other, (list, tuple)) else [other]:
            self.dag.edges.add((o.task_id, self.task_id))

    def __rshift__(self, other):
        self.set_downstream(other)
        return other

    def __lshift__(self, other):
        self.set_upstream(other)
        return other

    def __rrshift__(self, other):
        self.set_upstream(other)
        return self

    def __rlshift__(self, other):
        self.set_downstream(other)
        return self

    def template_context(self, ds, conf=None, run_id=None):
        return {
            "ds": ds,
            "ds_nodash": ds.replace("-", ""),
            "run_id": run_id or f"scheduled__{ds}T00:00:00+00:00",
            "params": self.dag.param_values(conf),
            "var": _VarContext(),
            "dag": self.dag,
            "task": self,
        }

    def render(self, ds, conf=None, run_id=None):
        """Every templated field rendered as Airflow would for a run of logical date ``ds``."""
        env = self.dag.jinja_env()
        context = self.template_context(ds, conf, run_id)
        return {field: _render(env, getattr(self, field), context)
                for field in self.template_fields}


def _render(env, value, context):
    if isinstance(value, str):
        return env.from_string(value).render(**context)
    if isinstance(value, (list, tuple)):
        return type(value)(_render(env, v, context) for v in value)
    if isinstance(value, dict):
        return {k: _render(env, v, context) for k, v in value.items()}
    return value
