package io.tracecast.etl.source;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The canonical usage metrics every reader maps its trace onto. Units are per source and are
 * written into the manifest; the table below is the contract.
 *
 * <pre>
 * metric      bitbrains            google2019/2011          azure          alibaba
 * cpu         fraction of VM cap   fraction of largest mach fraction (avg)  fraction of machine
 * cpu_max     -                    fraction of largest mach fraction (max)  -
 * memory      fraction of VM cap   fraction of largest mach -              fraction of machine
 * disk_io     -                    disk I/O time s/s (2011) -              fraction of time busy
 * disk_read   KB/s                 -                        -              -
 * disk_write  KB/s                 -                        -              -
 * net_in      KB/s                 -                        -              normalized 0..100
 * net_out     KB/s                 -                        -              normalized 0..100
 * </pre>
 */
public enum Metric {
  CPU, CPU_MAX, MEMORY, DISK_IO, DISK_READ, DISK_WRITE, NET_IN, NET_OUT;

  /** Column name in the series table and the manifest, e.g. {@code cpu_max}. */
  public String column() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the metric is a share of a capacity (and so checked against it). */
  public boolean isFraction() {
    return this == CPU || this == CPU_MAX || this == MEMORY;
  }

  /**
   * The least value the metric can physically take, in its units: every usage metric (a share
   * of capacity, a rate, a busy fraction) is at least 0. Forecasts are clipped to it.
   */
  public double physicalMin() {
    return 0.0;
  }

  public static Metric fromColumn(String column) {
    for (Metric m : values()) {
      if (m.column().equals(column)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown metric '" + column + "', expected one of " + columns(Arrays.asList(values())));
  }

  public static List<String> columns(List<Metric> metrics) {
    return metrics.stream().map(Metric::column).toList();
  }
}
