package io.tracecast.evaluation.report;

import io.tracecast.evaluation.metric.FoldSpread;
import java.util.ArrayList;
import java.util.List;

/** {@link BacktestTable} as {@code backtest.md} (for people) and {@code backtest.csv}. */
final class BacktestFormats {
  /** Marks a fold's champion in its cell. */
  static final String FOLD_CHAMPION_MARK = " †";

  private BacktestFormats() {}

  static String markdown(BacktestTable t) {
    StringBuilder b = new StringBuilder("# Backtest with refitting\n\n")
        .append(t.folds()).append(" folds at rolling origins over the test split. For each"
            + " fold the models were retrained on what precedes its test window (`etl"
            + " --backtest-fold k/").append(t.folds()).append("` -> train -> evaluate) and the"
            + " champion was picked on that fold's validation split, never on a test window."
            + " Cells: test MAE / persistence's (below 1 beats persistence);"
            + FOLD_CHAMPION_MARK + " marks the fold's champion. Mean ± 95 % t-interval over the"
            + " folds;" + TableCells.NOISE_MARK + " = within noise of the best row (the paired"
            + " difference's interval holds 0). No refit: the normal run's folds of the same test"
            + " split, models trained once before the first (its comparison.md);"
            + TableCells.CHAMPION_MARK + " = the champion the normal run serves.\n");
    for (BacktestTable.Job job : t.jobs()) {
      b.append("\n## ").append(ModelScore.ALL_JOBS.equals(job.job()) ? "All jobs, pooled"
          : "Job " + MarkdownTable.text(job.job())).append("\n\n| model |");
      for (int k = 0; k < t.folds(); k++) {
        b.append(" fold ").append(k).append(" |");
      }
      b.append(" refit: mean ± 95 % | no refit: mean ± 95 % |\n|:---|");
      b.append("---:|".repeat(t.folds() + 2)).append('\n');
      for (BacktestTable.Row r : job.rows()) {
        b.append("| ").append(MarkdownTable.text(r.model()))
            .append(r.servingChampion() ? TableCells.CHAMPION_MARK : "").append(" |");
        for (int k = 0; k < t.folds(); k++) {
          double v = k < r.refit().size() ? r.refit().get(k) : Double.NaN;
          boolean champion = r.championFolds().contains(k);
          b.append(' ').append(SignificantDigits.format(v))
              .append(champion ? FOLD_CHAMPION_MARK : "").append(" |");
        }
        b.append(' ').append(TableCells.spread(r.refitSpread(), r.refitWithinNoise()))
            .append(" | ").append(r.noRefitSpread().folds() == 0 ? SignificantDigits.MISSING
                : TableCells.spread(r.noRefitSpread(), r.noRefitWithinNoise()))
            .append(" |\n");
      }
    }
    return b.toString();
  }

  static String csv(BacktestTable t) {
    List<String> header = new ArrayList<>(List.of("job", "model"));
    for (int k = 0; k < t.folds(); k++) {
      header.add("refit_fold_" + k);
    }
    header.addAll(List.of("refit_mean", "refit_half_width", "refit_within_noise",
        "champion_folds"));
    for (int k = 0; k < t.folds(); k++) {
      header.add("no_refit_fold_" + k);
    }
    header.addAll(List.of("no_refit_mean", "no_refit_half_width", "no_refit_within_noise",
        "serving_champion"));
    StringBuilder b = new StringBuilder();
    CsvTable.line(b, header);
    for (BacktestTable.Job job : t.jobs()) {
      for (BacktestTable.Row r : job.rows()) {
        List<String> f = new ArrayList<>(List.of(job.job(), r.model()));
        folds(f, r.refit(), t.folds());
        spread(f, r.refitSpread());
        f.add(Boolean.toString(r.refitWithinNoise()));
        f.add(Integer.toString(r.championFolds().size()));
        folds(f, r.noRefit(), t.folds());
        spread(f, r.noRefitSpread());
        f.add(Boolean.toString(r.noRefitWithinNoise()));
        f.add(Boolean.toString(r.servingChampion()));
        CsvTable.line(b, f);
      }
    }
    return b.toString();
  }

  private static void folds(List<String> fields, List<Double> values, int folds) {
    for (int k = 0; k < folds; k++) {
      fields.add(CsvTable.number(k < values.size() ? values.get(k) : Double.NaN));
    }
  }

  private static void spread(List<String> fields, FoldSpread s) {
    fields.add(CsvTable.number(s.mean()));
    fields.add(CsvTable.number(s.halfWidth()));
  }
}
