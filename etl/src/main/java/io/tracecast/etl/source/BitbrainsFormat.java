package io.tracecast.etl.source;

import io.tracecast.etl.feature.CalendarFeature;
import io.tracecast.etl.quarantine.BadFileException;
import io.tracecast.etl.quarantine.Reason;
import io.tracecast.etl.quarantine.RowRejectedException;
import java.time.Instant;
import java.util.List;

/**
 * GWA-T-12 Bitbrains per-VM files: a header, then {@code ;}+tab separated fields. The
 * {@code Timestamp [ms]} column holds Unix seconds despite its label. Job = the file's folder
 * (the month, e.g. {@code 2013-7}), series = the VM (file name without extensions).
 */
public final class BitbrainsFormat implements TraceFormat {
  static final String HEADER_START = "Timestamp [ms]";
  private static final int FIELDS = 11;

  @Override
  public String name() {
    return "bitbrains";
  }

  @Override
  public List<Metric> metrics() {
    return List.of(
        Metric.CPU, Metric.MEMORY, Metric.DISK_READ, Metric.DISK_WRITE, Metric.NET_IN,
        Metric.NET_OUT);
  }

  @Override
  public List<String> units() {
    return List.of(
        "fraction of provisioned CPU", "fraction of provisioned memory", "KB/s", "KB/s", "KB/s",
        "KB/s");
  }

  @Override
  public boolean seriesPerFile() {
    return true;
  }

  @Override
  public SourceDefaults defaults() {
    // The timestamps are Unix seconds: absolute, so relative time 0 is the epoch itself.
    return SourceDefaults.namingJobs(
        List.of(Metric.CPU, Metric.MEMORY, Metric.NET_IN, Metric.NET_OUT),
        CalendarFeature.DAY_AND_WEEK, List.of(Metric.CPU), Instant.EPOCH);
  }

  @Override
  public RowParser newParser(String file, SourceContext context) {
    String job = InputNames.parentName(file);
    String series = InputNames.baseName(file);
    DelimitedLine fields = new DelimitedLine(';');
    double[] values = new double[6];
    return new RowParser() {
      private boolean headerSeen;

      @Override
      public void parse(long lineNumber, String line, RowSink sink) throws RowRejectedException {
        if (line.startsWith(HEADER_START)) {
          if (headerSeen) {
            throw new RowRejectedException(Reason.HEADER_IN_BODY, "header repeated");
          }
          headerSeen = true;
          return;
        }
        if (!headerSeen) {
          throw new BadFileException(
              file, Reason.WRONG_FORMAT, "line 1 is not a Bitbrains header ('" + HEADER_START
                  + ";...')", null);
        }
        fields.split(line).requireFields(FIELDS);
        long seconds = fields.time(0, "timestamp");
        double cpuCapacity = fields.number(2, "CPU capacity provisioned");
        double cpuPercent = fields.number(4, "CPU usage [%]");
        double memCapacity = fields.number(5, "memory capacity provisioned");
        double memUsage = fields.number(6, "memory usage");
        // CPU usage [%] is relative to the provisioned MHz: without them it is no reading
        if (cpuCapacity <= 0) {
          throw new RowRejectedException(
              Reason.INVALID_CAPACITY, "CPU capacity provisioned is " + cpuCapacity
                  + " (the VM was not provisioned at this time)");
        }
        if (memCapacity <= 0) {
          throw new RowRejectedException(
              Reason.INVALID_CAPACITY, "memory capacity provisioned is " + memCapacity
                  + " (the VM was not provisioned at this time)");
        }
        values[0] = cpuPercent / 100.0;
        values[1] = memUsage / memCapacity;
        values[2] = fields.optionalNumber(7, "disk read throughput");
        values[3] = fields.optionalNumber(8, "disk write throughput");
        values[4] = fields.optionalNumber(9, "network received throughput");
        values[5] = fields.optionalNumber(10, "network transmitted throughput");
        sink.accept(job, series, DelimitedLine.micros(0, seconds, 1_000_000L, "timestamp"), values);
      }
    };
  }
}
