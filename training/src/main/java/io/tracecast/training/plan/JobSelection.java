package io.tracecast.training.plan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The jobs a run trains, whatever the model family, with their window counts from the manifest.
 *
 * @param trainWindows job -> train windows, jobs with at least one, in request (or manifest)
 *     order
 * @param validationWindows job -> validation windows, same jobs
 * @param skipped job -> why it is not trained (e.g. no train windows)
 */
public record JobSelection(Map<String, Long> trainWindows, Map<String, Long> validationWindows,
    Map<String, String> skipped) {
  public JobSelection {
    trainWindows = Collections.unmodifiableMap(new LinkedHashMap<>(trainWindows));
    validationWindows = Map.copyOf(validationWindows);
    skipped = Map.copyOf(skipped);
  }

  public List<String> jobs() {
    return List.copyOf(trainWindows.keySet());
  }

  /**
   * The jobs by train windows, largest first, ties by id: the order of every packed stage over
   * jobs (Spark starts a stage's partitions in index order, so the longest tasks start first).
   */
  public List<String> largestFirst() {
    return jobs().stream()
        .sorted(java.util.Comparator.comparing((String j) -> trainWindows.get(j)).reversed()
            .thenComparing(java.util.Comparator.naturalOrder()))
        .toList();
  }

  /** The train windows of {@code jobs}, summed. */
  public long trainWindows(List<String> jobs) {
    return jobs.stream().mapToLong(j -> trainWindows.getOrDefault(j, 0L)).sum();
  }

  /** The validation windows of {@code jobs}, summed. */
  public long validationWindows(List<String> jobs) {
    return jobs.stream().mapToLong(j -> validationWindows.getOrDefault(j, 0L)).sum();
  }
}
