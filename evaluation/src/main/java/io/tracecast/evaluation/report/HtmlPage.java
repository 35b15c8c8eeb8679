package io.tracecast.evaluation.report;

import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code index.html}: one self-contained page (inline CSS, plots as {@code data:} URIs, no
 * script) so it can be mailed or attached to a CI run. Every string that comes from traces,
 * the registry or the configuration is escaped.
 */
final class HtmlPage {

  private static final String STYLE = """
      body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;\
      max-width:1000px;padding:0 1em;color:#222;line-height:1.4}
      h1{font-size:1.6em}h2{font-size:1.3em;margin-top:2em;border-bottom:1px solid #ddd}
      table{border-collapse:collapse;margin:.8em 0;font-size:.9em}
      th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}
      th{background:#f3f3f3}td:nth-child(2),th:nth-child(2){text-align:left}
      tr.best td{font-weight:bold}tr.champion td{background:#fff6e0}
      .champion-line{background:#f6f8fa;border-left:4px solid #e69500;padding:.4em .8em}
      figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
      figcaption{font-size:.85em;color:#555}dl{display:grid;grid-template-columns:max-content auto;\
      gap:.2em 1em}dt{font-weight:bold}dd{margin:0;font-family:monospace;word-break:break-all}
      """;

  private HtmlPage() {}

  static String render(EvaluationReport report, ComparisonTable table,
      Map<String, List<Plot>> plotsByJob) {
    StringBuilder out = new StringBuilder(1 << 16);
    String title = "tracecast evaluation: " + report.target();
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(escape(title)).append("</title>\n")
        .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n")
        .append("<h1>").append(escape(title)).append("</h1>\n");
    header(out, report);
    for (JobRanking job : table.perJob()) {
      section(out, "Job " + job.job(), job, plotsByJob.getOrDefault(job.job(), List.of()),
          report, table);
    }
    JobRanking pooled = table.pooled();
    if (pooled != null) {
      section(out, "All jobs (pooled)", pooled,
          plotsByJob.getOrDefault(pooled.job(), List.of()), report, table);
    }
    out.append("</body>\n</html>\n");
    return out.toString();
  }

  private static void header(StringBuilder out, EvaluationReport report) {
    out.append("<dl>\n");
    definition(out, "dataset", report.dataset());
    definition(out, "registry", report.registry());
    definition(out, "target", report.target() + (report.unit().isBlank() ? ""
        : " (" + report.unit() + ")"));
    definition(out, "created", report.createdAt());
    out.append("</dl>\n<p>Test-split scores per job, ranked by MAE (ties by RMSE). ")
        .append("MAE vs persistence below 1 beats the last value; ")
        .append("&#9733; marks the champion, chosen on the validation split.</p>\n");
    if (!report.notes().isEmpty()) {
      out.append("<h2>Notes</h2>\n<ul>\n");
      for (String note : report.notes()) {
        out.append("<li>").append(escape(note)).append("</li>\n");
      }
      out.append("</ul>\n");
    }
  }

  private static void definition(StringBuilder out, String term, String value) {
    out.append("<dt>").append(escape(term)).append("</dt><dd>")
        .append(escape(value == null ? "" : value)).append("</dd>\n");
  }

  private static void section(StringBuilder out, String heading, JobRanking job,
      List<Plot> plots, EvaluationReport report, ComparisonTable table) {
    out.append("<section>\n<h2>").append(escape(heading)).append("</h2>\n")
        .append("<p class=\"champion-line\">")
        .append(escape(TableCells.championLine(job, report.patterns()))).append("</p>\n");
    String provisioning = TableCells.provisioningLine(job);
    if (provisioning != null) {
      out.append("<p>").append(escape(provisioning)).append("</p>\n");
    }
    String startup = TableCells.startupLine(job, report.startupDelaySteps(), table);
    if (startup != null) {
      out.append("<p>").append(escape(startup)).append("</p>\n");
    }
    out.append("<table>\n<thead><tr>");
    for (String h : TableCells.header(table)) {
      out.append("<th>").append(escape(h)).append("</th>");
    }
    out.append("</tr></thead>\n<tbody>\n");
    for (RankedScore r : job.rows()) {
      String cls = (r.rank() == 1 ? "best " : "") + (r.champion() ? "champion" : "");
      out.append(cls.isBlank() ? "<tr>" : "<tr class=\"" + cls.strip() + "\">");
      for (String cell : TableCells.of(r, table)) {
        out.append("<td>").append(escape(cell)).append("</td>");
      }
      out.append("</tr>\n");
    }
    out.append("</tbody>\n</table>\n");
    for (Plot p : plots) {
      figure(out, p);
    }
    out.append("</section>\n");
  }

  private static void figure(StringBuilder out, Plot p) {
    out.append("<figure>\n<img src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(p.png()))
        .append("\" width=\"").append(p.width()).append("\" height=\"").append(p.height())
        .append("\" alt=\"").append(escape(p.caption())).append("\">\n<figcaption>")
        .append(escape(p.caption())).append(" (<code>plots/").append(escape(p.fileName()))
        .append("</code>)</figcaption>\n</figure>\n");
  }

  /** Text and attribute values: the five characters HTML gives meaning to. */
  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
