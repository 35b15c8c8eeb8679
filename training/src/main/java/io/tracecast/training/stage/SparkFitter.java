package io.tracecast.training.stage;

import io.tracecast.training.fit.EpochFitter;
import io.tracecast.training.fit.ValidationMetrics;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.network.NetworkShape;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.nd4j.evaluation.regression.RegressionEvaluation;
import org.nd4j.linalg.dataset.DataSet;

/**
 * An epoch as DL4J parameter averaging: workers fit their partitions of the minibatch RDD and
 * the driver averages parameters (and updater state) every averagingFrequency minibatches.
 * Validation runs distributed too, on the driver's network after the epoch.
 */
final class SparkFitter implements EpochFitter {
  private final SparkComputationGraph sparkNet;
  private final JavaRDD<DataSet> train;
  private final JavaRDD<DataSet> validation;
  private final long trainWindows;
  private final boolean hasValidation;
  private final ModelSpec spec;
  private final NetworkShape shape;

  SparkFitter(SparkComputationGraph sparkNet, JavaRDD<DataSet> train,
      JavaRDD<DataSet> validation, long trainWindows, boolean hasValidation, ModelSpec spec,
      NetworkShape shape) {
    this.sparkNet = sparkNet;
    this.train = train;
    this.validation = validation;
    this.trainWindows = trainWindows;
    this.hasValidation = hasValidation;
    this.spec = spec;
    this.shape = shape;
  }

  @Override
  public ComputationGraph network() {
    return sparkNet.getNetwork();
  }

  @Override
  public void setNetwork(ComputationGraph network) {
    sparkNet.setNetwork(network);
  }

  /** Returns DL4J's mean score of the last averaging round's minibatches. */
  @Override
  public double fitEpoch(int epoch) {
    // Workers rebuild the network from the driver's configuration, epoch count included, so
    // the learning-rate schedule follows the driver's epoch.
    sparkNet.getNetwork().getConfiguration().setEpochCount(epoch);
    sparkNet.fit(train);
    return sparkNet.getScore();
  }

  @Override
  public Validation validate() {
    if (!hasValidation) {
      return Validation.NONE;
    }
    double loss = sparkNet.calculateScore(validation, true);
    RegressionEvaluation eval = sparkNet.evaluateRegression(validation,
        spec.training().batchSize());
    return new Validation(loss, ValidationMetrics.pointMae(eval, spec, shape));
  }

  @Override
  public long trainWindows() {
    return trainWindows;
  }
}
