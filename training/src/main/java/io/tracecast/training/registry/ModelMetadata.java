package io.tracecast.training.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Scaler;
import io.tracecast.training.gbt.GbtModel;
import io.tracecast.training.kind.Architecture;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.network.NetworkShape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code metadata.json} of a version: enough to trace the model to its data and code, and to
 * use it (features in order, targets, and the scalers to undo). The version number itself is the
 * directory name, not a field, so the file can be checksummed before the version is allocated.
 *
 * @param spec the full network and training configuration, seed included; null for families
 *     other than {@link ModelFamily#NETWORK}, whose configuration is in {@code params}
 * @param shape the window shape the model was trained on (lookback, features, horizon, targets),
 *     required for every family
 * @param datasetFingerprint {@code Manifest.fingerprint()} of the dataset trained on
 * @param scalers this job's scalers by column, from the dataset manifest
 * @param codeVersion tracecast version (and git revision when known)
 * @param createdAt ISO-8601 UTC
 * @param family how the version's files are read; absent in metadata written before families
 *     existed, which is a network
 * @param params a non-network family's own values, JSON-shaped, read only by that family's code:
 *     a GBT's hyperparameters and feature layout, a baseline's fitted parameters, an
 *     ensemble's members; empty for networks
 * @param lineage how the version was pooled, tuned or searched, and what panels it reads; read
 *     from {@code params} in metadata written before this field existed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelMetadata(int schemaVersion, String job, String model, ModelSpec spec,
    NetworkShape shape, String datasetFingerprint, String datasetPath, List<String> features,
    List<String> targets, Map<String, Scaler> scalers, TrainingHistory history,
    String codeVersion, Hardware hardware, String createdAt, ModelFamily family,
    Map<String, Object> params, Lineage lineage) {

  public static final int SCHEMA_VERSION = 1;

  @JsonCreator
  public ModelMetadata {
    family = family == null ? ModelFamily.NETWORK : family;
    if (job == null || model == null || shape == null || history == null) {
      throw new IllegalArgumentException("metadata needs job, model, shape and history");
    }
    if (family == ModelFamily.NETWORK && spec == null) {
      throw new IllegalArgumentException(job + "/" + model + ": a network's metadata needs its "
          + "spec");
    }
    // JSON values may be null, which Map.copyOf refuses; insertion order is kept for reading.
    Map<String, Object> p = params == null ? new LinkedHashMap<>() : new LinkedHashMap<>(params);
    if (lineage == null) {
      if (family.trained()) {
        lineage = Lineage.fromParams(p);
        p.keySet().removeAll(Lineage.FORMER_PARAMS);
      } else {
        lineage = Lineage.NONE;
      }
    }
    params = Collections.unmodifiableMap(p);
    features = List.copyOf(features);
    targets = List.copyOf(targets);
    scalers = Map.copyOf(scalers);
    if (features.size() != shape.features() || targets.size() != shape.targets()) {
      throw new IllegalArgumentException("features " + features + " / targets " + targets
          + " do not match the network shape " + shape);
    }
  }

  /**
   * The architecture whose code reads this version's files ({@link ModelLoader}): a network's
   * spec names it, trees have one. Baselines and ensembles have none: evaluation builds them from
   * their parameters.
   */
  public Architecture architecture() {
    return switch (family) {
      case NETWORK -> spec.kind();
      case GBT -> ModelKinds.GBT;
      case BASELINE, ENSEMBLE, POLICY -> throw new IllegalArgumentException(job + "/" + model
          + " is a " + family.id() + ": evaluation builds it from its parameters and files, no "
          + "architecture loads it");
    };
  }

  /** The quantile levels of the model's output, ascending; empty for a point forecast. */
  @JsonIgnore
  public List<Double> quantiles() {
    return switch (family) {
      case NETWORK -> spec.quantiles();
      case GBT -> GbtModel.spec(this).quantiles();
      case BASELINE, ENSEMBLE, POLICY -> List.of();
    };
  }

  /**
   * Why this version cannot score {@code manifest}'s dataset, or empty when it can: trained on
   * another dataset (its scalers would not match) or built for other features or window sizes.
   * The one compatibility rule of evaluation and predict.
   */
  public Optional<String> misfit(Manifest manifest) {
    if (!manifest.fingerprint().equals(datasetFingerprint)) {
      return Optional.of("trained on dataset " + datasetFingerprint + ", not this one ("
          + manifest.fingerprint() + ")");
    }
    return shapeMisfit(manifest);
  }

  /** Whether this version can score {@code manifest}'s dataset ({@link #misfit}). */
  public boolean fits(Manifest manifest) {
    return misfit(manifest).isEmpty();
  }

  /**
   * Why the model cannot read {@code manifest}'s windows whatever dataset it was trained on
   * (other features, targets, lookback or horizon), or empty when it can: the rule under which
   * pattern serving borrows a model of another window-normalised dataset.
   */
  public Optional<String> shapeMisfit(Manifest manifest) {
    if (!features.equals(manifest.features()) || !targets.equals(manifest.targets())
        || shape.lookback() != manifest.lookback() || shape.horizon() != manifest.horizon()) {
      return Optional.of("built for features " + features + " -> " + targets + ", lookback "
          + shape.lookback() + ", horizon " + shape.horizon());
    }
    return Optional.empty();
  }

  /** The training curve and its cost. Epochs are 1-based; bestEpoch is the one restored. */
  public record TrainingHistory(List<Epoch> epochs, int bestEpoch, double wallSeconds,
      double samplesPerSecond) {
    public TrainingHistory {
      epochs = List.copyOf(epochs);
      if (!epochs.isEmpty() && (bestEpoch < 1 || bestEpoch > epochs.size())) {
        throw new IllegalArgumentException("best epoch " + bestEpoch + " outside 1.."
            + epochs.size());
      }
    }
  }

  /** Losses after one epoch; validation values are NaN when there was no validation data. */
  public record Epoch(int epoch, double trainLoss, double validationLoss, double validationMae) {}
}
