package io.tracecast.evaluation.report;

import io.tracecast.evaluation.metric.FoldSpread;

/**
 * One row of a comparison table with what it is judged by.
 *
 * @param rank 1 = best test MAE of its job, ties broken by RMSE; equal on both share a rank
 * @param maeVsPersistence this row's test MAE / the persistence row's of the same job (below 1
 *     beats persistence); NaN when the job has no persistence row
 * @param champion whether this row is the job's champion
 * @param folds MAE vs persistence over the backtest folds (fold by fold), mean and 95 % interval;
 *     {@link FoldSpread#NONE} without a backtest
 * @param withinNoise whether this row's fold-by-fold MAE vs persistence differs from the rank-1
 *     row's by less than the noise (the paired 95 % interval holds 0); false for that row itself
 *     and without a backtest
 * @param seeds MAE vs persistence over the versions of this row's model that differ only by
 *     the seed ({@code train --seeds}), mean and 95 % interval (the same t-interval as the folds'),
 *     the same on each of them; {@link FoldSpread#NONE} for a model scored in one version
 */
record RankedScore(ModelScore score, int rank, double maeVsPersistence, boolean champion,
    FoldSpread folds, boolean withinNoise, FoldSpread seeds) {

  RankedScore(ModelScore score, int rank, double maeVsPersistence, boolean champion) {
    this(score, rank, maeVsPersistence, champion, FoldSpread.NONE, false, FoldSpread.NONE);
  }
}
