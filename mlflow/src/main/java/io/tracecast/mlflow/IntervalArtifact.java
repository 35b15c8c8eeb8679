package io.tracecast.mlflow;

import io.tracecast.evaluation.metric.IntervalMetrics;
import io.tracecast.evaluation.scoring.ConformalBands;
import io.tracecast.evaluation.scoring.ServedIntervals;
import io.tracecast.mlflow.MlflowApi.Tag;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The interval calibration a version carries into MLflow, so that whoever loads the model from
 * MLflow can widen its forecasts as {@code predict} does: the conformal offsets evaluate
 * stored for the version's dataset (split or, at the end of the data, rolling), read through evaluation's one reader
 * ({@link ServedIntervals#of}), restricted to this version's rows (every horizon step and
 * target), as the run artifact {@link MlflowNames#intervalsArtifact} in the registry's own
 * format ({@link ConformalBands#toJson}: {@code levels}, then per (job, model, version, step,
 * target) the offsets {@code [lo, hi]} per level to add to the point forecast; readable back with
 * {@link ConformalBands#fromJson}). A baseline or ensemble version's rows carry version 0, the
 * version it was scored under before it was published.
 *
 * <p>Tags on the run say which file applies ({@value #TAG_INTERVALS}), at which levels
 * ({@value #TAG_LEVELS}, percent) and with which bytes ({@value #TAG_SHA256}): evaluate writes the
 * calibration after train exported the version, so the export attaches it to runs that exist
 * already, and the checksum tells it when there is nothing new to upload.
 */
public record IntervalArtifact(String path, byte[] json, List<Tag> tags) {
  public static final String TAG_INTERVALS = "tracecast.intervals";
  public static final String TAG_LEVELS = "tracecast.interval_levels";
  public static final String TAG_SHA256 = "tracecast.intervals_sha256";

  public IntervalArtifact {
    json = json.clone();
    tags = List.copyOf(tags);
  }

  /** The calibration of {@code v} (published with {@code m}); empty when evaluate stored none. */
  public static Optional<IntervalArtifact> of(ModelRegistry registry, ModelVersion v,
      ModelMetadata m) {
    return new Source(registry).of(v, m);
  }

  /**
   * Artifacts of many versions, each dataset's calibration read and parsed once: the file holds
   * every version's rows, and an export walks the whole registry.
   */
  static final class Source {
    private final ModelRegistry registry;
    private final Map<String, Optional<ConformalBands>> byFingerprint = new HashMap<>();

    Source(ModelRegistry registry) {
      this.registry = registry;
    }

    Optional<IntervalArtifact> of(ModelVersion v, ModelMetadata m) {
      return byFingerprint.computeIfAbsent(m.datasetFingerprint(),
              fp -> ServedIntervals.stored(registry, fp))
          .flatMap(stored -> ServedIntervals.of(stored, v, m))
          .map(bands -> artifact(m.datasetFingerprint(), bands));
    }
  }

  private static IntervalArtifact artifact(String datasetFingerprint, ConformalBands bands) {
    String path = MlflowNames.intervalsArtifact(datasetFingerprint);
    byte[] json = bands.toJson().getBytes(StandardCharsets.UTF_8);
    String levels = Arrays.stream(bands.levels()).mapToObj(IntervalMetrics::percent)
        .collect(Collectors.joining(","));
    return new IntervalArtifact(path, json, List.of(new Tag(TAG_INTERVALS, path),
        new Tag(TAG_LEVELS, levels), new Tag(TAG_SHA256, sha256(json))));
  }

  /** The checksum tag's value: whether a run already holds exactly these bytes. */
  public String sha256() {
    return tags.stream().filter(t -> t.key().equals(TAG_SHA256)).findFirst().orElseThrow()
        .value();
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
