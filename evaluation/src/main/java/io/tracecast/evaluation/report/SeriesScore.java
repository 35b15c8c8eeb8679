package io.tracecast.evaluation.report;

import io.tracecast.evaluation.metric.PointMetrics;

/** Point accuracy of one model on one series' test split (the per-series table). */
public record SeriesScore(String job, String series, String model, int version,
    PointMetrics point) {}
