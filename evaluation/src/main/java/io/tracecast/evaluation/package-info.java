/**
 * Evaluation stage: baselines, metrics, reports and champions (issue 4). So far: point and
 * quantile metrics ({@code metric}) and the persistence, seasonal-naive and moving-average
 * baselines ({@code baseline}).
 */
package io.tracecast.evaluation;
