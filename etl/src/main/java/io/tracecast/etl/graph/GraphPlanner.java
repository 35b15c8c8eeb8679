package io.tracecast.etl.graph;

import io.tracecast.etl.clean.CleanedSeries;
import io.tracecast.etl.dataset.Manifest;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The panel graphs of a dataset: each job is one graph of its series, sorted by id, unless it has
 * more than {@code maxNodes} series; then {@link CorrelationClustering} splits it into sub-graphs
 * of correlated series ({@code <job>#0}, {@code <job>#1}, ..., in the order of their first
 * series id). Correlations use each series' first target over its train split only (at most
 * the job's last {@link #MAX_TRAIN_STEPS} train steps), so the grouping never sees validation or
 * test data.
 */
public final class GraphPlanner {
  /** Train points per series the correlation looks at: one week of 5-minute steps. */
  public static final int MAX_TRAIN_STEPS = 2016;

  private final int maxNodes;

  public GraphPlanner(int maxNodes) {
    if (maxNodes < 1) {
      throw new IllegalArgumentException("max nodes must be >= 1, got " + maxNodes);
    }
    this.maxNodes = maxNodes;
  }

  /**
   * A series' first target over its train split, in original units: what sub-graph clustering
   * needs of a series of a job too large for one graph.
   */
  public record TrainProfile(String jobId, String seriesId, long[] timestampsMicros,
      double[] values) implements Serializable {

    /** The last {@link #MAX_TRAIN_STEPS} of the first {@code trainEnd} points of metric m. */
    public static TrainProfile of(CleanedSeries s, int trainEnd, int metric) {
      int from = Math.max(0, trainEnd - MAX_TRAIN_STEPS);
      return new TrainProfile(s.jobId(), s.seriesId(),
          Arrays.copyOfRange(s.timestampsMicros(), from, trainEnd),
          Arrays.copyOfRange(s.values()[metric], from, trainEnd));
    }
  }

  /** Jobs with more series than one graph may hold: their series need a {@link TrainProfile}. */
  public List<String> jobsToSplit(Map<String, List<String>> seriesByJob) {
    return seriesByJob.entrySet().stream().filter(e -> e.getValue().size() > maxNodes)
        .map(Map.Entry::getKey).sorted().toList();
  }

  /**
   * @param seriesByJob job -> its series ids
   * @param profiles the train profiles of every series of {@link #jobsToSplit}'s jobs
   * @return every graph, sorted by job then graph id, with no panel counts yet
   */
  public List<Manifest.Graph> plan(Map<String, List<String>> seriesByJob,
      List<TrainProfile> profiles) {
    Map<String, Map<String, TrainProfile>> byJob = new HashMap<>();
    profiles.forEach(p -> byJob.computeIfAbsent(p.jobId(), j -> new HashMap<>())
        .put(p.seriesId(), p));
    List<Manifest.Graph> graphs = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : new TreeMap<>(seriesByJob).entrySet()) {
      String job = e.getKey();
      List<String> series = e.getValue().stream().sorted().distinct().toList();
      if (series.size() <= maxNodes) {
        graphs.add(new Manifest.Graph(job, job, series, Map.of(), 0));
        continue;
      }
      List<List<Integer>> clusters = CorrelationClustering.cluster(
          aligned(job, series, byJob.getOrDefault(job, Map.of())), maxNodes);
      for (int k = 0; k < clusters.size(); k++) {
        graphs.add(new Manifest.Graph(job, Manifest.Graph.subgraphId(job, k),
            clusters.get(k).stream().map(series::get).toList(), Map.of(), 0));
      }
    }
    return graphs;
  }

  /**
   * One row per series on the last {@link #MAX_TRAIN_STEPS} time stamps of the union of theirs
   * (series share the epoch-aligned step grid). A step a series lacks holds its mean over the
   * steps it has: such steps add nothing to a covariance or to its own spread, so r is the
   * covariance over the shared steps over each series' whole spread (partial overlap weakens a
   * tie), and every row is complete, one dot product a pair.
   */
  private static double[][] aligned(String job, List<String> series,
      Map<String, TrainProfile> profiles) {
    int total = 0;
    for (String s : series) {
      TrainProfile p = profiles.get(s);
      if (p == null) {
        throw new IllegalStateException("job " + job + ": no train profile for series " + s);
      }
      total += p.timestampsMicros().length;
    }
    long[] all = new long[total];
    int at = 0;
    for (String s : series) {
      long[] ts = profiles.get(s).timestampsMicros();
      System.arraycopy(ts, 0, all, at, ts.length);
      at += ts.length;
    }
    long[] times = Arrays.stream(all).sorted().distinct().toArray();
    times = Arrays.copyOfRange(times, Math.max(0, times.length - MAX_TRAIN_STEPS), times.length);
    double[][] out = new double[series.size()][times.length];
    for (int i = 0; i < series.size(); i++) {
      Arrays.fill(out[i], Double.NaN);
      TrainProfile p = profiles.get(series.get(i));
      double sum = 0;
      int n = 0;
      for (int k = 0; k < p.timestampsMicros().length; k++) {
        int step = Arrays.binarySearch(times, p.timestampsMicros()[k]);
        if (step >= 0 && !Double.isNaN(p.values()[k])) {
          out[i][step] = p.values()[k];
          sum += p.values()[k];
          n++;
        }
      }
      double mean = n == 0 ? 0 : sum / n;
      for (int t = 0; t < out[i].length; t++) {
        if (Double.isNaN(out[i][t])) {
          out[i][t] = mean;
        }
      }
    }
    return out;
  }
}
