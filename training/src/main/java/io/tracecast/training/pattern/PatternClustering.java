package io.tracecast.training.pattern;

import static org.apache.spark.sql.functions.col;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.training.config.PatternSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.evaluation.ClusteringEvaluator;
import org.apache.spark.ml.feature.ElementwiseProduct;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups series by usage pattern (Christofidi et al., EuroMLSys '23): the signature vectors of
 * every series of every dataset given, standardised by a Spark ML {@code StandardScaler}
 * fitted on them, weighted by {@link PatternSignature#WEIGHTS}, clustered by a seeded Spark
 * MLlib {@code KMeans}; k from the settings (at most the series count) or the best silhouette
 * over [2, min(k-max, series - 1)], where one or two series make one pattern. A clustering
 * without two non-empty clusters (identical signatures) has no silhouette and is not chosen.
 */
public final class PatternClustering {
  private static final String FEATURES = "features";
  private static final String STANDARDISED = "standardised";
  private static final String SCALED = "scaled";
  private static final String PREDICTION = "prediction";

  private static final Logger LOG = LoggerFactory.getLogger(PatternClustering.class);

  private PatternClustering() {}

  /** Datasets through their readers, each named after its source (sources must differ). */
  public static PatternModel fit(SparkSession spark, List<DatasetReader> datasets,
      PatternSettings settings) {
    return fit(datasets.stream().map(r -> SeriesSource.of(spark, r)).toList(), settings);
  }

  public static PatternModel fit(List<SeriesSource> sources, PatternSettings settings) {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("no series table to cluster");
    }
    Map<String, Long> names = new TreeMap<>();
    sources.forEach(s -> names.merge(s.dataset(), 1L, Long::sum));
    names.forEach((name, n) -> {
      if (n > 1) {
        throw new IllegalArgumentException(n + " datasets are named " + name + ": series keys "
            + "would collide; give each source once");
      }
    });
    Dataset<Row> signatures = sources.stream().map(SignatureTable::of).reduce(Dataset::union)
        .orElseThrow().toDF()
        .withColumn(FEATURES, org.apache.spark.ml.functions.array_to_vector(col("vector")))
        .cache();
    try {
      List<SignatureRow> rows = new ArrayList<>(signatures.drop(FEATURES)
          .as(Encoders.bean(SignatureRow.class)).collectAsList());
      if (rows.isEmpty()) {
        throw new IllegalArgumentException("no series has train points of its target");
      }
      rows.sort(Comparator.comparing(SignatureRow::key));
      StandardScalerModel scaler = new StandardScaler().setWithMean(true).setWithStd(true)
          .setInputCol(FEATURES).setOutputCol(STANDARDISED).fit(signatures);
      Dataset<Row> scaled = new ElementwiseProduct().setInputCol(STANDARDISED)
          .setOutputCol(SCALED).setScalingVec(Vectors.dense(PatternSignature.WEIGHTS.stream()
              .mapToDouble(Double::doubleValue).toArray()))
          .transform(scaler.transform(signatures)).cache();
      try {
        return cluster(rows, scaled, scaler, settings);
      } finally {
        scaled.unpersist();
      }
    } finally {
      signatures.unpersist();
    }
  }

  private static PatternModel cluster(List<SignatureRow> rows, Dataset<Row> scaled,
      StandardScalerModel scaler, PatternSettings settings) {
    int n = rows.size();
    Map<Integer, Double> silhouettes = new TreeMap<>();
    KMeansModel best = null;
    double bestSilhouette = Double.NEGATIVE_INFINITY;
    List<Integer> ks = new ArrayList<>();
    if (settings.k().isPresent()) {
      ks.add(Math.min(settings.k().get(), n));
    } else {
      for (int k = 2; k <= Math.min(settings.kMax(), n - 1); k++) {
        ks.add(k);
      }
    }
    for (int k : ks.stream().filter(k -> k >= 2).toList()) {
      KMeansModel m = new KMeans().setK(k).setSeed(settings.seed()).setFeaturesCol(SCALED)
          .setPredictionCol(PREDICTION).fit(scaled);
      double s = silhouette(m, scaled);
      if (Double.isFinite(s)) {
        silhouettes.put(k, s);
      }
      // A fixed k stands even without a silhouette; auto keeps the best, ties to the smaller k.
      if (settings.k().isPresent() || s > bestSilhouette) {
        best = m;
        bestSilhouette = s;
      }
    }
    int d = PatternSignature.FEATURES.size();
    List<double[]> centroids = new ArrayList<>();
    Map<SeriesKey, Integer> assigned = new HashMap<>();
    if (best == null) {
      centroids.add(new double[d]);
      rows.forEach(r -> assigned.put(r.key(), 0));
    } else {
      Arrays.stream(best.clusterCenters()).forEach(c -> centroids.add(c.toArray()));
      for (Row r : best.transform(scaled).select("dataset", "jobId", "seriesId", PREDICTION)
          .collectAsList()) {
        assigned.put(new SeriesKey(r.getString(0), r.getString(1), r.getString(2)),
            r.getInt(3));
      }
    }
    PatternModel model = PatternAssembly.model(rows, assigned, centroids, scaler.mean(),
        scaler.std(), silhouettes, settings.seed());
    LOG.info("patterns: k = {} over {} series of {} jobs, members {}, silhouette by k {}",
        model.k(), n, model.jobs().size(),
        model.patterns().stream().map(p -> p.members().size()).toList(), silhouettes);
    return model;
  }

  /** NaN when the clustering has fewer than two non-empty clusters (no silhouette defined). */
  private static double silhouette(KMeansModel m, Dataset<Row> scaled) {
    Dataset<Row> predictions = m.transform(scaled);
    if (m.clusterCenters().length < 2
        || predictions.select(PREDICTION).distinct().count() < 2) {
      return Double.NaN;
    }
    return new ClusteringEvaluator().setFeaturesCol(SCALED).setPredictionCol(PREDICTION)
        .setMetricName("silhouette").setDistanceMeasure("squaredEuclidean")
        .evaluate(predictions);
  }
}
