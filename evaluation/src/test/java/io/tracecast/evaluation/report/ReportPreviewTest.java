package io.tracecast.evaluation.report;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * Not a check: writes the sample report where a person can open it, when asked with
 * {@code -Dtracecast.report.look=/tmp/report-look}. Charts are judged by eye.
 */
class ReportPreviewTest {

  @Test
  void writesTheSampleReportForPeopleToLookAtWhenAsked() throws Exception {
    String look = System.getProperty("tracecast.report.look");
    assumeTrue(look != null && !look.isBlank(), "set -Dtracecast.report.look to a directory");
    ReportWriter.write(SampleReport.build(), look, new org.apache.hadoop.conf.Configuration());
  }
}
