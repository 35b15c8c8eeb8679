package io.tracecast.evaluation;

import io.tracecast.evaluation.report.EvaluationReport;

/** What an evaluation produced: the report's content and where it was written. */
public record EvaluationResult(EvaluationReport report, String reportDir, long baselineFallbacks,
    double wallSeconds) {}
