package io.tracecast.etl.dataset;

import java.io.Serializable;
import java.sql.Timestamp;

/**
 * Spark bean for one window row (a bean, because Spark 3.5's encoders take beans, not records);
 * inputs and targets are {@link Float32Codec} bytes.
 */
public final class WindowRecord implements Serializable {
  private String jobId;
  private String seriesId;
  private int segment;
  private Timestamp endTime;
  private byte[] inputs;
  private byte[] targets;
  private String split;

  public WindowRecord() {}

  public WindowRecord(String jobId, String seriesId, int segment, long endMicros, float[] inputs,
      float[] targets, String split) {
    this.jobId = jobId;
    this.seriesId = seriesId;
    this.segment = segment;
    this.endTime = new Timestamp(Math.floorDiv(endMicros, 1000));
    this.inputs = Float32Codec.encode(inputs);
    this.targets = Float32Codec.encode(targets);
    this.split = split;
  }

  public String getJobId() { return jobId; }
  public void setJobId(String v) { jobId = v; }
  public String getSeriesId() { return seriesId; }
  public void setSeriesId(String v) { seriesId = v; }
  public int getSegment() { return segment; }
  public void setSegment(int v) { segment = v; }
  public Timestamp getEndTime() { return endTime; }
  public void setEndTime(Timestamp v) { endTime = v; }
  public byte[] getInputs() { return inputs; }
  public void setInputs(byte[] v) { inputs = v; }
  public byte[] getTargets() { return targets; }
  public void setTargets(byte[] v) { targets = v; }
  public String getSplit() { return split; }
  public void setSplit(String v) { split = v; }
}
