from airflow.models.baseoperator import BaseOperator


class SparkSubmitOperator(BaseOperator):
    """Keeps its arguments for rendering; the command line it makes is asserted against the
    real provider (tests-airflow/)."""

    template_fields = ("application", "conf", "files", "py_files", "jars", "driver_class_path",
                       "packages", "exclude_packages", "keytab", "principal", "proxy_user",
                       "name", "application_args", "env_vars", "properties_file")

    def __init__(self, task_id, application="", conf=None, conn_id="spark_default", files=None,
                 py_files=None, jars=None, driver_class_path=None, packages=None,
                 exclude_packages=None, keytab=None, principal=None, proxy_user=None,
                 name="arrow-spark", java_class=None, application_args=None, env_vars=None,
                 properties_file=None, verbose=False, **kwargs):
        super().__init__(task_id, **kwargs)
        self.application = application
        self.conf = conf
        self.conn_id = conn_id
        self.files = files
        self.py_files = py_files
        self.jars = jars
        self.driver_class_path = driver_class_path
        self.packages = packages
        self.exclude_packages = exclude_packages
        self.keytab = keytab
        self.principal = principal
        self.proxy_user = proxy_user
        self.name = name
        self.java_class = java_class
        self.application_args = application_args
        self.env_vars = env_vars
        self.properties_file = properties_file
        self.verbose = verbose

