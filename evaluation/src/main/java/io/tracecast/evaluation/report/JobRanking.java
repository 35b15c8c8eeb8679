package io.tracecast.evaluation.report;

import java.util.List;

/**
 * The comparison rows of one job, best first.
 *
 * @param champion null for {@link ModelScore#ALL_JOBS} and for jobs without one
 * @param reactive the reactive autoscaler's outcome on the job's test points, or null
 */
record JobRanking(String job, List<RankedScore> rows, Champion champion,
    io.tracecast.evaluation.provisioning.ProvisioningOutcome reactive) {

  JobRanking {
    rows = List.copyOf(rows);
  }

  boolean pooled() {
    return ModelScore.ALL_JOBS.equals(job);
  }

  /** The champion's row, or null when it was not scored on the test split. */
  RankedScore championRow() {
    return rows.stream().filter(RankedScore::champion).findFirst().orElse(null);
  }
}
