package io.tracecast.training.model;

/**
 * The graph part of a {@code graph_gru} spec ({@link ModelSpec#graph()}).
 *
 * @param heads attention heads; their adjacencies are averaged into one per time step
 * @param gcnLayers graph-convolution layers over that adjacency
 * @param topK fraction in (0, 1] of a node's present neighbours it keeps per time step: it keeps
 *     {@code max(1, ceil(topK * presentNodes))} of them (all, when fewer), plus its self-loop
 */
public record GraphConfig(int heads, int gcnLayers, double topK) implements java.io.Serializable {
  public static final GraphConfig DEFAULTS = new GraphConfig(4, 4, 0.5);
  /** Taken off {@code topK * present} before the ceiling, so 0.3 x 10 keeps 3 in float too. */
  static final double CEIL_SLACK = 1e-4;

  public GraphConfig {
    if (heads < 1 || gcnLayers < 1) {
      throw new IllegalArgumentException("graph_gru: heads and gcnLayers must be >= 1, got "
          + heads + ", " + gcnLayers);
    }
    if (!(topK > 0 && topK <= 1)) {
      throw new IllegalArgumentException("graph_gru: topK must be in (0, 1], got " + topK);
    }
  }

  /** Neighbours (self-loop not counted) a node keeps when {@code present} nodes are present. */
  public int neighboursKept(int present) {
    return Math.min(present - 1, Math.max(1, (int) Math.ceil(topK * present - CEIL_SLACK)));
  }
}
