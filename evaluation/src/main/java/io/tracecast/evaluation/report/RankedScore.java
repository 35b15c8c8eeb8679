package io.tracecast.evaluation.report;

/**
 * One row of a comparison table with what it is judged by.
 *
 * @param rank 1 = best test MAE of its job, ties broken by RMSE; equal on both share a rank
 * @param maeVsPersistence this row's test MAE / the persistence row's of the same job (below 1
 *     beats persistence); NaN when the job has no persistence row
 * @param champion whether this row is the job's champion
 */
record RankedScore(ModelScore score, int rank, double maeVsPersistence, boolean champion) {}
