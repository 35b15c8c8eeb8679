package io.tracecast.etl.source;

import io.tracecast.etl.feature.CalendarFeature;
import io.tracecast.etl.quarantine.Reason;
import io.tracecast.etl.quarantine.RowRejectedException;
import java.time.Instant;
import java.util.List;

/**
 * Alibaba cluster-trace-v2018 {@code machine_usage}: no header,
 * {@code machine_id,time_stamp,cpu_util_percent,mem_util_percent,mem_gps,mkpi,net_in,net_out,disk_io_percent},
 * seconds from the trace start at irregular ~10 s steps. {@code disk_io_percent} of -1 or 101
 * marks an abnormal reading: it becomes a missing value (counted), not a rejected row.
 * Series = machine; job = machine, or the group {@link MachineGrouping} gives it
 * ({@code tracecast.etl.sources.alibaba.grouping}).
 */
public final class AlibabaFormat implements TraceFormat {
  private static final int FIELDS = 9;

  @Override
  public String name() {
    return "alibaba";
  }

  @Override
  public List<Metric> metrics() {
    return List.of(Metric.CPU, Metric.MEMORY, Metric.DISK_IO, Metric.NET_IN, Metric.NET_OUT);
  }

  @Override
  public List<String> units() {
    return List.of(
        "fraction of machine CPU", "fraction of machine memory", "fraction of time busy",
        "normalized 0..100", "normalized 0..100");
  }

  @Override
  public boolean seriesPerFile() {
    return false;
  }

  @Override
  public SourceDefaults defaults() {
    // cluster-trace-v2018 publishes no absolute start date: epoch 0, so weekdays are relative.
    // machine_usage names no job: each machine is its own unless the grouping says otherwise.
    return SourceDefaults.groupingMachines(
        List.of(Metric.CPU, Metric.MEMORY, Metric.NET_IN, Metric.NET_OUT),
        CalendarFeature.DAY_AND_WEEK, List.of(Metric.CPU), Instant.EPOCH, MachineGrouping.MACHINE);
  }

  @Override
  public RowParser newParser(String file, SourceContext context) {
    DelimitedLine fields = new DelimitedLine(',');
    double[] values = new double[5];
    return new RowParser() {
      @Override
      public void parse(long lineNumber, String line, RowSink sink) throws RowRejectedException {
        fields.split(line);
        // files concatenated by hand may carry a header on any line
        if (fields.size() > 1 && fields.field(1).equals("time_stamp")) {
          throw new RowRejectedException(Reason.HEADER_IN_BODY, "header line in a headerless trace");
        }
        fields.requireFields(FIELDS);
        String machine = fields.id(0, "machine_id");
        long seconds = fields.time(1, "time_stamp");
        values[0] = fields.optionalNumber(2, "cpu_util_percent") / 100.0;
        values[1] = fields.optionalNumber(3, "mem_util_percent") / 100.0;
        double disk = fields.optionalNumber(8, "disk_io_percent");
        if (disk == -1 || disk == 101) {
          sink.note("abnormalDiskValuesNulled");
          disk = Double.NaN;
        }
        values[2] = disk / 100.0;
        values[3] = fields.optionalNumber(6, "net_in");
        values[4] = fields.optionalNumber(7, "net_out");
        sink.accept(context.machineGrouping().jobOf(machine, sink), machine,
            DelimitedLine.micros(context.timeOriginMicros(), seconds, 1_000_000L, "time_stamp"),
            values);
      }
    };
  }
}
