"""The DAG's settings resolution (params > Variables > defaults) and exact application
arguments, its parse-time behaviour and its publish script, against the stand-in in tests/stubs:
seconds, no Airflow install, and combinations the real run (tests-airflow/) does not try. The
graph, schedule, retries, operators and the real spark-submit command are asserted against real
Airflow there."""
import pathlib
import re
import subprocess
import time

from conftest import ROOT, load_dag_module

DS = "2024-03-05"
JAR = "hdfs:///tracecast/lib/tracecast.jar"


def args(dag, task_id, conf=None, ds=DS):
    return dag.task_dict[task_id].render(ds, conf)["application_args"]


def test_import_reads_no_variable_and_is_fast(variables):
    start = time.perf_counter()
    module = load_dag_module()
    assert time.perf_counter() - start < 1.0
    assert variables.calls == []  # Variables are read when tasks render, not at parse time
    assert module.dag.dag_id == "tracecast_retrain"








def test_java17_options_are_those_of_bin_tracecast(dag_module):
    launcher = (ROOT / "bin" / "tracecast").read_text()
    opens = set(re.findall(r"--add-opens=\S+|-Djdk\.reflect\.\S+|-Dorg\.bytedeco\.javacpp\.\S+", launcher))
    assert opens and opens == set(dag_module.JAVA17_OPTIONS.split()) - {
        "-XX:+IgnoreUnrecognizedVMOptions"}


def test_default_arguments_per_task(dag):
    dataset = f"hdfs:///tracecast/datasets/bitbrains/{DS}"
    assert args(dag, "etl") == [
        "etl", "--source", "bitbrains", "--input", "hdfs:///traces/bitbrains",
        "--output", dataset, "--horizon", "12", "--overwrite"]
    assert args(dag, "train") == [
        "train", "--dataset", dataset, "--registry", "hdfs:///tracecast/registry",
        "--models", "lstm"]
    assert args(dag, "evaluate") == [
        "evaluate", "--dataset", dataset, "--registry", "hdfs:///tracecast/registry",
        "--report", f"hdfs:///tracecast/reports/_staging/{DS}"]




def test_each_logical_date_has_its_own_dataset_and_rerun_writes_the_same_one(dag):
    assert args(dag, "etl", ds="2024-03-06")[-4] == "hdfs:///tracecast/datasets/bitbrains/2024-03-06"
    assert args(dag, "etl") == args(dag, "etl")


def test_variables_override_defaults(dag, variables):
    variables.set("tracecast_registry", "hdfs://nn/reg")
    variables.set("tracecast_inputs", '["hdfs://nn/t/2013-7", "hdfs://nn/t/2013-8"]')
    variables.set("tracecast_profile", "yarn")
    variables.set("tracecast_models", "lstm,gru")
    variables.set("tracecast_jar", "hdfs://nn/lib/tracecast-0.1.0.jar")
    dataset = f"hdfs:///tracecast/datasets/bitbrains/{DS}"
    assert args(dag, "etl") == [
        "etl", "--source", "bitbrains", "--input", "hdfs://nn/t/2013-7", "hdfs://nn/t/2013-8",
        "--output", dataset, "--horizon", "12", "--overwrite", "--profile", "yarn"]
    assert args(dag, "train") == [
        "train", "--dataset", dataset, "--registry", "hdfs://nn/reg", "--models", "lstm,gru",
        "--profile", "yarn"]
    assert dag.task_dict["etl"].render(DS)["application"] == "hdfs://nn/lib/tracecast-0.1.0.jar"


def test_run_params_override_variables(dag, variables):
    variables.set("tracecast_registry", "hdfs://nn/reg")
    variables.set("tracecast_inputs", "hdfs://nn/t/single")
    conf = {"registry": "s3a://bucket/reg", "source": "google2019", "datasets": "s3a://bucket/ds",
            "reports": "s3a://bucket/reports/", "models": "gru", "profile": "k8s"}
    assert args(dag, "etl", conf) == [
        "etl", "--source", "google2019", "--input", "hdfs://nn/t/single",
        "--output", f"s3a://bucket/ds/google2019/{DS}", "--horizon", "12", "--overwrite", "--profile", "k8s"]
    assert args(dag, "evaluate", conf) == [
        "evaluate", "--dataset", f"s3a://bucket/ds/google2019/{DS}",
        "--registry", "s3a://bucket/reg", "--report", f"s3a://bucket/reports/_staging/{DS}",
        "--profile", "k8s"]
    conf["horizon"] = 24
    assert args(dag, "etl", conf)[-5:-3] == ["--horizon", "24"]
    conf["inputs"] = ["a", "b/*.csv.gz"]
    assert args(dag, "etl", conf)[3:6] == ["--input", "a", "b/*.csv.gz"]


def publish(dag, reports, ds=DS):
    script = dag.task_dict["publish_report"].render(ds, {"reports": str(reports)})["bash_command"]
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True)


def test_publish_report_moves_staging_into_place_and_is_idempotent(dag, tmp_path):
    staging = tmp_path / "_staging" / DS
    staging.mkdir(parents=True)
    (staging / "summary.csv").write_text("new\n")
    first = publish(dag, tmp_path)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / DS / "summary.csv").read_text() == "new\n"
    assert not staging.exists()
    again = publish(dag, tmp_path)  # a retry after success: nothing to do
    assert again.returncode == 0 and "already published" in again.stdout
    # re-running the day replaces the earlier report whole
    staging.mkdir(parents=True)
    (staging / "summary.csv").write_text("rerun\n")
    assert publish(dag, tmp_path).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["_staging", DS])
    assert (tmp_path / DS / "summary.csv").read_text() == "rerun\n"


def test_publish_report_fails_when_evaluate_left_nothing(dag, tmp_path):
    result = publish(dag, tmp_path)
    assert result.returncode == 1 and "did evaluate run?" in result.stderr


def test_config_file_is_passed_to_every_spark_task(dag, variables):
    variables.set("tracecast_config", "/etc/tracecast/site.conf")
    for task_id in ("etl", "train", "evaluate"):
        assert args(dag, task_id)[-2:] == ["--conf", "/etc/tracecast/site.conf"]
    assert args(dag, "train", {"profile": "yarn", "config": "small.conf"})[-4:] == [
        "--profile", "yarn", "--conf", "small.conf"]
    assert "--conf" not in args(dag, "train", {"config": ""})
