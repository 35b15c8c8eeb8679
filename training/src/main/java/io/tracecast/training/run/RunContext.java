package io.tracecast.training.run;

import io.tracecast.common.HadoopConfSnapshot;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Scaler;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.fit.CheckpointStore;
import io.tracecast.training.fit.EpochListener;
import io.tracecast.training.gbt.GbtSpec;
import io.tracecast.etl.dataset.WindowRollout;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.NetworkArchitecture;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.registry.CodeVersion;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.RegistryLayout;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * What every training task of a run needs, shipped to executors with the task: the dataset's
 * identity and shape, the specs, where to publish and checkpoint, and the Hadoop settings to
 * reach those directories.
 *
 * @param datasetPath the dataset's fully qualified URI (lineage: a relative path means nothing
 *     elsewhere)
 * @param scalers job -> column -> scaler, for the jobs of this run only
 * @param specs every network kind's spec for this run
 * @param gbt the hyperparameters of the gradient-boosted-trees kinds
 * @param rollout how the dataset's windows step ahead for recursive trees (null where a target
 *     is not an input feature)
 */
public record RunContext(String datasetPath, String datasetFingerprint, List<String> features,
    List<String> targets, NetworkShape shape, HashMap<String, Map<String, Scaler>> scalers,
    Map<NetworkArchitecture, ModelSpec> specs, String registryRoot, String checkpointRoot,
    HadoopConfSnapshot hadoop, int threadsPerTask, int averagingFrequency, String codeVersion,
    EpochListener listener, GbtSpec gbt, WindowRollout rollout) implements Serializable {

  /** The context of a run of {@code settings} over {@code jobs} of the dataset at {@code path}. */
  public static RunContext of(String path, Manifest m, List<String> jobs, TrainSettings settings,
      ModelRegistry registry, Configuration conf, EpochListener listener) {
    HashMap<String, Map<String, Scaler>> scalers = new HashMap<>();
    for (String job : jobs) {
      scalers.put(job, new HashMap<>(m.scalersOf(job)));
    }
    return new RunContext(qualified(path, conf), m.fingerprint(), m.features(), m.targets(),
        NetworkShape.of(m), scalers, new HashMap<>(settings.networks()), registry.root(),
        RegistryLayout.checkpoints(registry.root(), settings.checkpointDir()),
        new HadoopConfSnapshot(conf), settings.threadsPerTask(), settings.averagingFrequency(),
        CodeVersion.current(), listener, settings.gbt(), WindowRollout.of(m));
  }

  private static String qualified(String path, Configuration conf) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
      return p.getFileSystem(conf).makeQualified(p).toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot resolve dataset path " + path, e);
    }
  }

  /**
   * Limits ND4J to {@link #threadsPerTask} threads in this JVM: N concurrent tasks on N cores
   * must not each start N threads. Call at the start of every task that trains. (OMP_NUM_THREADS
   * is set for executors by spark.executorEnv, see cli SparkSessions.)
   */
  public void limitNativeThreads() {
    org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxMasterThreads(threadsPerTask);
    org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxThreads(threadsPerTask);
  }

  /** The run's spec of network kind {@code kind}. */
  public ModelSpec spec(NetworkArchitecture kind) {
    ModelSpec s = specs.get(kind);
    if (s == null) {
      throw new IllegalArgumentException("no spec for " + kind.id());
    }
    return s;
  }

  /** The run's checkpoints of {@code job/model} ({@code job} may name a pattern). */
  public CheckpointStore checkpoints(String job, String model) {
    return new CheckpointStore(checkpointRoot, job, model, hadoop.get());
  }

  /** The registry, opened from this JVM (an executor opens its own). */
  public ModelRegistry registry() {
    return ModelRegistry.open(registryRoot, hadoop.get());
  }

  /** The job's scalers (empty for a job outside the run). */
  public Map<String, Scaler> scalersOf(String job) {
    return scalers.getOrDefault(job, Map.of());
  }
}
