package io.tracecast.training.network;

import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.TrainingConfig;
import io.tracecast.training.kind.WindowNetwork;
import io.tracecast.training.loss.PinballLoss;
import io.tracecast.training.network.layer.AddLastValues;
import io.tracecast.training.registry.ModelOutput;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping1D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * Turns a {@link ModelSpec} and the dataset's {@link NetworkShape} into a DL4J
 * {@link ComputationGraph}. Every kind is a ComputationGraph, even the linear ones, so the
 * registry, the Spark trainer ({@code SparkComputationGraph}) and evaluation handle one network
 * type. All take one input named {@value #INPUT}: a {@code [batch, features, lookback]} (NCW)
 * tensor built by {@link WindowTensors}; the output {@value #OUTPUT} is
 * {@code [batch, horizon * targets * outputsPerTarget]}.
 *
 * <p>Fixed for every kind: the spec's seed (initialisation and dropout masks), float32, Xavier
 * initialisation, Adam, element-wise gradient clipping, identity output activation (targets are
 * scaled, not bounded). Dropout is DL4J's input dropout of the next layer, which is the same as a
 * dropout layer between the two.
 */
public final class NetworkBuilder {
  public static final String INPUT = "window";
  public static final String OUTPUT = "forecast";

  private NetworkBuilder() {}

  /**
   * A freshly initialised network of a window kind; the caller seeds ND4J's RNG first
   * ({@link io.tracecast.training.kind.NetworkArchitecture#build} does).
   */
  public static ComputationGraph build(ModelSpec spec, NetworkShape shape) {
    ComputationGraph net = new ComputationGraph(configuration(spec, shape));
    net.init();
    return net;
  }

  /**
   * The configuration of a window kind's network: the input (cropped to the spec's
   * {@code lookbackUsed}), the kind's body ({@link WindowNetwork#body}) and the head every kind
   * shares (the output layer, or the residual correction of the last value).
   */
  public static ComputationGraphConfiguration configuration(ModelSpec spec, NetworkShape shape) {
    if (!(spec.kind() instanceof WindowNetwork kind)) {
      throw new IllegalArgumentException(spec.kind().id() + " forecasts panels: build it with "
          + "its kind's build(spec, shape, nodes)");
    }
    GraphBuilder g = base(spec.training(), DataType.FLOAT)
        .setInputTypes(InputType.recurrent(shape.features(), shape.lookback(), RNNFormat.NCW));
    NetworkShape seen = new NetworkShape(spec.stepsSeen(shape.lookback()), shape.features(),
        shape.horizon(), shape.targets(), shape.targetFeatures(), shape.squashInputs());
    String last = kind.body(g, spec, seen, croppedInput(g, spec, shape));
    if (spec.residual()) {
      addResidualOutput(g, spec, shape, last);
      return g.build();
    }
    OutputLayer.Builder out = new OutputLayer.Builder(loss(spec))
        .nOut(shape.outputLength(spec.quantiles().size()))
        .activation(Activation.IDENTITY);
    if (spec.dropout() > 0) {
      out.dropOut(retain(spec)); // e.g. stacked_lstm's "LSTM 32 -> dropout -> dense"
    }
    g.addLayer(OUTPUT, out.build(), last).setOutputs(OUTPUT);
    return g.build();
  }

  /**
   * What every network shares (seed, data type, updater, Xavier, clipping), with the one input
   * {@value #INPUT}; the caller sets its type.
   */
  public static GraphBuilder base(TrainingConfig tc, DataType dataType) {
    return new NeuralNetConfiguration.Builder()
        .seed(tc.seed())
        .dataType(dataType)
        .updater(updater(tc))
        .weightInit(WeightInit.XAVIER)
        .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
        .gradientNormalizationThreshold(tc.gradientClip())
        .graphBuilder()
        .addInputs(INPUT);
  }

  /**
   * Output = dense correction + the last observed value of each output column's target: the
   * body's features feed an identity dense layer, {@link AddLastValues} adds the window's last
   * step of the target's input feature to each output column (quantiles included), and a loss
   * layer scores the sum. With zero correction the network is exactly persistence.
   */
  private static void addResidualOutput(GraphBuilder g, ModelSpec spec, NetworkShape shape,
      String body) {
    if (!shape.targetsAreInputs()) {
      throw new IllegalArgumentException(spec.kind().id() + ": a residual network needs every "
          + "target among the input features, got target positions " + shape.targetFeatures());
    }
    // Xavier like every other layer: measured on the samples, a zero or tiny start left the
    // median model stuck at persistence (L1's gradient there is a sign, mostly of noise) and
    // lost Bitbrains' 0.75x; see the closing note of issue 4.
    DenseLayer.Builder correction = new DenseLayer.Builder()
        .nOut(shape.outputLength(spec.quantiles().size())).activation(Activation.IDENTITY);
    if (spec.dropout() > 0) {
      correction.dropOut(retain(spec));
    }
    g.addLayer("correction", correction.build(), body);
    g.addVertex("residual", new AddLastValues(residualFeatures(spec, shape)), "correction",
        INPUT);
    g.addLayer(OUTPUT, new LossLayer.Builder(loss(spec)).activation(Activation.IDENTITY).build(),
        "residual");
    g.setOutputs(OUTPUT);
  }

  /**
   * Per output column, the input feature whose last value the residual head adds: column
   * {@link ModelOutput#column}(j, i, Q) of value j = h * targets + k reads target k's feature.
   */
  static int[] residualFeatures(ModelSpec spec, NetworkShape shape) {
    int q = spec.outputsPerTarget();
    int[] features = new int[shape.outputLength(spec.quantiles().size())];
    for (int h = 0; h < shape.horizon(); h++) {
      for (int k = 0; k < shape.targets(); k++) {
        int j = h * shape.targets() + k;
        for (int i = 0; i < q; i++) {
          features[ModelOutput.column(j, i, q)] = shape.targetFeatures().get(k);
        }
      }
    }
    return features;
  }

  /**
   * The input the body reads: the window itself, or its last {@code lookbackUsed} steps cropped
   * inside the network, so the registry model still takes the dataset's full window and serving
   * needs no change. The residual connection reads the last step, which cropping keeps.
   */
  private static String croppedInput(GraphBuilder g, ModelSpec spec, NetworkShape shape) {
    int seen = spec.stepsSeen(shape.lookback());
    if (seen == shape.lookback()) {
      return INPUT;
    }
    g.addLayer("lookback_used", new Cropping1D.Builder(shape.lookback() - seen, 0).build(),
        INPUT);
    return "lookback_used";
  }

  private static double retain(ModelSpec spec) {
    return 1 - spec.dropout();
  }

  /** MSE for a point forecast, else the pinball loss over the spec's quantile levels. */
  public static ILossFunction loss(ModelSpec spec) {
    if (spec.quantiles().isEmpty()) {
      return new LossMSE();
    }
    return new PinballLoss(spec.quantiles().stream().mapToDouble(Double::doubleValue).toArray());
  }

  private static IUpdater updater(TrainingConfig tc) {
    return switch (tc.schedule()) {
      case CONSTANT -> new Adam(tc.learningRate());
      case WARMUP_COSINE -> new Adam(
          new WarmupCosineSchedule(tc.learningRate(), tc.warmupEpochs(), tc.maxEpochs()));
    };
  }
}
