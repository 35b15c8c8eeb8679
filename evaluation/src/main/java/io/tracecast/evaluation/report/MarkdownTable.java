package io.tracecast.evaluation.report;

import java.util.List;

/**
 * {@code comparison.md}: one section per job (heading, champion line, table best first with the
 * rank-1 row in bold), then the pooled section. GitHub-flavoured Markdown, compact enough for a
 * README to paste one section.
 */
final class MarkdownTable {

  private MarkdownTable() {}

  static String render(EvaluationReport report, ComparisonTable table) {
    StringBuilder out = new StringBuilder();
    out.append("# Evaluation: ").append(text(report.target()));
    if (!report.unit().isBlank()) {
      out.append(" (").append(text(report.unit())).append(')');
    }
    out.append("\n\n");
    out.append("Test-split scores per job, ranked by MAE (ties by RMSE); ")
        .append("MAE vs persistence below 1 beats the last value. ")
        .append("★ marks the champion. Created ").append(text(report.createdAt()))
        .append(".\n\n");
    for (JobRanking job : table.perJob()) {
      section(out, "Job " + code(job.job()), job, report, table);
    }
    JobRanking pooled = table.pooled();
    if (pooled != null) {
      section(out, "All jobs (pooled)", pooled, report, table);
    }
    steps(out, table);
    patterns(out, report.patterns());
    AutoscalingTable.markdown(out, report.autoscaling());
    return out.toString();
  }

  /** Each job's usage pattern, when training clustered the dataset's series. */
  private static void patterns(StringBuilder out, UsagePatterns patterns) {
    if (patterns == null || patterns.jobPattern().isEmpty()) {
      return;
    }
    out.append("## Usage patterns\n\n").append(patterns.dailyProfiles().size())
        .append(" patterns (daily profiles: `plots/").append(PatternProfilePlot.FILE)
        .append("`).\n\n| job | pattern | series in the pattern |\n|:---|---:|---:|\n");
    new java.util.TreeMap<>(patterns.jobPattern()).forEach((job, p) -> out.append("| ")
        .append(text(job)).append(" | ").append(p + 1).append(" | ")
        .append(patterns.members().getOrDefault(p, 0)).append(" |\n"));
    out.append('\n');
  }

  /**
   * The error curve over the horizon (a dataset of more than one step): per model, pooled over
   * jobs, MAE vs persistence at each step (persistence repeats the origin's value, so its own
   * MAE grows with the step), then the narrowest interval's coverage per step.
   */
  private static void steps(StringBuilder out, ComparisonTable table) {
    JobRanking pooled = table.pooled();
    int horizon = table.horizon();
    if (pooled == null || horizon < 2) {
      return;
    }
    double[] persistence = StepCurves.persistenceMae(pooled);
    out.append("## By horizon step (all jobs)\n\nMAE vs persistence at each step; ")
        .append("the pooled ranking above weighs every step alike.\n\n| model |");
    for (int h = 1; h <= horizon; h++) {
      out.append(' ').append(h).append(" |");
    }
    out.append("\n|:---|").append("---:|".repeat(horizon)).append('\n');
    for (RankedScore r : pooled.rows()) {
      out.append("| ").append(text(r.score().label())).append(" |");
      double[] ratio = StepCurves.maeVsPersistence(r.score(), persistence);
      for (int h = 0; h < horizon; h++) {
        out.append(' ').append(SignificantDigits.format(h < ratio.length ? ratio[h] : Double.NaN))
            .append(" |");
      }
      out.append('\n');
    }
    out.append('\n');
  }

  private static void section(StringBuilder out, String heading, JobRanking job,
      EvaluationReport report, ComparisonTable table) {
    out.append("## ").append(heading).append("\n\n");
    out.append(text(TableCells.championLine(job, report.patterns()))).append("\n\n");
    String provisioning = TableCells.provisioningLine(job);
    if (provisioning != null) {
      out.append(text(provisioning)).append("\n\n");
    }
    String startup = TableCells.startupLine(job, report.startupDelaySteps(), table);
    if (startup != null) {
      out.append(text(startup)).append("\n\n");
    }
    ForecastTrace fan = report.fans().get(job.job());
    if (!job.pooled() && FanChart.drawable(fan)) {
      // the one plot linked here: the intervals a planner provisions from (HTML embeds all)
      out.append("Fan chart, ").append(text(fan.label())).append(" forecasts ")
          .append(fan.step()).append(fan.step() == 1 ? " step" : " steps")
          .append(" ahead with their intervals: ![fan chart](plots/")
          .append(FanChart.fileName(job.job())).append(")\n\n");
    }
    row(out, TableCells.header(table), false);
    out.append('|');
    for (int i = 0; i < TableCells.header(table).size(); i++) {
      // rank and numbers right-aligned, the model name left
      out.append(i == 1 ? ":---|" : "---:|");
    }
    out.append('\n');
    for (RankedScore r : job.rows()) {
      row(out, TableCells.of(r, table), r.rank() == 1);
    }
    out.append('\n');
  }

  private static void row(StringBuilder out, List<String> cells, boolean bold) {
    out.append('|');
    for (String cell : cells) {
      String t = text(cell);
      out.append(' ').append(bold ? "**" + t + "**" : t).append(" |");
    }
    out.append('\n');
  }

  /**
   * Escapes text from traces and the registry so it renders literally: Markdown punctuation is
   * backslash-escaped, HTML-significant characters become entities (GitHub would otherwise
   * take {@code <script>} as a tag and drop it) and line breaks become spaces (a table row is
   * one line).
   */
  static String text(String s) {
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '\n', '\r', '\t' -> out.append(' ');
        case '\\', '`', '*', '_', '[', ']', '|', '#', '!', '~', '{', '}' -> out.append('\\')
            .append(c);
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * A job id as inline code when it can be: code spans show {@code a_b*c} and {@code <x>}
   * literally without escapes; ids holding a backtick or a line break fall back to text.
   */
  private static String code(String s) {
    if (s.isEmpty() || s.indexOf('`') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
      return text(s);
    }
    return "`" + s + "`";
  }
}
