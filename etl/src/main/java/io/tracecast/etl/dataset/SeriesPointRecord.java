package io.tracecast.etl.dataset;

import java.io.Serializable;
import java.sql.Timestamp;

/**
 * Spark bean for one point of the series table. All canonical metrics are fields (null where
 * the source has none); the writer keeps only the source's metric columns. A bean, because
 * Spark's generated bean serializer is several times cheaper per row than generic Rows.
 */
public final class SeriesPointRecord implements Serializable {
  private String jobId;
  private String seriesId;
  private Timestamp ts;
  private int segment;
  private String split;
  private boolean interpolated;
  private Double cpu;
  private Double cpuMax;
  private Double memory;
  private Double diskIo;
  private Double diskRead;
  private Double diskWrite;
  private Double netIn;
  private Double netOut;

  public SeriesPointRecord() {}

  public String getJobId() { return jobId; }
  public void setJobId(String v) { jobId = v; }
  public String getSeriesId() { return seriesId; }
  public void setSeriesId(String v) { seriesId = v; }
  public Timestamp getTs() { return ts; }
  public void setTs(Timestamp v) { ts = v; }
  public int getSegment() { return segment; }
  public void setSegment(int v) { segment = v; }
  public String getSplit() { return split; }
  public void setSplit(String v) { split = v; }
  public boolean isInterpolated() { return interpolated; }
  public void setInterpolated(boolean v) { interpolated = v; }
  public Double getCpu() { return cpu; }
  public void setCpu(Double v) { cpu = v; }
  public Double getCpuMax() { return cpuMax; }
  public void setCpuMax(Double v) { cpuMax = v; }
  public Double getMemory() { return memory; }
  public void setMemory(Double v) { memory = v; }
  public Double getDiskIo() { return diskIo; }
  public void setDiskIo(Double v) { diskIo = v; }
  public Double getDiskRead() { return diskRead; }
  public void setDiskRead(Double v) { diskRead = v; }
  public Double getDiskWrite() { return diskWrite; }
  public void setDiskWrite(Double v) { diskWrite = v; }
  public Double getNetIn() { return netIn; }
  public void setNetIn(Double v) { netIn = v; }
  public Double getNetOut() { return netOut; }
  public void setNetOut(Double v) { netOut = v; }

  /** Sets a metric by its canonical column name; NaN (never observed) becomes null. */
  void setMetric(String column, double value) {
    Double v = Double.isNaN(value) ? null : value;
    switch (column) {
      case "cpu" -> cpu = v;
      case "cpu_max" -> cpuMax = v;
      case "memory" -> memory = v;
      case "disk_io" -> diskIo = v;
      case "disk_read" -> diskRead = v;
      case "disk_write" -> diskWrite = v;
      case "net_in" -> netIn = v;
      case "net_out" -> netOut = v;
      default -> throw new IllegalArgumentException("unknown metric column " + column);
    }
  }

  /** Bean property holding a canonical metric column, e.g. {@code cpu_max -> cpuMax}. */
  static String property(String column) {
    StringBuilder b = new StringBuilder();
    boolean upper = false;
    for (char c : column.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        b.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return b.toString();
  }
}
