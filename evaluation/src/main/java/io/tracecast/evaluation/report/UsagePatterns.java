package io.tracecast.evaluation.report;

import java.util.List;
import java.util.Map;

/**
 * The usage patterns of the evaluated dataset, when training clustered its series (see
 * {@code io.tracecast.training.pattern}): each job's pattern and each pattern's normalised daily
 * profile (24 hourly values, z-scores within a series, averaged over the members; null where no
 * member has that hour), for the report's pattern table and plot.
 *
 * @param jobPattern job -> pattern index (0-based)
 * @param members pattern index -> number of member series
 */
public record UsagePatterns(Map<String, Integer> jobPattern, List<List<Double>> dailyProfiles,
    Map<Integer, Integer> members) {

  public UsagePatterns {
    jobPattern = Map.copyOf(jobPattern);
    dailyProfiles = dailyProfiles.stream().map(p -> java.util.Collections.unmodifiableList(
        new java.util.ArrayList<>(p))).toList();
    members = Map.copyOf(members);
  }

  /** "pattern 2 of 3 (14 series)" for a job, or empty when it has none. */
  public String describe(String job) {
    Integer p = jobPattern.get(job);
    return p == null ? "" : "usage pattern " + (p + 1) + " of " + dailyProfiles.size() + " ("
        + members.getOrDefault(p, 0) + " series)";
  }
}
