package io.tracecast.evaluation.report;

import io.tracecast.common.StagedCommit;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The front page of a multi-dataset run ({@code tracecast pipeline}): one summary row per
 * (dataset, job) — champion, its test MAE against persistence's, the best model on the test
 * split — linking to each dataset's full report, as {@code index.html} and {@code summary.md}.
 */
public final class PipelineIndex {
  private PipelineIndex() {}

  /** One dataset's report, written by {@link ReportWriter} into {@code <root>/<dir>}. */
  public record Entry(String name, String dir, EvaluationReport report) {}

  /**
   * A summary row. {@code ratio} = champion test MAE / persistence test MAE;
   * {@code validationRatio} the same on validation (what the champion was chosen on).
   */
  public record Row(String dataset, String job, String champion, String family,
      double championMae, double persistenceMae, double ratio, double validationRatio,
      String bestModel, double bestMae) {}

  /**
   * Per dataset: jobs, mean champion / persistence over jobs, jobs whose champion beats
   * persistence on test, and jobs whose champion is a network.
   */
  public record SourceSummary(String dataset, int jobs, double meanRatio, int beating,
      int networkChampions) {}

  public static List<SourceSummary> summaries(List<Row> rows) {
    List<SourceSummary> out = new ArrayList<>();
    rows.stream().map(Row::dataset).distinct().forEach(d -> {
      List<Row> rs = rows.stream().filter(r -> r.dataset().equals(d)).toList();
      out.add(new SourceSummary(d, rs.size(),
          rs.stream().mapToDouble(Row::ratio).filter(Double::isFinite).average()
              .orElse(Double.NaN),
          (int) rs.stream().filter(r -> r.ratio() < 1).count(),
          (int) rs.stream().filter(r -> r.family().equals(
              io.tracecast.training.registry.ModelFamily.NETWORK.id())).count()));
    });
    return out;
  }

  public static List<Row> rows(List<Entry> entries) {
    List<Row> out = new ArrayList<>();
    for (Entry e : entries) {
      for (JobRanking job : ComparisonTable.of(e.report()).perJob()) {
        RankedScore champ = job.championRow();
        Optional<RankedScore> persistence = job.rows().stream()
            .filter(r -> r.score().model().equals(ComparisonTable.PERSISTENCE)).findFirst();
        RankedScore best = job.rows().get(0);
        double champMae = champ == null ? Double.NaN : champ.score().point().mae();
        double persMae = persistence.map(p -> p.score().point().mae()).orElse(Double.NaN);
        Champion c = job.champion();
        out.add(new Row(e.name(), job.job(), champ == null ? "" : champ.score().label(),
            c == null ? "" : c.family().id(), champMae, persMae, champMae / persMae,
            c == null ? Double.NaN : c.validationVsPersistence(), best.score().label(),
            best.score().point().mae()));
      }
    }
    out.sort(Comparator.comparing(Row::dataset).thenComparing(Row::job));
    return out;
  }

  /**
   * Writes {@code index.html} and {@code summary.md} into {@code root}, each file replaced by
   * one {@link StagedCommit}; {@code root} may be on any Hadoop filesystem.
   *
   * @return the summary as written to {@code summary.md}
   */
  public static String write(String root, List<Entry> entries, String createdAt,
      Configuration conf) throws IOException {
    return write(root, entries, java.util.Map.of(), createdAt, conf);
  }

  /**
   * {@link #write(String, List, String, Configuration)} with a line per dataset backtested with
   * refitting.
   *
   * @param backtests by entry name: the backtest whose {@link BacktestTable#write} went into the
   *     entry's report directory
   */
  public static String write(String root, List<Entry> entries,
      java.util.Map<String, BacktestTable> backtests, String createdAt, Configuration conf)
      throws IOException {
    List<Row> rows = rows(entries);
    String summary = markdown(rows, entries) + backtestLines(entries, backtests);
    replace(new Path(root, "summary.md"), summary, conf);
    replace(new Path(root, "index.html"), html(rows, entries, backtests.keySet(), createdAt),
        conf);
    return summary;
  }

