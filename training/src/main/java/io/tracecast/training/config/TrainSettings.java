package io.tracecast.training.config;

import io.tracecast.training.gbt.GbtSpec;
import io.tracecast.training.kind.ModelKind;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.NetworkArchitecture;
import io.tracecast.training.kind.Scope;
import io.tracecast.training.kind.TrainingConfig;
import io.tracecast.training.plan.DataParallelRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tracecast.train}, typed: the kinds to train, how the run executes, and the spec of every
 * kind (each network kind's defaults with the run's overrides, the trees' hyperparameters).
 *
 * @param models the kinds to train, in request order, no duplicates, none {@link Scope#SEARCHED}
 * @param dataParallelMinWindows only a network over at least this many train windows may train
 *     data-parallel ({@link DataParallelRule})
 * @param dataParallelEfficiency parameter averaging's throughput on S slots as a fraction of S
 *     packed fits' ({@link DataParallelRule})
 * @param averagingFrequency minibatches each worker fits between two parameter averagings
 * @param threadsPerTask ND4J/OpenMP threads of a packed training task (one per task core)
 * @param checkpointDir per-epoch checkpoints; empty: {@code <registry>/_checkpoints}
 * @param networks the spec of every network architecture ({@link ModelKinds#networks()})
 * @param gbt the trees' hyperparameters ({@code tracecast.train.gbt})
 * @param pooled how the pattern-pooled kinds train
 * @param seeds how many times each per-job network kind trains, with its spec's seed, seed + 1,
 *     ... (one registry version each; evaluate reports the spread over them); 1 = once
 */
public record TrainSettings(List<ModelKind> models, long dataParallelMinWindows,
    double dataParallelEfficiency, int averagingFrequency, int threadsPerTask, String checkpointDir,
    Map<NetworkArchitecture, ModelSpec> networks, GbtSpec gbt, PooledSettings pooled,
    int seeds) {

  /** {@code tracecast.train.data-parallel-efficiency}'s default (conf/application.conf). */
  public static final double DEFAULT_EFFICIENCY = 0.4;

  public TrainSettings {
    models = List.copyOf(models);
    networks = Map.copyOf(networks);
    if (gbt == null || pooled == null) {
      throw new IllegalArgumentException("GBT hyperparameters and pooled settings are required");
    }
    if (!(dataParallelEfficiency > 0 && dataParallelEfficiency <= 1)) {
      throw new IllegalArgumentException("data-parallel-efficiency must be in (0, 1], got "
          + dataParallelEfficiency);
    }
    if (models.isEmpty() || dataParallelMinWindows < 1 || averagingFrequency < 1
        || threadsPerTask < 1 || seeds < 1) {
      throw new IllegalArgumentException("need models, and data-parallel-min-windows, "
          + "averaging-frequency, threads-per-task and seeds >= 1");
    }
    if (models.stream().distinct().count() != models.size()) {
      throw new IllegalArgumentException("models listed twice in " + models);
    }
    for (ModelKind k : models) {
      if (!k.scope().trainable()) {
        throw new IllegalArgumentException(k.id() + " is written by tracecast tune, not train");
      }
    }
    for (NetworkArchitecture n : ModelKinds.networks()) {
      ModelSpec s = networks.get(n);
      if (s == null || !s.kind().equals(n)) {
        throw new IllegalArgumentException("no spec for network kind " + n.id() + " in "
            + networks.keySet());
      }
    }
  }

  /**
   * {@code models} with every default of conf/application.conf: each kind's own spec, seed 42,
   * data-parallel only from 20 000 train windows and where it shortens the run, one thread per
   * task.
   */
  public static TrainSettings defaults(List<ModelKind> models) {
    return new TrainSettings(models, 20_000, DEFAULT_EFFICIENCY, 5, 1, "",
        specs(NetworkOverrides.none()), GbtSpec.defaults(TrainingConfig.DEFAULT_SEED),
        PooledSettings.defaults(), 1);
  }

  /** Every network kind's default spec (its own hyperparameters' defaults) with {@code o}. */
  public static Map<NetworkArchitecture, ModelSpec> specs(NetworkOverrides o) {
    Map<NetworkArchitecture, ModelSpec> out = new HashMap<>();
    ModelKinds.networks().forEach(n -> out.put(n, o.apply(n.defaults())));
    return out;
  }

  /** The run's spec of network kind {@code kind}. */
  public ModelSpec spec(NetworkArchitecture kind) {
    return networks.get(kind);
  }

  /** Which networks train data-parallel on a cluster of {@code slots} task slots. */
  public DataParallelRule dataParallel(int slots) {
    return new DataParallelRule(dataParallelMinWindows, dataParallelEfficiency, slots);
  }

  /** The same settings with another data-parallel efficiency (see {@link DataParallelRule}). */
  public TrainSettings withDataParallelEfficiency(double efficiency) {
    return new TrainSettings(models, dataParallelMinWindows, efficiency, averagingFrequency,
        threadsPerTask, checkpointDir, networks, gbt, pooled, seeds);
  }

  /** The requested kinds of {@code scope}, in request order. */
  public List<ModelKind> kinds(Scope scope) {
    return models.stream().filter(k -> k.scope() == scope).toList();
  }

  /**
   * The network kinds whose pattern network this run trains: requested as {@code <kind>_pattern},
   * or the start of a requested {@code <kind>_tuned}.
   */
  public List<NetworkArchitecture> patternNetworks() {
    return pooledNetworks(Scope.PATTERN);
  }

  /**
   * The network kinds whose global network this run trains: requested as {@code <kind>_global},
   * or the start of a requested {@code <kind>_global_tuned}.
   */
  public List<NetworkArchitecture> globalNetworks() {
    return pooledNetworks(Scope.GLOBAL);
  }

  /** The networks pooled in {@code pool}: requested there, or where a fine-tuned kind starts. */
  private List<NetworkArchitecture> pooledNetworks(Scope pool) {
    List<NetworkArchitecture> out = new ArrayList<>();
    for (ModelKind k : models) {
      if (k.architecture() instanceof NetworkArchitecture n
          && k.scope().trainsFrom(pool) && !out.contains(n)) {
        out.add(n);
      }
    }
    return out;
  }

  /** Whether the run needs usage patterns: a pattern-pooled or fine-tuned kind is requested. */
  public boolean needsPatterns() {
    return models.stream().anyMatch(k -> k.scope().trainsFrom(Scope.PATTERN));
  }

  public TrainSettings withModels(List<ModelKind> newModels) {
    return new TrainSettings(newModels, dataParallelMinWindows, dataParallelEfficiency,
        averagingFrequency,
        threadsPerTask, checkpointDir, networks, gbt, pooled, seeds);
  }

  /** How the run executes: data-parallel threshold, averaging, threads, checkpoints. */
  public TrainSettings withExecution(long newDataParallelMinWindows, int newAveragingFrequency,
      int newThreadsPerTask, String newCheckpointDir) {
    return new TrainSettings(models, newDataParallelMinWindows, dataParallelEfficiency,
        newAveragingFrequency,
        newThreadsPerTask, newCheckpointDir, networks, gbt, pooled, seeds);
  }

  /** Every network kind's default spec with {@code overrides} (replacing the current specs). */
  public TrainSettings withOverrides(NetworkOverrides overrides) {
    return new TrainSettings(models, dataParallelMinWindows, dataParallelEfficiency,
        averagingFrequency, threadsPerTask,
        checkpointDir, specs(overrides), gbt, pooled, seeds);
  }

  /** These settings with network kind {@code spec.kind()}'s spec replaced. */
  public TrainSettings withSpec(ModelSpec spec) {
    Map<NetworkArchitecture, ModelSpec> n = new HashMap<>(networks);
    n.put(spec.kind(), spec);
    return new TrainSettings(models, dataParallelMinWindows, dataParallelEfficiency,
        averagingFrequency, threadsPerTask,
        checkpointDir, n, gbt, pooled, seeds);
  }

  /** These settings training each per-job network kind {@code n} times. */
  public TrainSettings withSeeds(int n) {
    return new TrainSettings(models, dataParallelMinWindows, dataParallelEfficiency,
        averagingFrequency,
        threadsPerTask, checkpointDir, networks, gbt, pooled, n);
  }

  /**
   * Seed round {@code offset} (0 .. seeds - 1) of a {@link #seeds} run: every network spec's seed
   * plus {@code offset}, one round, and for rounds after the first their own checkpoints under
   * {@code <checkpoints>/_seed-<offset>} ({@code checkpoints} resolved by the caller), so that a
   * restarted round never resumes another seed's network.
   */
  public TrainSettings seedRound(int offset, String checkpoints) {
    if (offset < 0 || offset >= seeds) {
      throw new IllegalArgumentException("seed round " + offset + " of " + seeds);
    }
    Map<NetworkArchitecture, ModelSpec> n = new HashMap<>();
    networks.forEach((kind, spec) -> n.put(kind, spec.withTraining(
        spec.training().withSeed(spec.training().seed() + offset))));
    return new TrainSettings(models, dataParallelMinWindows, dataParallelEfficiency,
        averagingFrequency,
        threadsPerTask, offset == 0 ? checkpointDir : checkpoints + "/_seed-" + offset, n, gbt,
        pooled, 1);
  }

  /** These settings with the trees' hyperparameters replaced. */
  public TrainSettings withGbt(GbtSpec newGbt) {
    return new TrainSettings(models, dataParallelMinWindows, dataParallelEfficiency,
        averagingFrequency,
        threadsPerTask, checkpointDir, networks, newGbt, pooled, seeds);
  }

  /** These settings with the pooled kinds' settings replaced. */
  public TrainSettings withPooled(PooledSettings newPooled) {
    return new TrainSettings(models, dataParallelMinWindows, dataParallelEfficiency,
        averagingFrequency,
        threadsPerTask, checkpointDir, networks, gbt, newPooled, seeds);
  }
}
