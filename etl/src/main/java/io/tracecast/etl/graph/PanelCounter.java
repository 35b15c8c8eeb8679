package io.tracecast.etl.graph;

import io.tracecast.etl.clean.CleanedSeries;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Split;
import io.tracecast.etl.window.SlidingWindows;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts the panels of each graph and split at ETL time, from the window plans the ETL writes:
 * a panel exists for each distinct window end time of a graph's nodes within one split (the rule
 * {@code dataset/PanelAssembly} assembles by). Works per partition of series, so what crosses the
 * network is one sorted set of end times per (graph, split) and partition, not one per window.
 */
public final class PanelCounter implements Serializable {
  /** job_id + '\0' + series_id -> graph id. */
  private final Map<String, String> graphOf = new HashMap<>();

  public PanelCounter(List<Manifest.Graph> graphs) {
    for (Manifest.Graph g : graphs) {
      g.nodes().forEach(n -> graphOf.put(key(g.jobId(), n), g.graphId()));
    }
  }

  /** A series, its plan, and whether its windows are written (its job has scalers). */
  public record Input(CleanedSeries series, SlidingWindows.SeriesPlan plan, boolean written)
      implements Serializable {}

  /**
   * The distinct end times (µs, ascending) per (graph id + '\0' + split label) of the written
   * windows of some series, e.g. one partition's.
   */
  public Map<String, long[]> endTimes(java.util.Iterator<Input> series, SlidingWindows windows) {
    Map<String, Longs> raw = new HashMap<>();
    while (series.hasNext()) {
      Input in = series.next();
      if (!in.written()) {
        continue;
      }
      String graph = graphOf.get(key(in.series().jobId(), in.series().seriesId()));
      if (graph == null) {
        throw new IllegalStateException("series " + in.series().jobId() + "/"
            + in.series().seriesId() + " is in no graph");
      }
      windows.forEachEnd(in.series(), in.plan(), (split, end) ->
          raw.computeIfAbsent(graph + '\0' + split.label(), k -> new Longs()).add(end));
    }
    Map<String, long[]> out = new HashMap<>();
    raw.forEach((k, v) -> out.put(k, distinct(Arrays.copyOf(v.values, v.size))));
    return out;
  }

  /** A growable array of longs: a partition's windows run to millions, boxing each costs. */
  private static final class Longs {
    private long[] values = new long[1024];
    private int size;

    void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }
  }

  /** The union of two ascending distinct arrays. */
  public static long[] union(long[] a, long[] b) {
    long[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return distinct(both);
  }

  /** Graph id -> split label -> panels, every graph and split present, from merged end times. */
  public static Map<String, Map<String, Long>> counts(List<Manifest.Graph> graphs,
      Map<String, long[]> endTimes) {
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    for (Manifest.Graph g : graphs) {
      Map<String, Long> bySplit = new LinkedHashMap<>();
      for (Split s : Split.values()) {
        long[] ends = endTimes.get(g.graphId() + '\0' + s.label());
        bySplit.put(s.label(), ends == null ? 0L : ends.length);
      }
      out.put(g.graphId(), bySplit);
    }
    return out;
  }

  private static long[] distinct(long[] values) {
    Arrays.sort(values);
    int n = 0;
    for (int i = 0; i < values.length; i++) {
      if (i == 0 || values[i] != values[i - 1]) {
        values[n++] = values[i];
      }
    }
    return Arrays.copyOf(values, n);
  }

  private static String key(String job, String series) {
    return job + '\0' + series;
  }
}
