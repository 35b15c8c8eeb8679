package io.tracecast.training.pattern;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Series of three known usage patterns at a 5-minute step, in the dataset contract's series
 * columns: flat with noise, a strong daily sinusoid, and rare spikes on a quiet baseline. Each
 * pattern comes at levels three orders of magnitude apart, since a pattern is a shape.
 */
final class SyntheticPatterns {
  static final long STEP_SECONDS = 300;
  static final int STEPS_PER_DAY = 288;
  /** 2019-05-01T00:00:00Z: UTC midnight, so step i is at hour (i / 12) % 24. */
  static final long START_MILLIS = 1_556_668_800_000L;
  static final double[] LEVELS = {0.02, 0.1, 0.5, 3, 20};

  enum Family { FLAT, DAILY, BURSTY }

  private SyntheticPatterns() {}

  static double[] values(Family family, double level, int steps, long seed) {
    Random rnd = new Random(seed);
    double[] v = new double[steps];
    int spikeLeft = 0;
    double spike = 0;
    for (int i = 0; i < steps; i++) {
      switch (family) {
        case FLAT -> v[i] = level * (1 + 0.1 * rnd.nextGaussian());
        case DAILY -> v[i] = level * (1 + 0.6 * Math.sin(2 * Math.PI * i / STEPS_PER_DAY)
            + 0.05 * rnd.nextGaussian());
        case BURSTY -> {
          if (spikeLeft == 0 && rnd.nextDouble() < 0.03) {
            spikeLeft = 1 + rnd.nextInt(3);
            spike = 3 + 3 * rnd.nextDouble();
          }
          v[i] = level * (1 + 0.03 * rnd.nextGaussian() + (spikeLeft > 0 ? spike : 0));
          spikeLeft = Math.max(0, spikeLeft - 1);
        }
        default -> throw new IllegalStateException();
      }
    }
    return v;
  }

  static long[] times(int steps) {
    long[] t = new long[steps];
    for (int i = 0; i < steps; i++) {
      t[i] = START_MILLIS + i * STEP_SECONDS * 1000;
    }
    return t;
  }

  /** The contract's split of step i of n: first 70% train, next 15% validation, rest test. */
  static String split(int i, int n) {
    return i < (int) (0.7 * n) ? "train" : i < (int) (0.85 * n) ? "validation" : "test";
  }

  static StructType schema() {
    return new StructType().add("job_id", DataTypes.StringType)
        .add("series_id", DataTypes.StringType).add("ts", DataTypes.TimestampType)
        .add("segment", DataTypes.IntegerType).add("split", DataTypes.StringType)
        .add("interpolated", DataTypes.BooleanType).add("cpu", DataTypes.DoubleType);
  }

  /** Rows of one series, every step present, one segment. */
  static List<Row> rows(String job, String series, double[] values) {
    List<Row> rows = new ArrayList<>();
    long[] t = times(values.length);
    for (int i = 0; i < values.length; i++) {
      rows.add(RowFactory.create(job, series, new Timestamp(t[i]), 0,
          split(i, values.length), false, values[i]));
    }
    return rows;
  }

  static Dataset<Row> frame(SparkSession spark, List<Row> rows) {
    return spark.createDataFrame(rows, schema());
  }
}
