/**
 * Evaluation stage: baselines, metrics, reports and champions (issue 4). So far: point and
 * quantile metrics ({@code metric}), the persistence, seasonal-naive and moving-average
 * baselines ({@code baseline}) and the report writers ({@code report}: CSV, Markdown, HTML,
 * PNG plots, JSON).
 */
package io.tracecast.evaluation;
