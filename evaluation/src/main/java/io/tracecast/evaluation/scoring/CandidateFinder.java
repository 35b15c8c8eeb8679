package io.tracecast.evaluation.scoring;

import io.tracecast.etl.dataset.Manifest;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Picks the registry versions to score on a dataset: for each of the dataset's jobs and each
 * model with published versions, the version {@code ref} names. A version trained on another
 * dataset (different manifest fingerprint) or for other features or window sizes is skipped
 * with a note: its inputs would be scaled or shaped differently from what it learned.
 */
public final class CandidateFinder {
  private CandidateFinder() {}

  /** What was found: candidates and their metadata by job, and notes on what was skipped. */
  public record Found(Map<String, List<Candidate>> byJob,
      Map<String, ModelMetadata> metadataByPath, List<String> notes) {}

  public static Found find(ModelRegistry registry, Manifest manifest, String ref) {
    Map<String, List<Candidate>> byJob = new TreeMap<>();
    Map<String, ModelMetadata> metadata = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    Map<String, List<String>> modelsByJob = new TreeMap<>();
    for (ModelVersion v : registry.list()) {
      List<String> models = modelsByJob.computeIfAbsent(v.job(), j -> new ArrayList<>());
      if (!models.contains(v.model())) {
        models.add(v.model());
      }
    }
    for (String job : manifest.jobs()) {
      for (String model : modelsByJob.getOrDefault(job, List.of())) {
        ModelMetadata m;
        ModelVersion v;
        try {
          m = registry.metadata(job, model, ref);
          v = registry.resolve(job, model, ref);
        } catch (IllegalArgumentException e) {
          notes.add("skipped " + job + "/" + model + ": " + e.getMessage());
          continue;
        }
        if (!m.family().trained()) {
          continue; // a published baseline or ensemble champion: evaluation scores those itself
        }
        String mismatch = incompatibility(m, manifest);
        if (mismatch != null) {
          notes.add("skipped " + job + "/" + model + " v" + v.version() + ": " + mismatch);
          continue;
        }
        byJob.computeIfAbsent(job, j -> new ArrayList<>()).add(candidate(manifest, job, v, m));
        metadata.put(v.path(), m);
      }
    }
    return new Found(byJob, metadata, notes);
  }

  /** A trained version (network or gradient-boosted) ready for the executors. */
  public static Candidate candidate(Manifest manifest, String job, ModelVersion v,
      ModelMetadata m) {
    if (!m.family().trained()) {
      throw new IllegalArgumentException(job + "/" + v.model() + " v" + v.version() + " is a "
          + m.family().id() + ", not a trained model");
    }
    boolean graph = m.spec() != null && m.spec().kind().isGraph();
    return new Candidate(job, v.model(), v.version(), v.path(), m.family(),
        m.spec() == null ? List.of() : m.spec().quantiles(),
        graph ? ((Number) m.params().get("nodes")).intValue() : 0);
  }

  /**
   * Why a version cannot score this dataset (trained on another dataset: its scalers would not
   * match; or built for other features or window sizes), or null when it can. The one
   * compatibility rule of evaluation and predict.
   */
  public static String incompatibility(ModelMetadata m, Manifest manifest) {
    if (!manifest.fingerprint().equals(m.datasetFingerprint())) {
      return "trained on dataset " + m.datasetFingerprint() + ", not this one ("
          + manifest.fingerprint() + ")";
    }
    return shapeMismatch(m, manifest);
  }

  /**
   * Why a model cannot read this dataset's windows whatever it was trained on (other features,
   * targets, lookback or horizon), or null when it can.
   */
  public static String shapeMismatch(ModelMetadata m, Manifest manifest) {
    if (!m.features().equals(manifest.features()) || !m.targets().equals(manifest.targets())
        || m.shape().lookback() != manifest.lookback()
        || m.shape().horizon() != manifest.horizon()) {
      return "built for features " + m.features() + " -> " + m.targets() + ", lookback "
          + m.shape().lookback() + ", horizon " + m.shape().horizon();
    }
    return null;
  }
}
