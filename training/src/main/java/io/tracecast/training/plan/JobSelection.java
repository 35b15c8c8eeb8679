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
}
