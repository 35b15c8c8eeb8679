_NOTSET = object()


class Param:
    """A DAG param: a default value plus a JSON schema (kept, not enforced)."""

    def __init__(self, default=_NOTSET, description=None, **schema):
        self.value = None if default is _NOTSET else default
        self.description = description
        self.schema = schema
