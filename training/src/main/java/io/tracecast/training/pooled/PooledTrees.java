package io.tracecast.training.pooled;

import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Split;
import io.tracecast.etl.dataset.WindowRollout;
import io.tracecast.etl.dataset.WindowSchema;
import io.tracecast.training.JobOutcome;
import io.tracecast.training.gbt.GbtFeatures;
import io.tracecast.training.gbt.GbtModel;
import io.tracecast.training.gbt.GbtSpec;
import io.tracecast.training.plan.ExecutionMode;
import io.tracecast.training.registry.Lineage;
import io.tracecast.training.registry.ModelMetadata.Epoch;
import io.tracecast.training.registry.ModelMetadata.TrainingHistory;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.run.RunContext;
import io.tracecast.training.stage.ModelPublisher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressionModel;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressor;
import ml.dmlc.xgboost4j.scala.spark.XGBoostTrainingSummary;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trees pooled over several jobs ({@code gbt_global} over the run's jobs, {@code gbt_pattern}
 * over one usage pattern's members): one model over their train windows, trained distributed by
 * XGBoost4J-Spark's {@link XGBoostRegressor} (the boosters of {@link GbtModel}, validation windows
 * as its eval set with early stopping; quantile trees: {@link QuantileSparkFit}), then published
 * once per job under the same model name, so evaluation finds it per job like any model. Pooling
 * lets jobs with few windows borrow
 * patterns from the others; the model-space windows are already comparable across jobs (scaled
 * per job or series by the dataset).
 */
public final class PooledTrees {
  private static final Logger LOG = LoggerFactory.getLogger(PooledTrees.class);
  private static final String FEATURES = "features";
  /** The recursive later-steps boosters' features: the rollout's known channels only. */
  private static final String KNOWN = "known_features";

  private PooledTrees() {}

