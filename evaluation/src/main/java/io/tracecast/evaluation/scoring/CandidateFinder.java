package io.tracecast.evaluation.scoring;

import io.tracecast.etl.dataset.Manifest;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import io.tracecast.training.registry.VersionRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Picks the registry versions to score on a dataset: for each of the dataset's jobs and each
 * model with published versions, the version {@code ref} names. A version that does not fit the
 * dataset ({@link ModelMetadata#misfit}: trained on another dataset, or for other features or
 * window sizes) is skipped with a note: its inputs would be scaled or shaped differently from
 * what it learned.
 */
public final class CandidateFinder {
  private CandidateFinder() {}

  /** What was found: candidates and their metadata by job, and notes on what was skipped. */
  public record Found(Map<String, List<Candidate>> byJob,
      Map<String, ModelMetadata> metadataByPath, List<String> notes) {}

  public static Found find(ModelRegistry registry, Manifest manifest, VersionRef ref) {
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
          v = registry.resolve(job, model, ref);
          m = registry.metadata(v);
        } catch (IllegalArgumentException e) {
          notes.add("skipped " + job + "/" + model + ": " + e.getMessage());
          continue;
        }
        if (!m.family().trained()) {
          continue; // a published baseline or ensemble champion: evaluation scores those itself
        }
        java.util.Optional<String> misfit = m.misfit(manifest);
        if (misfit.isPresent()) {
          notes.add("skipped " + job + "/" + model + " v" + v.version() + ": " + misfit.get());
          continue;
        }
        byJob.computeIfAbsent(job, j -> new ArrayList<>()).add(Candidate.of(v, m));
        metadata.put(v.path(), m);
      }
    }
    return new Found(byJob, metadata, notes);
  }
}
