package io.tracecast.training.network;

import io.tracecast.kernels.conv.FusedConv1d;
import io.tracecast.kernels.dense.FusedDense;
import io.tracecast.kernels.gru.FusedGru;
import io.tracecast.kernels.lstm.FusedLstm;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.activations.Activation;

/**
 * The layer configurations the window kinds' bodies are made of, configured the one way every
 * kind uses them (ReLU dense layers, and the kernels module's fused convolution, LSTM and GRU).
 */
public final class BodyLayers {
  private BodyLayers() {}

  /**
   * A recurrent layer whose input is the network's (or its cropped window: no parameters in
   * between) computes no input epsilon; DL4J would drop it (see FusedLstm#isInputEpsilon).
   */
  public static FusedLstm fedByInput(FusedLstm layer) {
    layer.setInputEpsilon(false);
    return layer;
  }

  /** {@link #fedByInput(FusedLstm)} for the fused GRU (see FusedGru#isInputEpsilon). */
  public static FusedGru fedByInput(FusedGru layer) {
    layer.setInputEpsilon(false);
    return layer;
  }

  /** {@link #fedByInput(FusedLstm)} for the fused Conv1D (see FusedConv1d#isInputEpsilon). */
  public static FusedConv1d fedByInput(FusedConv1d layer) {
    layer.setInputEpsilon(false);
    return layer;
  }

  /**
   * A GRU of {@code units} returning its last hidden state (the fused GRU: the equations and
   * parameter layout of the SameDiff {@code GruLayer} that trained the older registry versions).
   */
  public static FusedGru gru(int units) {
    return new FusedGru.Builder().units(units).build();
  }

  /** One-direction LSTM of {@code units}, with input dropout {@code dropout} (0: none). */
  public static FusedLstm lstm(int units, double dropout) {
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
  public static FusedLstm bidirectionalLstm(int units, RNNFormat in, RNNFormat out) {
    return new FusedLstm.Builder().units(units).bidirectional(true).dataFormat(in)
        .outputFormat(out).build();
  }

  /**
   * Conv1D (ReLU, stride 1, NCW); same padding keeps the lookback length, so a layer after it
   * sees every step. The fused layer computes DL4J's {@code Convolution1DLayer} with
   * {@code convolutionMode(Same)} from the same parameters in the same places; registry
   * versions trained before it hold DL4J's layer, which still loads.
   */
  public static FusedConv1d conv1d(int filters, int kernel) {
    return new FusedConv1d.Builder().filters(filters).kernel(kernel).build();
  }

  /** A ReLU dense layer of {@code units}. */
  public static DenseLayer dense(int units) {
    return new DenseLayer.Builder().nOut(units).activation(Activation.RELU).build();
  }

  /**
   * ReLU dense layers of {@code units} one after the other, as one fused layer (the kernels
   * module's {@link FusedDense}: what that many {@link #dense} layers compute, from the same
   * parameters in the same places, at a fraction of their ND4J op count). It reads a recurrent
   * input as its c-order flattening, as {@link #flatten} would feed dense layers. Its input is
   * the network's window (through parameterless layers only), so it computes no input epsilon
   * (see FusedDense#isInputEpsilon).
   */
  public static FusedDense denseStackFedByInput(int... units) {
    return new FusedDense.Builder().units(units).inputEpsilon(false).build();
  }

  /** [batch, c, t] -> [batch, c * t]; DL4J would otherwise treat time steps as examples. */
  public static ReshapeVertex flatten(int width) {
    return new ReshapeVertex('c', new int[] {-1, width}, null);
  }
}