  /**
   * One model over the windows of {@code jobs}, published under each of them as {@code model}
   * with {@code lineage} plus the jobs pooled.
   */
  public static List<JobOutcome> train(SparkSession spark, DatasetReader reader,
      List<String> jobs, String model, Lineage lineage, RunContext ctx,
      ModelRegistry registry) {
    if (jobs.isEmpty()) {
      return List.of();
    }
    long start = System.nanoTime();
    GbtSpec spec = ctx.gbt();
    GbtFeatures features = GbtFeatures.of(spec, ctx.shape().lookback(), ctx.features(),
        ctx.shape().horizon());
    int width = ctx.shape().targetLength();
    int boosters = GbtModel.boostersFor(spec, features, ctx.rollout(), width);
    // the recursive strategy's boosters all learn the first step, the later steps' on the
    // known channels only: a second feature column, from the same pass over the windows;
    // step-feature's rows are (window, step) pairs, each with its step's targets as labels
    int labels = spec.recursive() ? ctx.rollout().targets() : width / features.rowsPerWindow();
    boolean knownView = boosters > labels;
    GbtFeatures known = knownView ? GbtModel.knownFeatures(features, ctx.rollout()) : null;
    Dataset<Row> train = frame(spark, reader, Split.TRAIN, jobs, features, known,
        ctx.rollout(), width, labels).cache();
    Dataset<Row> validation = frame(spark, reader, Split.VALIDATION, jobs, features, known,
        ctx.rollout(), width, labels).cache();
    try {
      long trainRows = train.count();
      boolean validate = validation.count() > 0;
      int workers = Math.max(1, Math.min(spark.sparkContext().defaultParallelism(),
          train.rdd().getNumPartitions()));
      LOG.info("{}: {} train windows of {} jobs on {} XGBoost workers", model,
          trainRows, jobs.size(), workers);
      List<Booster> fitted = new ArrayList<>();
      List<Integer> bestRounds = new ArrayList<>();
      List<float[][]> curves = new ArrayList<>();
      for (int k = 0; k < boosters; k++) {
        String x = GbtModel.seesKnownOnly(spec, ctx.rollout(), k) ? KNOWN : FEATURES;
        int label = GbtModel.labelOf(spec, ctx.rollout(), k);
        XGBoostRegressionModel m = fit(spec, workers, x, label, train,
            validate ? validation : null, spec.rounds(), validate ? spec.earlyStoppingRounds() : 0);
        float[][] curve = curve(m);
        int best = bestRound(m, curve.length);
        if (validate && spec.earlyStoppingRounds() > 0) {
          // The summary's arrays have numRound slots; after an early stop the rest are zeros.
          // XGBoost stops once `earlyStoppingRounds` rounds passed without improvement.
          curve = java.util.Arrays.copyOf(curve,
              Math.min(curve.length, best + spec.earlyStoppingRounds()));
        }
        if (best < curve.length) {
          // Drop the trees past the best round: a second fit for exactly that many rounds.
          m = fit(spec, workers, x, label, train, null, best, 0);
        }
        fitted.add(XGBoost.loadModel(m.nativeBooster().toByteArray("ubj")));
        bestRounds.add(best);
        curves.add(curve);
      }
      GbtModel gbt = GbtModel.of(spec, features, fitted, ctx.rollout(), width);
      double wall = (System.nanoTime() - start) / 1e9;
      TrainingHistory history = history(curves, bestRounds, trainRows, wall,
          !spec.quantiles().isEmpty());
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("bestRounds", bestRounds);
      extra.put("trainer", "xgboost4j-spark XGBoostRegressor, " + workers + " workers");
      Lineage pooled = lineage.withPooledOver(jobs);
      List<JobOutcome> out = new ArrayList<>();
      for (String job : jobs) {
        try {
          out.add(ModelPublisher.publishTrees(job, model, ExecutionMode.POOLED, gbt, history,
              extra, pooled, ctx, registry));
        } catch (RuntimeException e) {
          LOG.error("{}/{} publish failed: {}", job, model, e.toString(), e);
          out.add(JobOutcome.failed(job, model, ExecutionMode.POOLED, e));
        }
      }
      LOG.info("{}: {} rounds (best {}), published for {} jobs in {} s", model, history.epochs().size(), bestRounds, out.size(), wall);
      return out;
    } catch (ml.dmlc.xgboost4j.java.XGBoostError | java.io.IOException e) {
      throw new IllegalStateException("pooled GBT training failed: " + e.getMessage(), e);
    } finally {
      train.unpersist();
      validation.unpersist();
    }
  }

  private static XGBoostRegressionModel fit(GbtSpec spec, int workers, String featuresCol,
      int column, Dataset<Row> train, Dataset<Row> validation, int rounds, int earlyStopping) {
    XGBoostRegressor r = new XGBoostRegressor();
    r.setFeaturesCol(featuresCol);
    r.setLabelCol(label(column));
    r.setNumWorkers(workers);
    r.setNthread(1);
    r.setNumRound(rounds);
    r.setObjective(spec.boosterObjective());
    if (spec.quantiles().isEmpty()) {
      r.setEvalMetric(spec.evalMetric());
    }
    r.setTreeMethod("hist");
    r.setMaxDepth(spec.maxDepth());
    r.setEta(spec.eta());
    r.setSubsample(spec.subsample());
    r.setColsampleBytree(spec.colsampleByTree());
    r.setMinChildWeight(spec.minChildWeight());
    r.setLambda(spec.lambda());
    r.setSeed(spec.seed());
    r.setVerbosity(0);
    if (validation != null) {
      r.setEvalDataset(validation);
      if (earlyStopping > 0) {
        r.setNumEarlyStoppingRounds(earlyStopping);
      }
    }
    return spec.quantiles().isEmpty() ? (XGBoostRegressionModel) r.fit(train)
        : QuantileSparkFit.fit(r, spec, train);
  }

