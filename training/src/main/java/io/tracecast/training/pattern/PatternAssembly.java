package io.tracecast.training.pattern;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.ml.linalg.Vector;

/**
 * Turns a clustering of signatures into a {@link PatternModel}: the members and mean daily
 * profile of each pattern, and each job's pattern by the majority of its series' train points.
 */
final class PatternAssembly {
  private PatternAssembly() {}

  /**
   * @param rows the signatures, sorted by key
   * @param assigned each row's pattern, in [0, centroids)
   */
  static PatternModel model(List<SignatureRow> rows, Map<SeriesKey, Integer> assigned,
      List<double[]> centroids, Vector scalerMean, Vector scalerStd,
      Map<Integer, Double> silhouettes, long seed) {
    int k = centroids.size();
    List<List<SeriesKey>> members = new ArrayList<>();
    List<List<double[]>> profiles = new ArrayList<>();
    for (int p = 0; p < k; p++) {
      members.add(new ArrayList<>());
      profiles.add(new ArrayList<>());
    }
    Map<Job, long[]> jobPoints = new TreeMap<>(
        Comparator.comparing(Job::dataset).thenComparing(Job::jobId));
    for (SignatureRow r : rows) {
      int p = assigned.get(r.key());
      members.get(p).add(r.key());
      profiles.get(p).add(r.getProfile());
      jobPoints.computeIfAbsent(new Job(r.getDataset(), r.getJobId()), j -> new long[k])[p] +=
          r.getPoints();
    }
    List<PatternModel.Pattern> patterns = new ArrayList<>();
    for (int p = 0; p < k; p++) {
      patterns.add(new PatternModel.Pattern(p, boxed(centroids.get(p)),
          boxed(meanProfile(profiles.get(p))), members.get(p)));
    }
    List<PatternModel.JobPattern> jobs = new ArrayList<>();
    jobPoints.forEach((job, points) -> jobs.add(
        new PatternModel.JobPattern(job.dataset(), job.jobId(), majority(points))));
    return new PatternModel(PatternSignature.FEATURES, boxed(scalerMean.toArray()),
        boxed(scalerStd.toArray()), PatternSignature.WEIGHTS, patterns, jobs, silhouettes, seed);
  }

  /** Hour by hour over the members that have it (NaN: no point in that hour); 0 for none. */
  static double[] meanProfile(List<double[]> profiles) {
    double[] mean = new double[PatternSignature.HOURS];
    for (int h = 0; h < mean.length; h++) {
      double sum = 0;
      int n = 0;
      for (double[] p : profiles) {
        if (!Double.isNaN(p[h])) {
          sum += p[h];
          n++;
        }
      }
      mean[h] = n == 0 ? 0 : sum / n;
    }
    return mean;
  }

  /** The index with the most points; ties to the lower index. */
  static int majority(long[] points) {
    int best = 0;
    for (int p = 1; p < points.length; p++) {
      if (points[p] > points[best]) {
        best = p;
      }
    }
    return best;
  }

  /** Train points per pattern are counted per (dataset, job). */
  private record Job(String dataset, String jobId) {}

  private static List<Double> boxed(double[] v) {
    return Arrays.stream(v).boxed().toList();
  }
}
