from airflow.models.baseoperator import BaseOperator


class BashOperator(BaseOperator):
    template_fields = ("bash_command", "env")

    def __init__(self, task_id, bash_command, env=None, **kwargs):
        super().__init__(task_id, **kwargs)
        self.bash_command = bash_command
        self.env = env