  /**
   * curve[r] = {train, validation or NaN} {@link GbtSpec#evalMetric} after round r + 1, from the
   * fit's summary.
   */
  private static float[][] curve(XGBoostRegressionModel m) {
    XGBoostTrainingSummary s = m.summary().get();
    float[] train = s.trainObjectiveHistory();
    float[] val = s.validationObjectiveHistory().isEmpty() ? null
        : s.validationObjectiveHistory().head()._2();
    float[][] out = new float[train.length][];
    for (int r = 0; r < train.length; r++) {
      out[r] = new float[] {train[r], val == null ? Float.NaN : val[r]};
    }
    return out;
  }

  /** Rounds to keep: XGBoost's best iteration (0-based) + 1 when it stopped early, else all. */
  private static int bestRound(XGBoostRegressionModel m, int rounds)
      throws ml.dmlc.xgboost4j.java.XGBoostError {
    String best = m.nativeBooster().getAttr("best_iteration");
    return best == null ? rounds : Math.min(rounds, Integer.parseInt(best.trim()) + 1);
  }

  /** As GbtTrainer's: quantile trees' rounds track the pinball loss and no MAE (NaN). */
  private static TrainingHistory history(List<float[][]> curves, List<Integer> bestRounds,
      long trainRows, double wall, boolean quantiles) {
    int rounds = curves.stream().mapToInt(c -> c.length).max().orElse(0);
    List<Epoch> epochs = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      double t = 0;
      double v = 0;
      for (float[][] c : curves) {
        float[] at = c[Math.min(r, c.length - 1)];
        t += at[0] / (double) curves.size();
        v += at[1] / (double) curves.size();
      }
      epochs.add(new Epoch(r + 1, t, v, quantiles ? Double.NaN : v));
    }
    int best = bestRounds.stream().mapToInt(Integer::intValue).max().orElse(rounds);
    return new TrainingHistory(epochs, best, wall, trainRows * (double) rounds / wall);
  }

  private static String label(int column) {
    return "label_" + column;
  }

  /**
   * One row per {@link GbtFeatures} row of each window: features (Spark ML vector, that
   * layout of the inputs), with {@code known} also known_features (that layout of the rollout's
   * known channels; one row per window), and label_k for the first {@code columns} label
   * columns of the row ({@link GbtModel#labelIndex}).
   */
  private static Dataset<Row> frame(SparkSession spark, DatasetReader reader, Split split,
      List<String> jobs, GbtFeatures features, GbtFeatures known, WindowRollout rollout,
      int width, int columns) {
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField(FEATURES, SQLDataTypes.VectorType(), false));
    if (known != null) {
      fields.add(DataTypes.createStructField(KNOWN, SQLDataTypes.VectorType(), false));
    }
    for (int k = 0; k < columns; k++) {
      fields.add(DataTypes.createStructField(label(k), DataTypes.FloatType, false));
    }
    StructType schema = DataTypes.createStructType(fields);
    int fieldCount = fields.size();
    return spark.createDataFrame(reader.encodedWindows(spark, split, jobs).javaRDD().flatMap(r -> {
      float[] inputs = WindowSchema.inputs(r);
      float[] y = WindowSchema.targets(r);
      float[][] rows = features.rows(inputs);
      List<Row> out = new ArrayList<>(rows.length);
      for (int row = 0; row < rows.length; row++) {
        List<Object> values = new ArrayList<>(fieldCount);
        values.add(vector(rows[row]));
        if (known != null) {
          values.add(vector(known.row(rollout.known(inputs))));
        }
        for (int k = 0; k < columns; k++) {
          values.add(y[GbtModel.labelIndex(features, width, row, k)]);
        }
        out.add(RowFactory.create(values.toArray()));
      }
      return out.iterator();
    }), schema);
  }

  private static org.apache.spark.ml.linalg.Vector vector(float[] row) {
    double[] x = new double[row.length];
    for (int i = 0; i < row.length; i++) {
      x[i] = row[i];
    }
    return Vectors.dense(x);
  }
}
