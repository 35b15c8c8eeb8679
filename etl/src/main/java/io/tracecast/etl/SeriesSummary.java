package io.tracecast.etl;

import io.tracecast.etl.clean.CleanedSeries;
import io.tracecast.etl.clean.CleaningStats;
import io.tracecast.etl.window.SlidingWindows;
import java.io.Serializable;

/** The driver's view of one cleaned series: boundaries and counts, no points. */
record SeriesSummary(String jobId, String seriesId, long points, long segments, long startMicros,
    long endMicros, long trainEndMicros, long validationEndMicros, long[] windows,
    long straddling, long lackingAMetric, CleaningStats stats, long[][] withoutSeasonalHistory,
    java.util.Map<String, Double> scales) implements Serializable {

  /** Marks a split end that reaches the end of the series. */
  static final long OPEN = Long.MIN_VALUE;

  static SeriesSummary of(EtlJob.Planned p) {
    CleanedSeries s = p.series();
    SlidingWindows.SeriesPlan plan = p.plan();
    long[] ts = s.timestampsMicros();
    int n = ts.length;
    return new SeriesSummary(s.jobId(), s.seriesId(), n, s.stats().segments(),
        n == 0 ? OPEN : ts[0], n == 0 ? OPEN : ts[n - 1],
        plan.trainEnd() < n ? ts[plan.trainEnd()] : OPEN,
        plan.validationEnd() < n ? ts[plan.validationEnd()] : OPEN,
        plan.windows().clone(), plan.windowsStraddlingSplits(), plan.windowsLackingAMetric(),
        s.stats(), plan.windowsWithoutSeasonalHistory(), p.scales());
  }
}
