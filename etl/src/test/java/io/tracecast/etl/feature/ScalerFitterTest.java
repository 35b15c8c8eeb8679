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
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ScalerFitterTest {
  private static final StructType SCHEMA = new StructType()
      .add("job_id", DataTypes.StringType, false)
      .add("split", DataTypes.StringType, false)
      .add("cpu", DataTypes.DoubleType, true)
      .add("memory", DataTypes.DoubleType, true);
  private static final List<String> FEATURES = List.of("cpu", "memory", "hour_sin", "dow_cos");
  private static final List<String> SCALED = List.of("cpu", "memory");
  private static final double EPS = 1e-12;

  private static final double[] A_TRAIN_CPU = {0.12, 0.40, 0.33, 0.05, 0.27, 0.61, 0.18};
  private static final double[] A_TRAIN_MEM = {0.50, 0.52, 0.55, 0.49, 0.60, 0.58, 0.51};
  private static final double[] B_TRAIN_CPU = {2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0};
  private static final double[] B_TRAIN_MEM = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};

  private static List<Row> rows(String job, String split, double[] cpu, double[] memory) {
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < cpu.length; i++) {
      out.add(RowFactory.create(job, split, cpu[i], memory[i]));
    }
    return out;
  }

  private static Dataset<Row> table(boolean withOutliers) {
    List<Row> all = new ArrayList<>();
    all.addAll(rows("a", "train", A_TRAIN_CPU, A_TRAIN_MEM));
    all.addAll(rows("b", "train", B_TRAIN_CPU, B_TRAIN_MEM));
    all.addAll(rows("a", "validation", new double[] {0.3}, new double[] {0.5}));
    all.addAll(rows("a", "test", new double[] {0.2}, new double[] {0.5}));
    if (withOutliers) {
      all.add(RowFactory.create("a", "test", 1000.0, 99.0));
      all.add(RowFactory.create("a", "validation", -50.0, -9.0));
      all.add(RowFactory.create("b", "test", 1e9, 1e9));
    }
    // a job with only test points gets no scalers
    all.add(RowFactory.create("c", "test", 0.5, 0.5));
    // a job whose train split lacks memory entirely gets no scalers either
    all.add(RowFactory.create("d", "train", 0.5, null));
    all.add(RowFactory.create("d", "test", 0.5, 0.7));
    SparkSession spark = SparkTestSession.get();
    return spark.createDataFrame(all, SCHEMA).repartition(3);
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
        ScalerFitter.fit(table(true), FEATURES, SCALED, Scaler.Kind.MINMAX);
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
        ScalerFitter.fit(table(true), FEATURES, SCALED, Scaler.Kind.ZSCORE);
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
          ScalerFitter.fit(table(false), FEATURES, SCALED, kind);
      Map<String, Map<String, Scaler>> withOutliers =
          ScalerFitter.fit(table(true), FEATURES, SCALED, kind);
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
