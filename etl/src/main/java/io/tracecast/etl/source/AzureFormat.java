package io.tracecast.etl.source;

import io.tracecast.etl.feature.CalendarFeature;
import io.tracecast.etl.quarantine.Reason;
import io.tracecast.etl.quarantine.RowRejectedException;
import java.time.Instant;
import java.util.List;

/**
 * Azure public dataset {@code vm_cpu_readings} shards (V1 2017 and V2 2019 share the layout):
 * no header, {@code timestamp,vm id,min cpu,max cpu,avg cpu}, seconds from the trace start,
 * CPU in percent. VM ids may be the published base64 hashes or short numbers; {@code min cpu}
 * may be empty. With a vmtable, job = the VM's deployment id (VMs missing from the table keep
 * their own id as job and are counted); without one, job = the VM.
 */
public final class AzureFormat implements TraceFormat {
  private static final int FIELDS = 5;
  /** Percent readings a little above 100 occur from rounding; further is not a reading. */
  private static final double PERCENT_TOLERANCE = 1e-6;

  @Override
  public String name() {
    return "azure";
  }

  @Override
  public List<Metric> metrics() {
    return List.of(Metric.CPU, Metric.CPU_MAX);
  }

  @Override
  public List<String> units() {
    return List.of("fraction of the VM's CPU (average)", "fraction of the VM's CPU (maximum)");
  }

  @Override
  public boolean seriesPerFile() {
    return false;
  }

  @Override
  public SourceDefaults defaults() {
    // The Azure V1/V2 traces publish no absolute start date: epoch 0, so weekdays are relative.
    return SourceDefaults.namingJobs(List.of(Metric.CPU, Metric.CPU_MAX),
        CalendarFeature.DAY_AND_WEEK, List.of(Metric.CPU), Instant.EPOCH);
  }

  @Override
  public RowParser newParser(String file, SourceContext context) {
    DelimitedLine fields = new DelimitedLine(',');
    double[] values = new double[2];
    return (lineNumber, line, sink) -> {
      fields.split(line).requireFields(FIELDS);
      long seconds = fields.time(0, "timestamp");
      String vm = fields.id(1, "vm id");
      double min = fields.optionalNumber(2, "min cpu");
      double max = fields.number(3, "max cpu");
      double avg = fields.number(4, "avg cpu");
      if (min > max + PERCENT_TOLERANCE || avg > max + PERCENT_TOLERANCE
          || (!Double.isNaN(min) && avg < min - PERCENT_TOLERANCE)) {
        throw new RowRejectedException(
            Reason.MIN_ABOVE_MAX, "min " + min + ", avg " + avg + ", max " + max + " out of order");
      }
      String job = vm;
      if (!context.vmTable().isEmpty()) {
        SourceContext.VmInfo info = context.vmTable().get(vm);
        if (info == null) {
          sink.note("vmsMissingFromVmTable");
        } else {
          job = info.deploymentId();
        }
      }
      values[0] = avg / 100.0;
      values[1] = max / 100.0;
      sink.accept(job, vm,
          DelimitedLine.micros(context.timeOriginMicros(), seconds, 1_000_000L, "timestamp"),
          values);
    };
  }
}
