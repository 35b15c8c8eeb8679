package io.tracecast.evaluation;

import io.tracecast.evaluation.report.EvaluationReport;
import io.tracecast.evaluation.scoring.ScoreBook;

/** What an evaluation produced: the report's content and where it was written. */
public record EvaluationResult(EvaluationReport report, String reportDir, long baselineFallbacks,
    double wallSeconds, ScoreBook book) {}
