package io.tracecast.etl.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.SparkTestSession;
import io.tracecast.etl.dataset.Scaler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;
import io.tracecast.etl.clean.CleanedSeries;
import io.tracecast.etl.clean.CleaningStats;
import io.tracecast.etl.source.Metric;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;
import org.junit.jupiter.api.Test;

class ScalerFitterTest {
  private static final List<String> FEATURES = List.of("cpu", "memory", "hour_sin", "dow_cos");
  private static final List<String> SCALED = List.of("cpu", "memory");
  private static final double EPS = 1e-12;

  private static final double[] A_TRAIN_CPU = {0.12, 0.40, 0.33, 0.05, 0.27, 0.61, 0.18};
  private static final double[] A_TRAIN_MEM = {0.50, 0.52, 0.55, 0.49, 0.60, 0.58, 0.51};
  private static final double[] B_TRAIN_CPU = {2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0};
  private static final double[] B_TRAIN_MEM = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};

  /** One series per split part: points [0, trainEnd) are train, the rest validation/test. */
  private static final class Builder {
    private final List<Tuple2<CleanedSeries, Integer>> series = new ArrayList<>();

    Builder add(String job, double[] trainCpu, double[] trainMem, double[] laterCpu,
        double[] laterMem) {
      int n = trainCpu.length + laterCpu.length;
      double[] cpu = new double[n];
      double[] mem = new double[n];
      System.arraycopy(trainCpu, 0, cpu, 0, trainCpu.length);
      System.arraycopy(laterCpu, 0, cpu, trainCpu.length, laterCpu.length);
      System.arraycopy(trainMem, 0, mem, 0, trainMem.length);
      System.arraycopy(laterMem, 0, mem, trainMem.length, laterMem.length);
      long[] ts = new long[n];
      for (int i = 0; i < n; i++) {
        ts[i] = i * 300_000_000L;
      }
      CleanedSeries s = new CleanedSeries(job, job + "-" + series.size(), 300_000_000L, ts,
          new double[][] {cpu, mem}, new int[n], new boolean[n], CleaningStats.ZERO);
      series.add(new Tuple2<>(s, trainCpu.length));
      return this;
    }

    JavaPairRDD<CleanedSeries, Integer> rdd() {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(
          SparkTestSession.get().sparkContext());
      return jsc.parallelizePairs(series, 3);
    }
  }

  private static final double[] NONE = {};

  private static JavaPairRDD<CleanedSeries, Integer> table(boolean withOutliers) {
    Builder b = new Builder()
        // job a in two series, so that statistics are merged across series
        .add("a", Arrays.copyOfRange(A_TRAIN_CPU, 0, 3), Arrays.copyOfRange(A_TRAIN_MEM, 0, 3),
            new double[] {0.3}, new double[] {0.5})
        .add("a", Arrays.copyOfRange(A_TRAIN_CPU, 3, 7), Arrays.copyOfRange(A_TRAIN_MEM, 3, 7),
            withOutliers ? new double[] {0.2, 1000.0, -50.0} : new double[] {0.2},
            withOutliers ? new double[] {0.5, 99.0, -9.0} : new double[] {0.5})
        .add("b", B_TRAIN_CPU, B_TRAIN_MEM,
            withOutliers ? new double[] {1e9} : NONE, withOutliers ? new double[] {1e9} : NONE)
        // a job with only test points gets no scalers
        .add("c", NONE, NONE, new double[] {0.5}, new double[] {0.5})
        // a job whose train split lacks memory entirely gets no scalers either
        .add("d", new double[] {0.5}, new double[] {Double.NaN}, new double[] {0.5},
            new double[] {0.7});
    return b.rdd();
  }

  private static Map<String, Map<String, Scaler>> fit(boolean withOutliers, Scaler.Kind kind) {
    return new ScalerFitter(FEATURES, SCALED, List.of(Metric.CPU, Metric.MEMORY), kind)
        .fit(table(withOutliers));
  }

  private static void assertMinMax(double[] train, Scaler s) {
    double min = StatUtils.min(train);
    double max = StatUtils.max(train);
    assertEquals(Scaler.Kind.MINMAX, s.kind());
    assertEquals(min, s.offset(), EPS);
    assertEquals(max > min ? max - min : 1.0, s.scale(), EPS);
    assertEquals(train.length, s.fittedOn());
    assertEquals(min, s.min(), EPS);
    assertEquals(max, s.max(), EPS);
    assertEquals(StatUtils.mean(train), s.mean(), EPS);
    assertEquals(new StandardDeviation(false).evaluate(train), s.std(), 1e-9);
  }

  private static void assertZScore(double[] train, Scaler s) {
    double mean = StatUtils.mean(train);
    double std = new StandardDeviation(false).evaluate(train); // population, not sample
    assertEquals(Scaler.Kind.ZSCORE, s.kind());
    assertEquals(mean, s.offset(), EPS);
    assertEquals(std > 0 ? std : 1.0, s.scale(), 1e-9);
    assertEquals(train.length, s.fittedOn());
  }

  @Test
  void fitsMinMaxPerJobOnTheTrainSplitOnly() {
    Map<String, Map<String, Scaler>> fitted =
        fit(true, Scaler.Kind.MINMAX);
    assertEquals(List.of("a", "b"), new ArrayList<>(fitted.keySet()),
        "c has no train points, d no train memory");
    assertMinMax(A_TRAIN_CPU, fitted.get("a").get("cpu"));
    assertMinMax(A_TRAIN_MEM, fitted.get("a").get("memory"));
    assertMinMax(B_TRAIN_CPU, fitted.get("b").get("cpu"));
    // a constant train column gets scale 1 rather than a division by zero
    assertMinMax(B_TRAIN_MEM, fitted.get("b").get("memory"));
    assertEquals(0.0, fitted.get("b").get("memory").transform(1.0), EPS);
    // calendar features are already in [-1, 1]
    assertTrue(fitted.get("a").get("hour_sin").isIdentity());
    assertTrue(fitted.get("a").get("dow_cos").isIdentity());
    assertEquals(Map.of("cpu", 0, "memory", 0, "hour_sin", 0, "dow_cos", 0).keySet(),
        fitted.get("a").keySet());
  }

  @Test
  void fitsZScoreWithThePopulationStandardDeviation() {
    Map<String, Map<String, Scaler>> fitted =
        fit(true, Scaler.Kind.ZSCORE);
    assertZScore(A_TRAIN_CPU, fitted.get("a").get("cpu"));
    assertZScore(A_TRAIN_MEM, fitted.get("a").get("memory"));
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population standard deviation exactly 2
    Scaler b = fitted.get("b").get("cpu");
    assertEquals(5.0, b.offset(), EPS);
    assertEquals(2.0, b.scale(), EPS);
    assertEquals(1.0, b.transform(7.0), EPS);
    assertEquals(7.0, b.inverse(1.0), EPS);
    assertEquals(1.0, fitted.get("b").get("memory").scale(), "constant column: scale 1");
  }

  @Test
  void ignoresOutliersOutsideTheTrainSplit() {
    for (Scaler.Kind kind : List.of(Scaler.Kind.MINMAX, Scaler.Kind.ZSCORE)) {
      Map<String, Map<String, Scaler>> clean =
          fit(false, kind);
      Map<String, Map<String, Scaler>> withOutliers =
          fit(true, kind);
      assertEquals(clean.keySet(), withOutliers.keySet());
      for (String job : clean.keySet()) {
        for (String column : SCALED) {
          Scaler a = clean.get(job).get(column);
          Scaler b = withOutliers.get(job).get(column);
          String what = kind + " " + job + "/" + column + " moved by test/validation outliers";
          assertEquals(a.offset(), b.offset(), EPS, what);
          assertEquals(a.scale(), b.scale(), 1e-9, what);
          assertEquals(a.fittedOn(), b.fittedOn(), what);
          assertEquals(a.min(), b.min(), what);
          assertEquals(a.max(), b.max(), what);
        }
      }
      assertTrue(withOutliers.get("a").get("cpu").max() < 1000);
    }
  }

  @Test
  void validatesScalerValues() {
    assertThrows(IllegalArgumentException.class,
        () -> new Scaler(Scaler.Kind.MINMAX, 0, 0, 1, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new Scaler(Scaler.Kind.MINMAX, Double.NaN, 1, 1, 0, 0, 0, 0));
    Scaler identity = Scaler.identity();
    assertEquals(0.25, identity.transform(0.25));
    assertFalse(Scaler.fit(Scaler.Kind.MINMAX, 3, 1, 3, 2, 1).isIdentity());
    double[] x = {3.5, -1.0, 2.25};
    Scaler s = Scaler.fit(Scaler.Kind.MINMAX, 3, -1.0, 3.5, 0, 0);
    double[] scaled = Arrays.stream(x).map(s::transform).toArray();
    assertEquals(1.0, StatUtils.max(scaled), EPS);
    assertEquals(0.0, StatUtils.min(scaled), EPS);
    assertEquals(2.25, s.inverse(s.transform(2.25)), EPS);
  }
}
