package io.tracecast.training.fit;

import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.registry.ModelOutput;
import org.nd4j.evaluation.regression.RegressionEvaluation;

/**
 * The validation MAE early stopping watches: the mean absolute error, in scaled units, of the
 * point forecast over every (window, horizon step, target). The point forecast is the output
 * itself for MSE models and the quantile closest to 0.5 for quantile models, so models trained
 * with different losses are compared on one scale.
 */
public final class ValidationMetrics {
  private ValidationMetrics() {}

  /** A regression evaluation over all output columns of a network built for {@code shape}. */
  public static RegressionEvaluation newEvaluation(ModelSpec spec, NetworkShape shape) {
    return new RegressionEvaluation(shape.outputLength(spec.quantiles().size()));
  }

  /** Mean of the per-column MAE over the point-forecast columns (all columns have equal counts). */
  public static double pointMae(RegressionEvaluation eval, ModelSpec spec, NetworkShape shape) {
    int q = spec.outputsPerTarget();
    int point = ModelOutput.pointIndex(spec.quantiles());
    double sum = 0;
    for (int j = 0; j < shape.targetLength(); j++) {
      sum += eval.meanAbsoluteError(ModelOutput.column(j, point, q));
    }
    return sum / shape.targetLength();
  }

}
