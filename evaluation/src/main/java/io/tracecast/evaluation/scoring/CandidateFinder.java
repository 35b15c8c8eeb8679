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
        for (ModelVersion sibling : seedSiblings(registry, v, m, notes)) {
          byJob.get(job).add(Candidate.of(sibling, registry.metadata(sibling)));
          metadata.put(sibling.path(), registry.metadata(sibling));
        }
      }
    }
    return new Found(byJob, metadata, notes);
  }

  /**
   * The older versions of {@code chosen}'s (job, model) that differ from it only by the seed
   * ({@code train --seeds}): same family, dataset, shape, params and lineage, and the same spec
   * but for its seed; the newest per seed, none with the chosen version's. They are scored beside
   * it, which is how the report knows a seed group: the only way one model has several versions
   * in a job's table. Networks only: the trees' seed lives in their params, retrained alike.
   * An older version that cannot be read (a corrupted or tampered file) is no sibling: it is
   * named in {@code notes} and passed over, since evaluating the chosen version never needed it.
   */
  static List<ModelVersion> seedSiblings(ModelRegistry registry, ModelVersion chosen,
      ModelMetadata m, List<String> notes) {
    List<ModelVersion> out = new ArrayList<>();
    if (m.spec() == null) {
      return out;
    }
    java.util.Set<Long> seeds = new java.util.HashSet<>();
    seeds.add(m.spec().training().seed());
    List<Integer> older = new ArrayList<>(registry.versions(chosen.job(), chosen.model()));
    java.util.Collections.reverse(older);
    for (int version : older) {
      if (version >= chosen.version()) {
        continue;
      }
      ModelVersion u = registry.resolve(chosen.job(), chosen.model(), VersionRef.version(version));
      ModelMetadata mu;
      try {
        mu = registry.metadata(u);
      } catch (io.tracecast.training.registry.RegistryCorruptedException
          | java.io.UncheckedIOException e) {
        notes.add("not a seed sibling of " + chosen.job() + "/" + chosen.model() + " v"
            + chosen.version() + ": v" + version + " is unreadable: " + e.getMessage());
        continue;
      }
      if (mu.spec() != null && sameButSeed(m, mu) && seeds.add(mu.spec().training().seed())) {
        out.add(u);
      }
    }
    return out;
  }

  private static boolean sameButSeed(ModelMetadata a, ModelMetadata b) {
    long seed = a.spec().training().seed();
    return a.family() == b.family() && a.datasetFingerprint().equals(b.datasetFingerprint())
        && a.shape().equals(b.shape()) && java.util.Objects.equals(a.params(), b.params())
        && java.util.Objects.equals(a.lineage(), b.lineage())
        && a.spec().equals(b.spec().withTraining(b.spec().training().withSeed(seed)));
  }
}
