package io.tracecast.evaluation.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.common.StagedCommit;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads back the {@link EvaluationReport} that {@link ReportWriter} stored as
 * {@value ReportWriter#REPORT_JSON} in a report directory (any Hadoop filesystem); NaNs, written as
 * the string "NaN", read back as NaN.
 */
public final class ReportReader {
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ReportReader() {}

  /** The report at {@code dir}, or its previous copy after a crash mid-replace. */
  public static EvaluationReport read(String dir, Configuration conf) {
    Path file = new Path(StagedCommit.readable(dir, conf), ReportWriter.REPORT_JSON);
    try {
      FileSystem fs = file.getFileSystem(conf);
      try (InputStream in = fs.open(file)) {
        return JSON.readValue(in, EvaluationReport.class);
      }
    } catch (FileNotFoundException e) {
      throw new IllegalArgumentException(dir + " is not a report directory of tracecast "
          + "evaluate: no " + ReportWriter.REPORT_JSON, e);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
