package io.tracecast.training.pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fitted usage patterns: what a pooled model per pattern is trained for, and what assigns a
 * job that arrives later (from its first hours) to one of them, on the driver, without Spark.
 * Centroids live in the weighted standardised space of {@link PatternSignature#vector()}:
 * coordinate j is weight_j x (v_j - mean_j) / std_j, or 0 where std_j is 0, exactly as Spark's
 * {@code StandardScaler} and {@code ElementwiseProduct} made it; the model keeps the scaler
 * and the weights, so that it assigns a signature the way it was fitted even if the defaults
 * change.
 *
 * @param features names of the signature coordinates ({@link PatternSignature#FEATURES})
 * @param weights {@link PatternSignature#WEIGHTS} when fitted
 * @param patterns pattern i at index i
 * @param jobs each job's pattern: the one holding the most of its series' train points, ties to
 *     the lower index
 * @param silhouetteByK silhouette of every k tried (k-means in the standardised space); empty
 *     when k was not chosen by silhouette and a single pattern was fitted
 * @param seed the KMeans seed (provenance)
 */
public record PatternModel(List<String> features, List<Double> scalerMean,
    List<Double> scalerStd, List<Double> weights, List<Pattern> patterns, List<JobPattern> jobs,
    Map<Integer, Double> silhouetteByK, long seed) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public PatternModel {
    features = List.copyOf(features);
    scalerMean = List.copyOf(scalerMean);
    scalerStd = List.copyOf(scalerStd);
    weights = List.copyOf(weights);
    patterns = List.copyOf(patterns);
    jobs = List.copyOf(jobs);
    silhouetteByK = Map.copyOf(silhouetteByK);
    int d = features.size();
    if (d == 0 || scalerMean.size() != d || scalerStd.size() != d || weights.size() != d
        || patterns.isEmpty()) {
      throw new IllegalArgumentException("pattern model needs features, a scaler and weights "
          + "of the same dimension (" + d + ": mean " + scalerMean.size() + ", std "
          + scalerStd.size() + ", weights " + weights.size() + ") and at least one pattern");
    }
    Set<SeriesKey> seen = new HashSet<>();
    for (int i = 0; i < patterns.size(); i++) {
      Pattern p = patterns.get(i);
      if (p.index() != i || p.centroid().size() != d) {
        throw new IllegalArgumentException("pattern " + i + ": index " + p.index()
            + ", centroid of " + p.centroid().size() + " coordinates, expected " + d);
      }
      for (SeriesKey s : p.members()) {
        if (!seen.add(s)) {
          throw new IllegalArgumentException("series " + s + " is in two patterns");
        }
      }
    }
    for (JobPattern j : jobs) {
      if (j.pattern() < 0 || j.pattern() >= patterns.size()) {
        throw new IllegalArgumentException("job " + j.dataset() + "/" + j.jobId()
            + " has pattern " + j.pattern() + " of " + patterns.size());
      }
    }
  }

  /** The number of patterns. */
  public int k() {
    return patterns.size();
  }

  /**
   * The pattern whose centroid is nearest the signature, in the model's space, over the
   * coordinates the signature measured: a job seen for a few hours has no one-day
   * autocorrelation and no value for most hours, and counting those as 0 would pull it towards
   * the flat patterns. Ties go to the lower index.
   */
  public int assign(PatternSignature signature) {
    double[] v = signature.vector();
    boolean[] known = signature.known();
    if (v.length != features.size()) {
      throw new IllegalArgumentException("signature of " + v.length + " coordinates, model of "
          + features.size());
    }
    double[] z = new double[v.length];
    for (int j = 0; j < v.length; j++) {
      double std = scalerStd.get(j);
      z[j] = std == 0 ? 0 : weights.get(j) * (v[j] - scalerMean.get(j)) / std;
    }
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (Pattern p : patterns) {
      double d = 0;
      for (int j = 0; j < z.length; j++) {
        if (known[j]) {
          double diff = z[j] - p.centroid().get(j);
          d += diff * diff;
        }
      }
      if (d < bestDistance) {
        bestDistance = d;
        best = p.index();
      }
    }
    return best;
  }

  /** The pattern of a job the model was fitted on. */
  public int patternOf(String dataset, String jobId) {
    return jobs.stream().filter(j -> j.dataset().equals(dataset) && j.jobId().equals(jobId))
        .findFirst().map(JobPattern::pattern).orElseThrow(() -> new IllegalArgumentException(
            "job " + dataset + "/" + jobId + " was not clustered"));
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static PatternModel fromJson(String json) {
    try {
      return JSON.readValue(json, PatternModel.class);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("not a pattern model: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * One pattern.
   *
   * @param centroid in the weighted standardised space, coordinates named by {@link #features()}
   * @param dailyProfile 24 UTC hours: the mean of the members' normalised profiles
   *     ({@link PatternSignature#dailyProfile()}) over the members that have the hour; what a
   *     report plots as the pattern's day
   * @param members the series clustered into it, sorted
   */
  public record Pattern(int index, List<Double> centroid, List<Double> dailyProfile,
      List<SeriesKey> members) {
    public Pattern {
      centroid = List.copyOf(centroid);
      dailyProfile = List.copyOf(dailyProfile);
      members = List.copyOf(members);
      if (dailyProfile.size() != PatternSignature.HOURS) {
        throw new IllegalArgumentException("pattern " + index + ": daily profile of "
            + dailyProfile.size() + " hours");
      }
    }
  }

  /** A job of the fitted datasets and its pattern. */
  public record JobPattern(String dataset, String jobId, int pattern) {}
}
