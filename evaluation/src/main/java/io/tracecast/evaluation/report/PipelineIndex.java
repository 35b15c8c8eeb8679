package io.tracecast.evaluation.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The front page of a multi-dataset run ({@code tracecast pipeline}): one summary row per
 * (dataset, job) — champion, its test MAE against persistence's, the best model on the test
 * split — linking to each dataset's full report, as {@code index.html} and {@code summary.md}.
 */
public final class PipelineIndex {
  private PipelineIndex() {}

  /** One dataset's report, written by {@link ReportWriter} into {@code <root>/<dir>}. */
  public record Entry(String name, String dir, EvaluationReport report) {}

  /** A summary row. {@code ratio} = champion test MAE / persistence test MAE. */
  public record Row(String dataset, String job, String champion, double championMae,
      double persistenceMae, double ratio, String bestModel, double bestMae) {}

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
        out.add(new Row(e.name(), job.job(), champ == null ? "" : champ.score().label(),
            champMae, persMae, champMae / persMae, best.score().label(),
            best.score().point().mae()));
      }
    }
    out.sort(Comparator.comparing(Row::dataset).thenComparing(Row::job));
    return out;
  }

  /** Writes {@code index.html} and {@code summary.md} into {@code root} (each file atomically). */
  public static void write(Path root, List<Entry> entries, String createdAt) throws IOException {
    List<Row> rows = rows(entries);
    Files.createDirectories(root);
    writeAtomically(root.resolve("summary.md"), markdown(rows, entries));
    writeAtomically(root.resolve("index.html"), html(rows, entries, createdAt));
  }

  static String markdown(List<Row> rows, List<Entry> entries) {
    StringBuilder b = new StringBuilder("| dataset | job | champion | champion MAE | "
        + "persistence MAE | champion / persistence | best on test |\n"
        + "|:---|:---|:---|---:|---:|---:|:---|\n");
    for (Row r : rows) {
      b.append("| ").append(MarkdownTable.text(r.dataset())).append(" | ")
          .append(MarkdownTable.text(r.job())).append(" | ")
          .append(MarkdownTable.text(r.champion())).append(" | ")
          .append(SignificantDigits.format(r.championMae())).append(" | ")
          .append(SignificantDigits.format(r.persistenceMae())).append(" | ")
          .append(ratio(r.ratio())).append(" | ")
          .append(MarkdownTable.text(r.bestModel())).append(" |\n");
    }
    b.append('\n');
    for (Entry e : entries) {
      b.append("Full report of ").append(MarkdownTable.text(e.name())).append(": `")
          .append(e.dir()).append("/comparison.md`, `").append(e.dir()).append("/index.html`\n\n");
    }
    return b.toString();
  }

  static String html(List<Row> rows, List<Entry> entries, String createdAt) {
    StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head>"
        + "<meta charset=\"utf-8\"><title>tracecast pipeline</title><style>"
        + "body{font-family:sans-serif;margin:2em;max-width:1100px}"
        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em}"
        + "td.n{text-align:right}tr.beats td{background:#eef8ee}</style></head><body>\n"
        + "<h1>tracecast pipeline</h1>\n<p>Created " + HtmlPage.escape(createdAt)
        + ". One row per dataset and job: the champion (chosen on validation MAE) and its "
        + "test MAE against persistence (the last value); green rows beat it.</p>\n<table>"
        + "<thead><tr><th>dataset</th><th>job</th><th>champion</th><th>champion MAE</th>"
        + "<th>persistence MAE</th><th>champion / persistence</th><th>best on test</th></tr>"
        + "</thead><tbody>\n");
    for (Row r : rows) {
      String dir = entries.stream().filter(e -> e.name().equals(r.dataset())).findFirst()
          .map(Entry::dir).orElse("");
      b.append(r.ratio() < 1 ? "<tr class=\"beats\">" : "<tr>")
          .append("<td><a href=\"").append(HtmlPage.escape(dir)).append("/index.html\">")
          .append(HtmlPage.escape(r.dataset())).append("</a></td><td>")
          .append(HtmlPage.escape(r.job())).append("</td><td>")
          .append(HtmlPage.escape(r.champion())).append("</td><td class=\"n\">")
          .append(SignificantDigits.format(r.championMae())).append("</td><td class=\"n\">")
          .append(SignificantDigits.format(r.persistenceMae())).append("</td><td class=\"n\">")
          .append(ratio(r.ratio())).append("</td><td>")
          .append(HtmlPage.escape(r.bestModel())).append("</td></tr>\n");
    }
    b.append("</tbody></table>\n<h2>Reports</h2>\n<ul>\n");
    for (Entry e : entries) {
      b.append("<li><a href=\"").append(HtmlPage.escape(e.dir())).append("/index.html\">")
          .append(HtmlPage.escape(e.name())).append("</a> (<a href=\"")
          .append(HtmlPage.escape(e.dir())).append("/comparison.md\">Markdown</a>, <a href=\"")
          .append(HtmlPage.escape(e.dir())).append("/comparison.csv\">CSV</a>)</li>\n");
    }
    return b.append("</ul>\n</body></html>\n").toString();
  }

  private static String ratio(double r) {
    return Double.isFinite(r) ? String.format(Locale.ROOT, "%.3fx", r) : "–";
  }

  private static void writeAtomically(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
