package io.tracecast.cli;

import io.tracecast.etl.EtlJob;
import io.tracecast.etl.EtlRequest;
import io.tracecast.etl.config.EtlSettings;
import io.tracecast.etl.dataset.BacktestFold;
import io.tracecast.evaluation.EvaluateJob;
import io.tracecast.evaluation.EvaluateRequest;
import io.tracecast.evaluation.config.EvaluationSettings;
import io.tracecast.evaluation.report.BacktestTable;
import io.tracecast.training.TrainJob;
import io.tracecast.training.TrainRequest;
import io.tracecast.training.TrainResult;
import io.tracecast.training.config.TrainSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The pipeline's backtest with refitting of one source: for each fold k of K, the fold's dataset
 * ({@code etl --backtest-fold k/K}), models trained on it into a registry of the fold's own and
 * an evaluation of that fold alone (its champion picked on the fold's validation split), then
 * the {@link BacktestTable} of the K fold reports beside the normal report's folds, written next
 * to the normal report. The normal run is not touched: it still picks and serves the champion.
 *
 * <p>Layout: {@code <work>/backtest/fold-<k>/datasets/<source>} and {@code .../registry/<source>};
 * reports in {@code <reports>/<source>/backtest/fold-<k>}, the table as
 * {@code <reports>/<source>/backtest.md} and {@code backtest.csv}.
 */
record RefitBacktest(SparkSession spark, EtlSettings etl, TrainSettings train,
    EvaluationSettings evaluate, String workDir, Path reportRoot, PrintWriter err) {

  /** What the backtest of one source produced. */
  record Outcome(BacktestTable table, int failedModels, double seconds) {}

  /** The dataset directory of fold {@code k} of {@code source}. */
  static String dataset(String workDir, int k, String source) {
    return foldDir(workDir, k) + "/datasets/" + source;
  }

  /** The registry directory of fold {@code k} of {@code source}. */
  static String registry(String workDir, int k, String source) {
    return foldDir(workDir, k) + "/registry/" + source;
  }

  /** The report directory of fold {@code k} of {@code source}. */
  static Path report(Path reportRoot, String source, int k) {
    return new Path(new Path(reportRoot, source), "backtest/fold-" + k);
  }

  private static String foldDir(String workDir, int k) {
    return workDir + "/backtest/fold-" + k;
  }

  Outcome run(String source, List<String> inputs) throws IOException {
    int folds = evaluate.folds();
    long t0 = System.nanoTime();
    int failed = 0;
    List<String> reports = new ArrayList<>();
    for (int k = 0; k < folds; k++) {
      long s0 = System.nanoTime();
      String dataset = dataset(workDir, k, source);
      String registry = registry(workDir, k, source);
      EtlJob.run(spark, new EtlRequest(source, inputs, dataset, true, Optional.empty(), etl,
          Optional.of(new BacktestFold(k, folds))));
      TrainResult trained = TrainJob.run(spark, new TrainRequest(dataset, registry, List.of(),
          train));
      failed += trained.failed().size();
      String fold = "backtest fold " + k;
      trained.failed().forEach(o -> err.println("tracecast: " + source + " " + fold + " "
          + o.id() + " failed: " + o.error()));
      String report = report(reportRoot, source, k).toString();
      // one fold: the fold's test window is the whole of its test split
      EvaluateJob.run(spark, new EvaluateRequest(dataset, registry, report, List.of(),
          evaluate.withFolds(1)));
      reports.add(report);
      System.out.printf(Locale.ROOT, "%s: backtest fold %d/%d refitted in %.0f s%n", source, k,
          folds, (System.nanoTime() - s0) / 1e9);
    }
    var conf = spark.sparkContext().hadoopConfiguration();
    String normal = new Path(reportRoot, source).toString();
    BacktestTable table = BacktestTable.read(reports, normal, conf);
    table.write(normal, conf);
    return new Outcome(table, failed, (System.nanoTime() - t0) / 1e9);
  }
}
