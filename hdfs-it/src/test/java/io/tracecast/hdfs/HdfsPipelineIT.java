package io.tracecast.hdfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.tracecast.etl.EtlJob;
import io.tracecast.etl.EtlRequest;
import io.tracecast.etl.config.EtlSettings;
import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Split;
import io.tracecast.evaluation.EvaluateJob;
import io.tracecast.evaluation.EvaluateRequest;
import io.tracecast.evaluation.EvaluationResult;
import io.tracecast.evaluation.config.EvaluationSettingsParser;
import io.tracecast.evaluation.report.ReportWriter;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.network.NetworkBuilder;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.network.WindowTensors;
import io.tracecast.training.registry.Hardware;
import io.tracecast.training.registry.Lineage;
import io.tracecast.training.registry.LoadedModel;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import io.tracecast.training.registry.RegistryCorruptedException;
import io.tracecast.training.registry.RegistryLayout;
import io.tracecast.training.registry.VersionRef;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.FsShell;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The ETL, the model registry and evaluate's report on a real (in-JVM) HDFS: one NameNode and
 * one DataNode of Hadoop 3.3.4, Spark's Hadoop version. Inputs, dataset, quarantine, manifest,
 * registry and report all live on {@code hdfs://}, so every rename the stages rely on for
 * atomicity (the dataset commit, a version publish, the alias file replace, the report commit,
 * the DAG's report publication) is an HDFS NameNode rename here.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HdfsPipelineIT {
  private static final String JOB = "2013-7";
  private static MiniDFSCluster cluster;
  private static DistributedFileSystem fs;
  private static SparkSession spark;
  private static String hdfs;

  @BeforeAll
  static void startHdfsAndSpark() throws Exception {
    File base = Paths.get("target", "minidfs").toAbsolutePath().toFile();
    FileUtil.fullyDelete(base);
    Configuration conf = new HdfsConfiguration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getPath());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    fs = cluster.getFileSystem();
    hdfs = "hdfs://localhost:" + cluster.getNameNodePort();
    spark = SparkSession.builder()
        .master("local[2]")
        .appName("tracecast-hdfs-it")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        // Local mode offers its slots again only when a task ends, so tasks held back by delay
        // scheduling (their preferred host, e.g. the DataNode's, is not the executor's address)
        // waited forever once the others finished: evaluate hung on its last stage. No delay.
        .config("spark.locality.wait", "0s")
        .getOrCreate();
    // Two of the six bundled VMs of the 2013-7 month folder (the folder names the job).
    Path samples = root().resolve("data").resolve("samples").resolve("bitbrains").resolve(JOB);
    for (String vm : List.of("1.csv.gz", "2.csv.gz")) {
      fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(samples.resolve(vm).toUri()),
          new org.apache.hadoop.fs.Path("/traces/bitbrains/" + JOB + "/" + vm));
    }
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
    if (cluster != null) {
      cluster.shutdown(true);
    }
  }

  private static Manifest etl(boolean overwrite) {
    return EtlJob.run(spark, new EtlRequest("bitbrains",
        List.of(hdfs + "/traces/bitbrains/" + JOB), hdfs + "/datasets/bitbrains", overwrite,
        Optional.empty(), EtlSettings.builder().build()));
  }

  @Test
  @Order(1)
  void etlReadsFromAndCommitsToHdfs() throws Exception {
    Manifest written = etl(false);
    DatasetReader reader = DatasetReader.open(spark, hdfs + "/datasets/bitbrains");
    Manifest m = reader.manifest();
    assertEquals(written.fingerprint(), m.fingerprint());
    Manifest.Counts c = m.counts();
    assertEquals(2, c.filesRead());
    assertEquals(c.rowsRead(), c.rowsAccepted() + c.rowsQuarantined());
    // 8261 + 8263 lines less the two header lines
    assertEquals(8261 + 8263 - 2, c.rowsRead());
    assertEquals(List.of(JOB), m.jobs());
    assertEquals(2, c.series());
    assertTrue(m.inputs().stream().allMatch(i -> i.path().startsWith("hdfs://")),
        m.inputs().toString());
    for (Split split : Split.values()) {
      long expected = c.windows().get(split.label());
      assertTrue(expected > 0, split + " has no windows");
      assertEquals(expected, reader.windows(spark, split).count(), split.label());
    }
    assertEquals(c.rowsQuarantined(), reader.quarantine(spark).count());
    // the staging directory was renamed into place: nothing else sits beside the dataset
    assertEquals(List.of("bitbrains"), names(fs.listStatus(new org.apache.hadoop.fs.Path(
        "/datasets"))));
  }

  @Test
  @Order(2)
  void rerunOfTheSameDayNeedsOverwriteAndReplacesTheDatasetWhole() {
    // what the Airflow DAG relies on: a retried or re-run day writes the same path again
    assertThrows(RuntimeException.class, () -> etl(false));
    Manifest first = DatasetReader.open(spark, hdfs + "/datasets/bitbrains").manifest();
    Manifest again = etl(true);
    assertEquals(first.fingerprint(), again.fingerprint());
    assertEquals(first.counts(), again.counts());
    assertEquals(first.counts().windows().get("train"),
        DatasetReader.open(spark, hdfs + "/datasets/bitbrains")
            .windows(spark, Split.TRAIN).count());
  }

  @Test
  @Order(3)
  void registryPublishesLoadsVerifiesAndAliasesOnHdfs() throws Exception {
    DatasetReader reader = DatasetReader.open(spark, hdfs + "/datasets/bitbrains");
    Manifest m = reader.manifest();
    NetworkShape shape = new NetworkShape(m.lookback(), m.features().size(), m.horizon(),
        m.targets().size());
    ModelSpec spec = ModelKinds.LSTM.defaults().withUnits(List.of(8));
    DataSet data = trainWindows(reader, shape, spec, 64);
    ComputationGraph net = NetworkBuilder.build(spec, shape);
    net.fit(data);

    String root = hdfs + "/registry";
    ModelRegistry registry = ModelRegistry.open(root, spark.sparkContext().hadoopConfiguration());
    ModelVersion v1 = registry.publish(JOB, "lstm", net, metadata(m, spec, shape));
    net.fit(data);
    ModelVersion v2 = registry.publish(JOB, "lstm", net, metadata(m, spec, shape));
    assertEquals(List.of(1, 2), List.of(v1.version(), v2.version()));
    assertTrue(v2.path().startsWith("hdfs://"), v2.path());
    assertEquals(List.of(1, 2), registry.versions(JOB, "lstm"));
    assertEquals(2, registry.list().size());

    // a second client on the same root sees the same versions and loads identical outputs
    ModelRegistry other = ModelRegistry.open(root, new Configuration(fs.getConf()));
    LoadedModel latest = other.load(JOB, "lstm", VersionRef.LATEST);
    assertEquals(2, latest.version().version());
    INDArray expected = net.outputSingle(data.getFeatures());
    assertEquals(0.0, expected.sub(latest.network().outputSingle(data.getFeatures()))
        .amaxNumber().doubleValue(), 1e-6);
    assertEquals(m.fingerprint(), latest.metadata().datasetFingerprint());
    assertEquals(hdfs + "/datasets/bitbrains", latest.metadata().datasetPath());

    // aliases: create, then replace (HDFS rename with OVERWRITE) and read back
    registry.setAlias(JOB, "champion", "lstm", 1);
    assertEquals(1, other.aliases(JOB).get("champion").version());
    registry.setAlias(JOB, "champion", "lstm", 2);
    registry.setAlias(JOB, "baseline", "lstm", 1);
    Map<String, ModelVersion> aliases = other.aliases(JOB);
    assertEquals(List.of("baseline", "champion"), List.copyOf(aliases.keySet()));
    assertEquals(2, aliases.get("champion").version());
    assertEquals(1, aliases.get("baseline").version());
    assertEquals(2, other.load(JOB, "lstm", VersionRef.alias("champion")).version().version());
    // no temporary alias files or staging directories are left behind
    org.apache.hadoop.fs.Path jobDir = new org.apache.hadoop.fs.Path(v1.path()).getParent()
        .getParent();
    assertEquals(List.of("_aliases.json", "lstm"), names(fs.listStatus(jobDir)));
    assertEquals(List.of("v1", "v2"), names(fs.listStatus(new org.apache.hadoop.fs.Path(
        v1.path()).getParent())));

    // a model file replaced on HDFS (valid HDFS block checksums) fails our SHA-256 check
    org.apache.hadoop.fs.Path model = new org.apache.hadoop.fs.Path(v1.path(),
        RegistryLayout.MODEL_FILE);
    byte[] bytes;
    try (InputStream in = fs.open(model)) {
      bytes = in.readAllBytes();
    }
    bytes[bytes.length / 2] ^= 0x01;
    try (OutputStream out = fs.create(model, true)) {
      out.write(bytes);
    }
    RegistryCorruptedException e = assertThrows(RegistryCorruptedException.class,
        () -> other.load(JOB, "lstm", VersionRef.version(1)));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    assertFalse(other.load(JOB, "lstm", VersionRef.version(2)).network() == null);
  }

  @Test
  @Order(4)
  void evaluateWritesItsReportOnHdfsAndTheDagsPublishStepMovesItIntoPlace() throws Exception {
    // the DAG's paths: evaluate --report <reports>/_staging/<ds>, then publish_report
    String reports = hdfs + "/reports";
    String staged = reports + "/_staging/2026-01-02";
    String published = reports + "/2026-01-02";
    EvaluationResult r = EvaluateJob.run(spark, new EvaluateRequest(hdfs + "/datasets/bitbrains",
        hdfs + "/registry", staged, List.of(), EvaluationSettingsParser.parse(
            ConfigFactory.parseFile(root().resolve("conf/application.conf").toFile()).resolve())));
    assertTrue(r.report().champions().containsKey(JOB), r.report().champions().toString());
    List<String> reportFiles = List.of("comparison.csv", "comparison.md", "index.html", "plots",
        "report.json", "series.csv", "steps.csv");
    assertEquals(reportFiles, names(fs.listStatus(new org.apache.hadoop.fs.Path(staged))));
    assertEquals(List.of("2026-01-02"), names(fs.listStatus(
        new org.apache.hadoop.fs.Path("/reports/_staging"))), "no .tmp- or .old- siblings");
    String comparison = read(staged + "/comparison.md");
    assertTrue(comparison.contains("## Job `" + JOB + "`"), comparison);
    FileStatus[] plots = fs.listStatus(new org.apache.hadoop.fs.Path(staged, "plots"));
    assertTrue(plots.length >= 3, Arrays.toString(plots));
    for (FileStatus png : plots) {
      try (InputStream in = fs.open(png.getPath())) {
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, in.readNBytes(4),
            png.getPath().toString());
      }
    }

    assertEquals("published report " + published, publishReport(staged, published));
    assertEquals(List.of("2026-01-02", "_staging"), names(fs.listStatus(
        new org.apache.hadoop.fs.Path("/reports"))));
    assertEquals(reportFiles, names(fs.listStatus(new org.apache.hadoop.fs.Path(published))));
    assertEquals(comparison, read(published + "/comparison.md"));
    // a retried task: publishing again is a no-op
    assertEquals("report already published: " + published, publishReport(staged, published));

    // a re-run day: evaluate replaces the staging report, publish replaces the day's report
    ReportWriter.write(r.report(), staged, spark.sparkContext().hadoopConfiguration());
    assertEquals("published report " + published, publishReport(staged, published));
    assertEquals(reportFiles, names(fs.listStatus(new org.apache.hadoop.fs.Path(published))));
    assertEquals(List.of("2026-01-02", "_staging"), names(fs.listStatus(
        new org.apache.hadoop.fs.Path("/reports"))), "no .previous copy left");
  }

  /**
   * airflow-dags/tracecast_retrain.py's PUBLISH_REPORT for a path with a scheme, command for
   * command: its {@code hadoop fs} calls run here as {@link FsShell} (what {@code hadoop fs}
   * runs) on the cluster's configuration. Returns what the script echoes on success.
   */
  private static String publishReport(String src, String dst) throws Exception {
    FsShell hadoopFs = new FsShell(new Configuration(fs.getConf()));
    if (hadoopFs.run(new String[] {"-test", "-d", src}) != 0) {
      if (hadoopFs.run(new String[] {"-test", "-d", dst}) == 0) {
        return "report already published: " + dst;
      }
      throw new AssertionError("no report at " + src + " (did evaluate run?)");
    }
    String previous = dst + ".previous";
    assertEquals(0, hadoopFs.run(new String[] {"-rm", "-r", "-f", "-skipTrash", previous}));
    if (hadoopFs.run(new String[] {"-test", "-d", dst}) == 0) {
      assertEquals(0, hadoopFs.run(new String[] {"-mv", dst, previous}));
    }
    assertEquals(0, hadoopFs.run(new String[] {"-mv", src, dst}));
    assertEquals(0, hadoopFs.run(new String[] {"-rm", "-r", "-f", "-skipTrash", previous}));
    return "published report " + dst;
  }

  private static String read(String path) throws Exception {
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(path))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Path root() {
    return Paths.get(System.getProperty("tracecast.root", ".."));
  }

  private static DataSet trainWindows(DatasetReader reader, NetworkShape shape, ModelSpec spec,
      int count) {
    List<float[]> inputs = new ArrayList<>();
    List<float[]> targets = new ArrayList<>();
    for (Row r : reader.windows(spark, Split.TRAIN).limit(count).collectAsList()) {
      inputs.add(floats(r.getList(r.fieldIndex("inputs"))));
      targets.add(floats(r.getList(r.fieldIndex("targets"))));
    }
    assertEquals(count, inputs.size());
    return WindowTensors.dataSet(inputs, targets, shape, spec);
  }

  private static float[] floats(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private static ModelMetadata metadata(Manifest m, ModelSpec spec, NetworkShape shape) {
    return new ModelMetadata(ModelMetadata.SCHEMA_VERSION, JOB, "lstm", spec, shape,
        m.fingerprint(), hdfs + "/datasets/bitbrains", m.features(), m.targets(),
        m.scalers().get(JOB),
        new ModelMetadata.TrainingHistory(List.of(new ModelMetadata.Epoch(1, 0.3, 0.4, 0.2)),
            1, 0.5, 64),
        "it", Hardware.detect(), "2026-01-01T00:00:00Z", ModelFamily.NETWORK, Map.of(),
        Lineage.NONE);
  }

  private static List<String> names(FileStatus[] statuses) {
    return Arrays.stream(statuses).map(s -> s.getPath().getName()).sorted().toList();
  }
}