  static String markdown(List<Row> rows, List<Entry> entries) {
    StringBuilder b = new StringBuilder("| dataset | jobs | champion / persistence (mean) | "
        + "champion beats persistence | champion is a network |\n|:---|---:|---:|---:|---:|\n");
    for (SourceSummary s : summaries(rows)) {
      b.append("| ").append(MarkdownTable.text(s.dataset())).append(" | ").append(s.jobs())
          .append(" | ").append(ratio(s.meanRatio())).append(" | ").append(s.beating())
          .append(" of ").append(s.jobs()).append(" | ").append(s.networkChampions())
          .append(" of ").append(s.jobs()).append(" |\n");
    }
    b.append("\n| dataset | job | champion | family | champion MAE | persistence MAE | "
        + "champion / persistence | validation: champion / persistence | best on test |\n"
        + "|:---|:---|:---|:---|---:|---:|---:|---:|:---|\n");
    for (Row r : rows) {
      b.append("| ").append(MarkdownTable.text(r.dataset())).append(" | ")
          .append(MarkdownTable.text(r.job())).append(" | ")
          .append(MarkdownTable.text(r.champion())).append(" | ")
          .append(MarkdownTable.text(r.family())).append(" | ")
          .append(SignificantDigits.format(r.championMae())).append(" | ")
          .append(SignificantDigits.format(r.persistenceMae())).append(" | ")
          .append(ratio(r.ratio())).append(" | ")
          .append(ratio(r.validationRatio())).append(" | ")
          .append(MarkdownTable.text(r.bestModel())).append(" |\n");
    }
    b.append('\n');
    for (Entry e : entries) {
      b.append("Full report of ").append(MarkdownTable.text(e.name())).append(": `")
          .append(e.dir()).append("/comparison.md`, `").append(e.dir()).append("/index.html`\n\n");
    }
    return b.toString();
  }

  /** One line per backtested dataset: the pooled (or only) job's headline figures. */
  static String backtestLines(List<Entry> entries, java.util.Map<String, BacktestTable> tables) {
    StringBuilder b = new StringBuilder();
    for (Entry e : entries) {
      BacktestTable t = tables.get(e.name());
      BacktestTable.Job job = t == null ? null : t.headline();
      if (job == null) {
        continue;
      }
      b.append("Backtest with refitting of ").append(MarkdownTable.text(e.name())).append(" (")
          .append(t.folds()).append(" folds, test MAE / persistence's, `").append(e.dir())
          .append('/').append(BacktestTable.MARKDOWN).append("`)");
      // rows: the champions picked per fold, then models by their mean (the best first)
      BacktestTable.Row picked = job.rows().get(0);
      b.append(": ").append(MarkdownTable.text(picked.model())).append(' ')
          .append(TableCells.spread(picked.refitSpread(), false));
      if (job.rows().size() > 1) {
        BacktestTable.Row best = job.rows().get(1);
        b.append("; best model ").append(MarkdownTable.text(best.model())).append(' ')
            .append(TableCells.spread(best.refitSpread(), false));
        if (best.noRefitSpread().folds() > 0) {
          b.append(" (no refit: ").append(TableCells.spread(best.noRefitSpread(), false))
              .append(')');
        }
      }
      b.append("\n\n");
    }
    return b.toString();
  }

  static String html(List<Row> rows, List<Entry> entries, String createdAt) {
    return html(rows, entries, java.util.Set.of(), createdAt);
  }

