import jinja2
import jinja2.nativetypes

from airflow.models.param import Param


class DAG:
    """Collects the operators created inside ``with DAG(...)`` and their dependencies."""

    _current = []

    def __init__(self, dag_id, description=None, schedule=None, start_date=None, catchup=True,
                 max_active_runs=16, default_args=None, tags=None,
                 render_template_as_native_obj=False, user_defined_macros=None, params=None,
                 **other):
        self.dag_id = dag_id
        self.description = description
        self.schedule = schedule
        self.start_date = start_date
        self.catchup = catchup
        self.max_active_runs = max_active_runs
        self.default_args = dict(default_args or {})
        self.tags = tags or []
        self.render_template_as_native_obj = render_template_as_native_obj
        self.user_defined_macros = dict(user_defined_macros or {})
        self.params = dict(params or {})
        self.other = other
        self.task_dict = {}
        self.edges = set()

    def __enter__(self):
        DAG._current.append(self)
        return self

    def __exit__(self, *exc):
        DAG._current.pop()
        return False

    @classmethod
    def current(cls):
        return cls._current[-1] if cls._current else None

    @property
    def task_ids(self):
        return list(self.task_dict)

    def param_values(self, conf=None):
        """Defaults of the DAG's params, overridden by a run's conf (as Airflow merges them)."""
        values = {k: (v.value if isinstance(v, Param) else v) for k, v in self.params.items()}
        values.update(conf or {})
        return values

    def jinja_env(self):
        cls = (jinja2.nativetypes.NativeEnvironment if self.render_template_as_native_obj
               else jinja2.Environment)
        env = cls(undefined=jinja2.StrictUndefined, cache_size=0)
        env.globals.update(self.user_defined_macros)
        return env
