package io.tracecast.training.model;

import java.util.Locale;

/**
 * The architectures the training stage knows. The {@link #id()} is the name used on the command
 * line, in configuration and as the model directory in the registry.
 */
public enum ModelKind {
  /** One LSTM layer and a dense output (the per-job model of the Google-2019 study). */
  LSTM,
  /** LSTM, dropout, LSTM, dropout, dense. */
  STACKED_LSTM,
  /** Two bidirectional LSTMs, temporal softmax attention, quantile outputs (pinball loss). */
  BILSTM_ATTENTION,
  /** Conv1D (ReLU) over the sequence, then LSTM, then dense. */
  CNN_LSTM,
  /** One GRU layer and a dense output (a SameDiff layer: DL4J has no GRU layer). */
  GRU,
  /** Conv1D (ReLU), flattened, dense hidden layer, dense output. */
  CNN,
  /** The window flattened into dense layers. */
  MLP,
  /**
   * Every node (series) of a job panel at once: per-step attention adjacency, GCN, GRU per node,
   * learned fusion ({@link GraphGruLayer}). Trains on panels, not windows ({@link GraphNetworks}).
   */
  GRAPH_GRU;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code lstm}, {@code bilstm_attention}, ... (case-insensitive). */
  public static ModelKind fromId(String id) {
    for (ModelKind k : values()) {
      if (k.id().equalsIgnoreCase(id.trim())) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown model kind '" + id + "', expected one of "
        + java.util.Arrays.stream(values()).map(ModelKind::id).toList());
  }

  /** Number of entries {@link ModelSpec#units()} must have. */
  int unitLayers() {
    return switch (this) {
      case LSTM, CNN_LSTM, GRU, CNN, GRAPH_GRU -> 1;
      case STACKED_LSTM, BILSTM_ATTENTION, MLP -> 2;
    };
  }

  /** Whether the kind forecasts a whole panel (nodes x window) rather than one window. */
  public boolean isGraph() {
    return this == GRAPH_GRU;
  }

  boolean usesConvolution() {
    return this == CNN_LSTM || this == CNN;
  }
}