  /** The index page; entries named in {@code backtested} also link their backtest table. */
  static String html(List<Row> rows, List<Entry> entries, java.util.Set<String> backtested,
      String createdAt) {
    StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head>"
        + "<meta charset=\"utf-8\"><title>tracecast pipeline</title><style>"
        + "body{font-family:sans-serif;margin:2em;max-width:1100px}"
        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em}"
        + "td.n{text-align:right}tr.beats td{background:#eef8ee}</style></head><body>\n"
        + "<h1>tracecast pipeline</h1>\n<p>Created " + HtmlPage.escape(createdAt)
        + ". One row per dataset and job: the champion (chosen on validation MAE) and its "
        + "test MAE against persistence (the last value); green rows beat it.</p>\n");
    b.append("<table><thead><tr><th>dataset</th><th>jobs</th><th>champion / persistence "
        + "(mean)</th><th>champion beats persistence</th><th>champion is a network</th></tr>"
        + "</thead><tbody>\n");
    for (SourceSummary s : summaries(rows)) {
      b.append("<tr><td>").append(HtmlPage.escape(s.dataset())).append("</td><td class=\"n\">")
          .append(s.jobs()).append("</td><td class=\"n\">").append(ratio(s.meanRatio()))
          .append("</td><td class=\"n\">").append(s.beating()).append(" of ").append(s.jobs())
          .append("</td><td class=\"n\">").append(s.networkChampions()).append(" of ")
          .append(s.jobs()).append("</td></tr>\n");
    }
    b.append("</tbody></table>\n<p></p><table>"
        + "<thead><tr><th>dataset</th><th>job</th><th>champion</th><th>family</th>"
        + "<th>champion MAE</th><th>persistence MAE</th><th>champion / persistence</th>"
        + "<th>validation: champion / persistence</th><th>best on test</th></tr>"
        + "</thead><tbody>\n");
    for (Row r : rows) {
      String dir = entries.stream().filter(e -> e.name().equals(r.dataset())).findFirst()
          .map(Entry::dir).orElse("");
      b.append(r.ratio() < 1 ? "<tr class=\"beats\">" : "<tr>")
          .append("<td><a href=\"").append(HtmlPage.escape(dir)).append("/index.html\">")
          .append(HtmlPage.escape(r.dataset())).append("</a></td><td>")
          .append(HtmlPage.escape(r.job())).append("</td><td>")
          .append(HtmlPage.escape(r.champion())).append("</td><td>")
          .append(HtmlPage.escape(r.family())).append("</td><td class=\"n\">")
          .append(SignificantDigits.format(r.championMae())).append("</td><td class=\"n\">")
          .append(SignificantDigits.format(r.persistenceMae())).append("</td><td class=\"n\">")
          .append(ratio(r.ratio())).append("</td><td class=\"n\">")
          .append(ratio(r.validationRatio())).append("</td><td>")
          .append(HtmlPage.escape(r.bestModel())).append("</td></tr>\n");
    }
    b.append("</tbody></table>\n<h2>Reports</h2>\n<ul>\n");
    for (Entry e : entries) {
      b.append("<li><a href=\"").append(HtmlPage.escape(e.dir())).append("/index.html\">")
          .append(HtmlPage.escape(e.name())).append("</a> (<a href=\"")
          .append(HtmlPage.escape(e.dir())).append("/comparison.md\">Markdown</a>, <a href=\"")
          .append(HtmlPage.escape(e.dir())).append("/comparison.csv\">CSV</a>");
      if (backtested.contains(e.name())) {
        b.append(", <a href=\"").append(HtmlPage.escape(e.dir())).append('/')
            .append(BacktestTable.MARKDOWN).append("\">backtest with refitting</a>");
      }
      b.append(")</li>\n");
    }
    return b.append("</ul>\n</body></html>\n").toString();
  }

  private static String ratio(double r) {
    return Double.isFinite(r) ? String.format(Locale.ROOT, "%.3fx", r) : "–";
  }

  /** Replaces {@code file} with {@code content} by one {@link StagedCommit}: never half written. */
  static void replace(Path file, String content, Configuration conf)
      throws IOException {
    StagedCommit commit = StagedCommit.begin(file.toString(), true, conf);
    try (OutputStream out = commit.fileSystem().create(new Path(commit.staging()), false)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      commit.abort();
      throw e;
    }
    commit.commit();
  }
}
