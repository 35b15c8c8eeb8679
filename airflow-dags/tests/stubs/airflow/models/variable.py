_NO_DEFAULT = object()


class Variable:
    """Airflow Variables in a dict; every read is recorded in ``calls``."""

    store = {}
    calls = []

    @classmethod
    def get(cls, key, default_var=_NO_DEFAULT, deserialize_json=False):
        cls.calls.append(key)
        if key not in cls.store:
            if default_var is _NO_DEFAULT:
                raise KeyError(f"Variable {key} does not exist")
            return default_var
        return cls.store[key]

    @classmethod
    def set(cls, key, value):
        cls.store[key] = value

    @classmethod
    def reset(cls):
        cls.store = {}
        cls.calls = []


class VariableAccessor:
    """``var.value`` of the template context: reads Variables when a template renders."""

    def get(self, item, default_var=_NO_DEFAULT):
        return Variable.get(item, default_var)

    def __getattr__(self, item):
        return Variable.get(item)
