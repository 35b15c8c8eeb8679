package io.tracecast.training.pooled;

import io.tracecast.training.gbt.GbtSpec;
import ml.dmlc.xgboost4j.scala.Booster;
import ml.dmlc.xgboost4j.scala.spark.ColumnIndices;
import ml.dmlc.xgboost4j.scala.spark.RuntimeParams;
import ml.dmlc.xgboost4j.scala.spark.XGBoost$;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressionModel;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressor;
import ml.dmlc.xgboost4j.scala.spark.XGBoostTrainingSummary$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;
import scala.collection.immutable.Map;

/**
 * {@link XGBoostRegressor#fit} for quantile trees. XGBoost4J-Spark 3.0 passes the booster only
 * the parameters it has typed Spark params for, and {@code quantile_alpha} is not one (its map
 * constructor drops unknown names; a Java subclass adding the param clashes with the Scala
 * traits' bridge methods). So this runs the steps of the estimator's own {@code train} (CPU
 * path: preprocess, watches RDD, runtime parameters, the distributed {@code XGBoost.train},
 * model with its summary) with {@link GbtSpec#QUANTILE_ALPHA} added to its parameters. Those
 * steps are public in the bytecode though meant for the package; the pinned version is 3.0.4,
 * and GbtTrainingTest's pooled quantile test fails on an upgrade that moves them. The eval metric
 * stays unset: the typed {@code eval_metric} refuses XGBoost's {@code quantile}, which is the
 * quantile objective's default.
 */
final class QuantileSparkFit {
  private QuantileSparkFit() {}

  /** {@code r} (configured, eval dataset included) fitted on {@code train} with the levels. */
  static XGBoostRegressionModel fit(XGBoostRegressor r, GbtSpec spec, Dataset<Row> train) {
    if (spec.quantiles().isEmpty()) {
      throw new IllegalArgumentException("quantile trees need quantile levels");
    }
    Tuple2<Dataset<?>, ColumnIndices> prepared = r.preprocess(train);
    RuntimeParams runtime = r.getRuntimeParameters(
        train.sparkSession().sparkContext().isLocal(), r.getRuntimeParameters$default$2());
    Map<String, Object> params = r.getXGBoostParams()
        .$plus(new Tuple2<>(GbtSpec.QUANTILE_ALPHA, (Object) spec.quantileAlpha()));
    Tuple2<Booster, Map<String, float[]>> fitted = XGBoost$.MODULE$.train(
        r.toRdd(prepared._1(), prepared._2()), runtime, params);
    return r.createModel(fitted._1(), XGBoostTrainingSummary$.MODULE$.apply(fitted._2()));
  }
}
