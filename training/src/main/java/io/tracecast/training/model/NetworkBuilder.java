package io.tracecast.training.model;

import io.tracecast.training.loss.PinballLoss;
import io.tracecast.training.model.attention.DotProductSelfAttention;
import io.tracecast.training.model.lstm.FusedLstm;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping1D;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
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

  /** A freshly initialised network. */
  public static ComputationGraph build(ModelSpec spec, NetworkShape shape) {
    ComputationGraph net = new ComputationGraph(configuration(spec, shape));
    net.init();
    return net;
  }

  public static ComputationGraphConfiguration configuration(ModelSpec spec, NetworkShape shape) {
    if (spec.kind().isGraph()) {
      throw new IllegalArgumentException(spec.kind().id() + " forecasts panels: build it with "
          + "GraphNetworks.build(spec, shape, nodes)");
    }
    GraphBuilder g = base(spec.training(), DataType.FLOAT)
        .setInputTypes(InputType.recurrent(shape.features(), shape.lookback(), RNNFormat.NCW));
    String last = addBody(g, spec, shape, croppedInput(g, spec, shape));
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
  static GraphBuilder base(TrainingConfig tc, DataType dataType) {
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
   * body's features feed an identity dense layer, the window's last time step is sliced to the
   * target's input feature (one slice per output column, quantiles included), and a loss layer
   * scores the sum. With zero correction the network is exactly persistence.
   */
  private static void addResidualOutput(GraphBuilder g, ModelSpec spec, NetworkShape shape,
      String body) {
    if (!shape.targetsAreInputs()) {
      throw new IllegalArgumentException(spec.kind().id() + ": a residual network needs every "
          + "target among the input features, got target positions " + shape.targetFeatures());
    }
    int q = spec.outputsPerTarget();
    // Xavier like every other layer: measured on the samples, a zero or tiny start left the
    // median model stuck at persistence (L1's gradient there is a sign, mostly of noise) and
    // lost Bitbrains' 0.75x; see the closing note of issue 4.
    DenseLayer.Builder correction = new DenseLayer.Builder()
        .nOut(shape.outputLength(spec.quantiles().size())).activation(Activation.IDENTITY);
    if (spec.dropout() > 0) {
      correction.dropOut(retain(spec));
    }
    g.addLayer("correction", correction.build(), body);
    g.addVertex("last_step", new LastTimeStepVertex(INPUT), INPUT);
    String[] columns = new String[shape.outputLength(spec.quantiles().size())];
    for (int h = 0; h < shape.horizon(); h++) {
      for (int k = 0; k < shape.targets(); k++) {
        int feature = shape.targetFeatures().get(k);
        int j = h * shape.targets() + k;
        for (int i = 0; i < q; i++) {
          int col = ModelOutput.column(j, i, q);
          columns[col] = "last_" + col;
          g.addVertex(columns[col], new SubsetVertex(feature, feature), "last_step");
        }
      }
    }
    String lastValues = columns[0];
    if (columns.length > 1) {
      lastValues = "last_values";
      g.addVertex(lastValues, new MergeVertex(), columns);
    }
    g.addVertex("residual", new ElementWiseVertex(ElementWiseVertex.Op.Add), "correction",
        lastValues);
    g.addLayer(OUTPUT, new LossLayer.Builder(loss(spec)).activation(Activation.IDENTITY).build(),
        "residual");
    g.setOutputs(OUTPUT);
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

  /**
   * Adds the hidden layers of the kind on {@code in} (the full or cropped window); returns the
   * name of the last one (feed-forward out).
   */
  private static String addBody(GraphBuilder g, ModelSpec spec, NetworkShape full, String in) {
    NetworkShape shape = new NetworkShape(spec.stepsSeen(full.lookback()), full.features(),
        full.horizon(), full.targets(), full.targetFeatures(), full.squashInputs());
    // Shadows the constant: every branch below reads the (possibly cropped) window.
    String INPUT = in;
    List<Integer> u = spec.units();
    switch (spec.kind()) {
      case LSTM -> g.addLayer("lstm", new LastTimeStep(fedByInput(lstm(u.get(0), 0))), INPUT);
      case STACKED_LSTM -> {
        g.addLayer("lstm1", fedByInput(lstm(u.get(0), 0)), INPUT);
        g.addLayer("lstm", new LastTimeStep(lstm(u.get(1), spec.dropout())), "lstm1");
      }
      case BILSTM_ATTENTION -> {
        // NWC between the two layers: the layout changes there are row copies (see FusedLstm).
        g.addLayer("bilstm1",
            fedByInput(bidirectionalLstm(u.get(0), RNNFormat.NCW, RNNFormat.NWC)), INPUT);
        g.addLayer("bilstm2", bidirectionalLstm(u.get(1), RNNFormat.NWC, RNNFormat.NCW),
            "bilstm1");
        // softmax(X^T X / sqrt(F)) attention, one head, no projection: DL4J's
        // SelfAttentionLayer(nHeads 1, projectInput false) forward, with a correct backward at a
        // fraction of its SameDiff overhead (see DotProductSelfAttention).
        g.addLayer("attention", new DotProductSelfAttention.Builder().build(), "bilstm2");
        g.addLayer("lstm", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "attention");
      }
      case CNN_LSTM -> {
        g.addLayer("conv", conv1d(spec), INPUT);
        g.addLayer("lstm", new LastTimeStep(lstm(u.get(0), 0)), "conv");
      }
      case GRU -> g.addLayer("lstm", new GruLayer(u.get(0)), INPUT);
      case CNN -> {
        g.addLayer("conv", conv1d(spec), INPUT);
        g.addVertex("flat", flatten(spec.convFilters() * shape.lookback()), "conv");
        g.addLayer("lstm", dense(u.get(0)), "flat");
      }
      case MLP -> {
        g.addVertex("flat", flatten(shape.inputLength()), INPUT);
        g.addLayer("dense1", dense(u.get(0)), "flat");
        g.addLayer("lstm", dense(u.get(1)), "dense1");
      }
      default -> throw new IllegalStateException("no builder for " + spec.kind());
    }
    return "lstm";
  }

  /**
   * A recurrent layer whose input is the network's (or its cropped window: no parameters in
   * between) computes no input epsilon; DL4J would drop it (see FusedLstm#isInputEpsilon).
   */
  private static FusedLstm fedByInput(FusedLstm layer) {
    layer.setInputEpsilon(false);
    return layer;
  }

  private static FusedLstm lstm(int units, double dropout) {
    FusedLstm.Builder b = new FusedLstm.Builder().units(units);
    if (dropout > 0) {
      b.dropOut(1 - dropout);
    }
    return b.build();
  }

  /**
   * Both directions in one fused layer, output [forward units, backward units] per step like
   * DL4J's Bidirectional(CONCAT, LSTM) (same maths, same initialisation), at a fraction of its
   * per-step op count; see {@link FusedLstm}.
   */
  private static FusedLstm bidirectionalLstm(int units, RNNFormat in, RNNFormat out) {
    return new FusedLstm.Builder().units(units).bidirectional(true).dataFormat(in)
        .outputFormat(out).build();
  }

  private static Convolution1DLayer conv1d(ModelSpec spec) {
    // Same padding keeps the lookback length, so the LSTM after it sees every step.
    return new Convolution1DLayer.Builder().kernelSize(spec.convKernel()).stride(1)
        .nOut(spec.convFilters()).convolutionMode(ConvolutionMode.Same)
        .activation(Activation.RELU).rnnDataFormat(RNNFormat.NCW).build();
  }

  private static DenseLayer dense(int units) {
    return new DenseLayer.Builder().nOut(units).activation(Activation.RELU).build();
  }

  /** [batch, c, t] -> [batch, c * t]; DL4J would otherwise treat time steps as examples. */
  private static ReshapeVertex flatten(int width) {
    return new ReshapeVertex('c', new int[] {-1, width}, null);
  }

  private static double retain(ModelSpec spec) {
    return 1 - spec.dropout();
  }

  static ILossFunction loss(ModelSpec spec) {
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
