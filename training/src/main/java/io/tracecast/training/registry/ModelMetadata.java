package io.tracecast.training.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.tracecast.etl.dataset.Scaler;
import io.tracecast.training.model.ModelSpec;
import io.tracecast.training.model.NetworkShape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * @param params family-specific values, JSON-shaped (maps, lists, strings, numbers): a GBT's
 *     hyperparameters and feature layout, a baseline's fitted parameters, an ensemble's members;
 *     empty for networks. The family's own code is the one home of their layout.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelMetadata(int schemaVersion, String job, String model, ModelSpec spec,
    NetworkShape shape, String datasetFingerprint, String datasetPath, List<String> features,
    List<String> targets, Map<String, Scaler> scalers, TrainingHistory history,
    String codeVersion, Hardware hardware, String createdAt, ModelFamily family,
    Map<String, Object> params) {

  public static final int SCHEMA_VERSION = 1;

  /** A network's metadata (family {@link ModelFamily#NETWORK}, no params). */
  public ModelMetadata(int schemaVersion, String job, String model, ModelSpec spec,
      NetworkShape shape, String datasetFingerprint, String datasetPath, List<String> features,
      List<String> targets, Map<String, Scaler> scalers, TrainingHistory history,
      String codeVersion, Hardware hardware, String createdAt) {
    this(schemaVersion, job, model, spec, shape, datasetFingerprint, datasetPath, features,
        targets, scalers, history, codeVersion, hardware, createdAt, ModelFamily.NETWORK, null);
  }

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
    params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
    features = List.copyOf(features);
    targets = List.copyOf(targets);
    scalers = Map.copyOf(scalers);
    if (features.size() != shape.features() || targets.size() != shape.targets()) {
      throw new IllegalArgumentException("features " + features + " / targets " + targets
          + " do not match the network shape " + shape);
    }
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
