package io.tracecast.etl.source;

import io.tracecast.etl.feature.CalendarFeature;
import io.tracecast.etl.quarantine.Reason;
import io.tracecast.etl.quarantine.RowRejectedException;
import java.time.Instant;
import java.util.List;

/**
 * Google ClusterData2011 {@code task_usage} part files: no header, 20 columns per the published
 * schema (0 start time µs, 1 end time µs, 2 job ID, 3 task index, 4 machine ID, 5 mean CPU
 * rate, 6 canonical memory usage, 7 assigned memory, 8 unmapped page cache, 9 total page
 * cache, 10 maximum memory usage, 11 mean disk I/O time, 12 local disk space, 13 maximum CPU
 * rate, 14 maximum disk I/O time, 15 CPI, 16 MAI, 17 sample portion, 18 aggregation type,
 * 19 sampled CPU usage). Usage is normalized to the largest machine. Job = job ID, series =
 * jobID-taskIndex.
 */
public final class Google2011Format implements TraceFormat {
  static final int FIELDS = 20;

  @Override
  public String name() {
    return "google2011";
  }

  @Override
  public List<Metric> metrics() {
    return List.of(Metric.CPU, Metric.CPU_MAX, Metric.MEMORY, Metric.DISK_IO);
  }

  @Override
  public List<String> units() {
    return List.of(
        "fraction of the largest machine's CPU", "fraction of the largest machine's CPU",
        "fraction of the largest machine's memory", "disk I/O seconds per second");
  }

  @Override
  public boolean seriesPerFile() {
    return false;
  }

  @Override
  public SourceDefaults defaults() {
    // ClusterData2011_2 starts at 19:00 EDT on 2011-05-01 (23:00Z), at trace time 600 s: so
    // trace time 0 is ten minutes earlier.
    return SourceDefaults.namingJobs(List.of(Metric.CPU, Metric.CPU_MAX, Metric.MEMORY),
        CalendarFeature.DAY_AND_WEEK, List.of(Metric.CPU), Instant.parse("2011-05-01T22:50:00Z"));
  }

  @Override
  public RowParser newParser(String file, SourceContext context) {
    DelimitedLine fields = new DelimitedLine(',');
    double[] values = new double[4];
    return (lineNumber, line, sink) -> {
      fields.split(line).requireFields(FIELDS);
      long start = fields.time(0, "start time");
      long end = fields.time(1, "end time");
      if (end < start) {
        throw new RowRejectedException(
            Reason.END_BEFORE_START, "end time " + end + " < start time " + start);
      }
      String job = fields.id(2, "job ID");
      String series = job + "-" + fields.id(3, "task index");
      values[0] = fields.optionalNumber(5, "mean CPU rate");
      values[1] = fields.optionalNumber(13, "maximum CPU rate");
      values[2] = fields.optionalNumber(6, "canonical memory usage");
      values[3] = fields.optionalNumber(11, "mean disk I/O time");
      long micros = DelimitedLine.micros(context.timeOriginMicros(), start, 1, "start time");
      sink.accept(job, series, micros, values);
    };
  }
}
