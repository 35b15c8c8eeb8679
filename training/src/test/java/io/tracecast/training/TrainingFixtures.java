package io.tracecast.training;

import io.tracecast.etl.EtlJob;
import io.tracecast.etl.EtlRequest;
import io.tracecast.etl.config.EtlSettings;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.training.config.NetworkOverrides;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.kind.ModelKind;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.network.WindowTensors;
import io.tracecast.training.registry.LoadedModel;
import io.tracecast.training.run.WindowRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * One local[2] SparkSession and one real dataset per test JVM: the bundled Alibaba sample
 * (10 machines = 10 jobs, a few hundred 5-minute windows each) through the real ETL, with a
 * lookback of 6 so that networks train in seconds.
 */
public final class TrainingFixtures {
  private static String dataset;
  private static Manifest manifest;

  private TrainingFixtures() {}

  public static SparkSession spark() {
    return io.tracecast.etl.SparkTestSession.get();
  }

  /** The Alibaba sample as a dataset directory (built on first use). */
  public static synchronized String alibabaDataset() {
    if (dataset == null) {
      try {
        Path dir = Files.createTempDirectory("tracecast-training-alibaba");
        String out = dir.resolve("dataset").toString();
        String input = Path.of(System.getProperty("tracecast.root", ".."), "data", "samples",
            "alibaba", "machine_usage.csv.gz").toString();
        // job-scaled windows: these tests are about the training mechanics (early stopping,
        // falling losses, resume), which a level target shows within a few epochs; the delta
        // targets of window normalisation are covered by the ETL's and evaluation's tests
        manifest = EtlJob.run(spark(), new EtlRequest("alibaba", List.of(input), out, false,
            Optional.empty(), EtlSettings.builder().lookback(6)
                .normalisation(io.tracecast.etl.dataset.Normalisation.JOB).build()));
        dataset = out;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dataset;
  }

  public static synchronized Manifest alibabaManifest() {
    alibabaDataset();
    return manifest;
  }

  /** The n jobs with the fewest train windows (fast to train), by name for stable ties. */
  public static List<String> smallestJobs(int n) {
    return alibabaManifest().jobs().stream()
        .sorted(Comparator.comparingLong(TrainingFixtures::trainWindows)
            .thenComparing(Comparator.naturalOrder()))
        .limit(n).toList();
  }

  public static long trainWindows(String job) {
    return alibabaManifest().series().stream().filter(s -> s.jobId().equals(job))
        .mapToLong(s -> s.windows().getOrDefault("train", 0L)).sum();
  }

  /** A small LSTM (8 units), lr 0.01, batch 32: seconds per job on the fixture. */
  public static TrainSettings settings(long dataParallelMinWindows, int maxEpochs, int patience,
      String checkpointDir) {
    return settings(List.of(kind("lstm")), dataParallelMinWindows, maxEpochs, patience,
        checkpointDir, NetworkOverrides.none().withUnits(ModelKinds.LSTM, List.of(8)));
  }

  /**
   * {@code kinds} trained with averaging every 2 minibatches, one thread per task, lr 0.01,
   * batch 32, seed 42, and {@code overrides}' units, quantiles and residual flag. Parameter
   * averaging is taken as scaling perfectly (efficiency 1), so a network of at least
   * {@code dataParallelMinWindows} train windows trains data-parallel wherever that spreads the
   * run's work better over local[2]'s slots: alone, always.
   */
  public static TrainSettings settings(List<ModelKind> kinds, long dataParallelMinWindows,
      int maxEpochs, int patience, String checkpointDir, NetworkOverrides overrides) {
    return TrainSettings.defaults(kinds).withDataParallelEfficiency(1.0)
        .withExecution(dataParallelMinWindows, 2, 1, checkpointDir)
        .withOverrides(overrides.withEpochs(maxEpochs, patience).withBatch(32, 0.01));
  }

  /** The kind an id names ({@code lstm}, {@code gbt_global}, {@code mlp_pattern}). */
  public static ModelKind kind(String id) {
    return ModelKinds.parse(id);
  }

  /** The kinds a comma-separated list names. */
  public static List<ModelKind> kinds(String ids) {
    return java.util.Arrays.stream(ids.split(",")).map(ModelKinds::parse).toList();
  }

  /** Mean |output - target| over the windows, from the network's raw (point) output. */
  public static double mae(LoadedModel m, List<WindowRow> rows) {
    ComputationGraph net = m.network();
    float[][] out = net.outputSingle(WindowTensors.features(
        rows.stream().map(WindowRow::inputs).toList(), m.metadata().shape())).toFloatMatrix();
    double sum = 0;
    int n = 0;
    for (int i = 0; i < rows.size(); i++) {
      float[] y = rows.get(i).targets();
      for (int j = 0; j < y.length; j++) {
        sum += Math.abs(out[i][j] - y[j]);
        n++;
      }
    }
    return sum / n;
  }
}
