package io.tracecast.training.config;

import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.NetworkArchitecture;
import io.tracecast.training.kind.TrainingConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tracecast.train}'s overrides of every network kind's defaults: the one rule that turns a
 * kind's default spec into the run's ({@link #apply}). Absent values keep each kind's own.
 *
 * @param units per-kind hidden sizes replacing the defaults
 * @param quantiles per-kind quantile levels replacing the defaults ({@code [0.5]}: median)
 * @param residual every network forecasts a correction to the last observed value
 * @param seed initialisation, dropout masks and minibatch order of every network
 */
public record NetworkOverrides(Optional<Integer> maxEpochs, Optional<Integer> patience,
    Optional<Integer> batchSize, Optional<Double> learningRate, long seed,
    Map<NetworkArchitecture, List<Integer>> units,
    Map<NetworkArchitecture, List<Double>> quantiles, boolean residual) {

  public NetworkOverrides {
    units = Map.copyOf(units);
    quantiles = Map.copyOf(quantiles);
  }

  /** No override: every kind's defaults, the default seed. */
  public static NetworkOverrides none() {
    return new NetworkOverrides(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), TrainingConfig.DEFAULT_SEED, Map.of(), Map.of(), false);
  }

  /** {@code spec} (a kind's defaults with its own hyperparameters) with these overrides. */
  public ModelSpec apply(ModelSpec spec) {
    NetworkArchitecture kind = spec.kind();
    if (units.containsKey(kind)) {
      spec = spec.withUnits(units.get(kind));
    }
    if (quantiles.containsKey(kind)) {
      spec = spec.withQuantiles(quantiles.get(kind));
    }
    spec = spec.withResidual(residual);
    TrainingConfig t = spec.training();
    int epochs = maxEpochs.orElse(t.maxEpochs());
    // A warm-up as long as the whole run would leave no cosine phase; keep it shorter.
    int warmup = Math.min(t.warmupEpochs(), Math.max(0, epochs - 1));
    t = new TrainingConfig(learningRate.orElse(t.learningRate()), t.schedule(), warmup,
        batchSize.orElse(t.batchSize()), epochs, patience.orElse(t.patience()), t.stopMetric(),
        t.gradientClip(), seed);
    return spec.withTraining(t);
  }

  public NetworkOverrides withEpochs(int max, int newPatience) {
    return new NetworkOverrides(Optional.of(max), Optional.of(newPatience), batchSize,
        learningRate, seed, units, quantiles, residual);
  }

  public NetworkOverrides withBatch(int size, double rate) {
    return new NetworkOverrides(maxEpochs, patience, Optional.of(size), Optional.of(rate), seed,
        units, quantiles, residual);
  }

  public NetworkOverrides withUnits(NetworkArchitecture kind, List<Integer> sizes) {
    Map<NetworkArchitecture, List<Integer>> u = new HashMap<>(units);
    u.put(kind, sizes);
    return new NetworkOverrides(maxEpochs, patience, batchSize, learningRate, seed, u, quantiles,
        residual);
  }

  public NetworkOverrides withQuantiles(NetworkArchitecture kind, List<Double> levels) {
    Map<NetworkArchitecture, List<Double>> q = new HashMap<>(quantiles);
    q.put(kind, levels);
    return new NetworkOverrides(maxEpochs, patience, batchSize, learningRate, seed, units, q,
        residual);
  }

  public NetworkOverrides withResidual(boolean on) {
    return new NetworkOverrides(maxEpochs, patience, batchSize, learningRate, seed, units,
        quantiles, on);
  }
}
