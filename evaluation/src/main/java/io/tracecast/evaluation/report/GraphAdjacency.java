package io.tracecast.evaluation.report;

import java.util.List;

/**
 * The mean learned adjacency of a graph model over one job's test panels: {@code weights[i][j]}
 * is the weight node i gives node j (rows sum to 1 over present nodes), nodes in the model's
 * tensor order.
 */
public record GraphAdjacency(String job, String model, int version, List<String> nodes,
    double[][] weights) {

  public GraphAdjacency {
    nodes = List.copyOf(nodes);
    if (weights.length != nodes.size()) {
      throw new IllegalArgumentException(job + "/" + model + ": " + weights.length
          + " adjacency rows for " + nodes.size() + " nodes");
    }
    double[][] copy = new double[weights.length][];
    for (int i = 0; i < weights.length; i++) {
      if (weights[i].length != nodes.size()) {
        throw new IllegalArgumentException(job + "/" + model + ": adjacency row " + i + " has "
            + weights[i].length + " columns for " + nodes.size() + " nodes");
      }
      copy[i] = weights[i].clone();
    }
    weights = copy;
  }
}
