package io.tracecast.training.config;

import io.tracecast.training.gbt.GbtKind;
import io.tracecast.training.gbt.GbtSpec;
import io.tracecast.training.model.GraphConfig;
import io.tracecast.training.model.ModelKind;
import io.tracecast.training.model.ModelSpec;
import io.tracecast.training.model.TrainingConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tracecast.train}, typed. Overrides are optional: an absent one keeps each kind's
 * default from {@link ModelSpec#defaults}.
 *
 * @param dataParallelMinWindows a job with at least this many train windows trains data-parallel
 * @param averagingFrequency minibatches each worker fits between two parameter averagings
 * @param threadsPerTask ND4J/OpenMP threads of a packed training task (one per task core)
 * @param checkpointDir per-epoch checkpoints; empty: {@code <registry>/_checkpoints}
 * @param units per-kind hidden sizes replacing the default ones
 * @param quantiles per-kind quantile levels replacing the default ones ({@code [0.5]}: median)
 * @param residual every network forecasts a correction to the last observed value
 * @param models the network kinds to train (may be empty when {@code gbtModels} is not)
 * @param gbtModels the gradient-boosted-trees kinds to train, from the same model list
 * @param gbt their hyperparameters ({@code tracecast.train.gbt})
 * @param pooled the pattern-pooled networks ({@code <kind>_pattern}, {@code <kind>_tuned})
 * @param graph heads, GCN layers and top-k of the graph kinds ({@code tracecast.train.graph})
 */
public record TrainSettings(List<ModelKind> models, long dataParallelMinWindows,
    int averagingFrequency, int threadsPerTask, String checkpointDir,
    Optional<Integer> maxEpochs, Optional<Integer> patience, Optional<Integer> batchSize,
    Optional<Double> learningRate, long seed, Map<ModelKind, List<Integer>> units,
    Map<ModelKind, List<Double>> quantiles, boolean residual, List<GbtKind> gbtModels,
    GbtSpec gbt, PooledSettings pooled, GraphConfig graph) {

  /** With the default graph settings. */
  public TrainSettings(List<ModelKind> models, long dataParallelMinWindows,
      int averagingFrequency, int threadsPerTask, String checkpointDir,
      Optional<Integer> maxEpochs, Optional<Integer> patience, Optional<Integer> batchSize,
      Optional<Double> learningRate, long seed, Map<ModelKind, List<Integer>> units,
      Map<ModelKind, List<Double>> quantiles, boolean residual, List<GbtKind> gbtModels,
      GbtSpec gbt, PooledSettings pooled) {
    this(models, dataParallelMinWindows, averagingFrequency, threadsPerTask, checkpointDir,
        maxEpochs, patience, batchSize, learningRate, seed, units, quantiles, residual,
        gbtModels, gbt, pooled, GraphConfig.DEFAULTS);
  }

  /** Without pattern-pooled networks. */
  public TrainSettings(List<ModelKind> models, long dataParallelMinWindows,
      int averagingFrequency, int threadsPerTask, String checkpointDir,
      Optional<Integer> maxEpochs, Optional<Integer> patience, Optional<Integer> batchSize,
      Optional<Double> learningRate, long seed, Map<ModelKind, List<Integer>> units,
      Map<ModelKind, List<Double>> quantiles, boolean residual, List<GbtKind> gbtModels,
      GbtSpec gbt) {
    this(models, dataParallelMinWindows, averagingFrequency, threadsPerTask, checkpointDir,
        maxEpochs, patience, batchSize, learningRate, seed, units, quantiles, residual,
        gbtModels, gbt, PooledSettings.none());
  }

  /** Networks only, with the default GBT hyperparameters. */
  public TrainSettings(List<ModelKind> models, long dataParallelMinWindows,
      int averagingFrequency, int threadsPerTask, String checkpointDir,
      Optional<Integer> maxEpochs, Optional<Integer> patience, Optional<Integer> batchSize,
      Optional<Double> learningRate, long seed, Map<ModelKind, List<Integer>> units,
      Map<ModelKind, List<Double>> quantiles, boolean residual) {
    this(models, dataParallelMinWindows, averagingFrequency, threadsPerTask, checkpointDir,
        maxEpochs, patience, batchSize, learningRate, seed, units, quantiles, residual,
        List.of(), GbtSpec.defaults(seed));
  }

  /** Settings without quantile overrides and without residual connections. */
  public TrainSettings(List<ModelKind> models, long dataParallelMinWindows,
      int averagingFrequency, int threadsPerTask, String checkpointDir,
      Optional<Integer> maxEpochs, Optional<Integer> patience, Optional<Integer> batchSize,
      Optional<Double> learningRate, long seed, Map<ModelKind, List<Integer>> units) {
    this(models, dataParallelMinWindows, averagingFrequency, threadsPerTask, checkpointDir,
        maxEpochs, patience, batchSize, learningRate, seed, units, Map.of(), false);
  }

  public TrainSettings {
    models = List.copyOf(models);
    gbtModels = List.copyOf(gbtModels);
    units = Map.copyOf(units);
    quantiles = Map.copyOf(quantiles);
    if (gbt == null || pooled == null || graph == null) {
      throw new IllegalArgumentException("GBT hyperparameters, pooled and graph settings are "
          + "required");
    }
    if (models.isEmpty() && gbtModels.isEmpty() && pooled.isEmpty() || dataParallelMinWindows < 1 || averagingFrequency < 1
        || threadsPerTask < 1) {
      throw new IllegalArgumentException("need models, and data-parallel-min-windows, "
          + "averaging-frequency and threads-per-task >= 1");
    }
  }

  /** Defaults for {@code models}, everything else as in conf/application.conf. */
  public static TrainSettings defaults(List<ModelKind> models) {
    return new TrainSettings(models, 20_000, 5, 1, "", Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), TrainingConfig.DEFAULT_SEED, Map.of());
  }

  public TrainSettings withModels(List<ModelKind> newModels) {
    return new TrainSettings(newModels, dataParallelMinWindows, averagingFrequency,
        threadsPerTask, checkpointDir, maxEpochs, patience, batchSize, learningRate, seed, units,
        quantiles, residual, gbtModels, gbt, pooled, graph);
  }

  /** These settings with the GBT kinds and hyperparameters replaced. */
  public TrainSettings withGbt(List<GbtKind> newGbtModels, GbtSpec newGbt) {
    return new TrainSettings(models, dataParallelMinWindows, averagingFrequency,
        threadsPerTask, checkpointDir, maxEpochs, patience, batchSize, learningRate, seed, units,
        quantiles, residual, newGbtModels, newGbt, pooled, graph);
  }

  /** These settings with the pattern-pooled networks replaced. */
  public TrainSettings withPooled(PooledSettings newPooled) {
    return new TrainSettings(models, dataParallelMinWindows, averagingFrequency,
        threadsPerTask, checkpointDir, maxEpochs, patience, batchSize, learningRate, seed, units,
        quantiles, residual, gbtModels, gbt, newPooled, graph);
  }

  /** Whether the run needs usage patterns: a pattern GBT or pooled networks are requested. */
  public boolean needsPatterns() {
    return gbtModels.contains(GbtKind.GBT_PATTERN) || !pooled.isEmpty();
  }

  /** The kind's default spec with this run's overrides applied. */
  public ModelSpec specFor(ModelKind kind) {
    ModelSpec spec = ModelSpec.defaults(kind);
    if (units.containsKey(kind)) {
      spec = spec.withUnits(units.get(kind));
    }
    if (quantiles.containsKey(kind)) {
      spec = spec.withQuantiles(quantiles.get(kind));
    }
    spec = spec.withResidual(residual);
    if (kind.isGraph()) {
      spec = spec.withGraph(graph);
    }
    TrainingConfig t = spec.training();
    int epochs = maxEpochs.orElse(t.maxEpochs());
    // A warm-up as long as the whole run would leave no cosine phase; keep it shorter.
    int warmup = Math.min(t.warmupEpochs(), Math.max(0, epochs - 1));
    t = new TrainingConfig(learningRate.orElse(t.learningRate()), t.schedule(), warmup,
        batchSize.orElse(t.batchSize()), epochs, patience.orElse(t.patience()), t.stopMetric(),
        t.gradientClip(), seed);
    return spec.withTraining(t);
  }
}
