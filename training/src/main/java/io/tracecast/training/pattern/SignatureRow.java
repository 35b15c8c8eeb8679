package io.tracecast.training.pattern;

import java.io.Serializable;

/**
 * Spark bean carrying one series' {@link PatternSignature} between the executors that compute
 * it and the clustering: a bean because Spark cannot encode records. {@code vector} is
 * {@link PatternSignature#vector()}, the clustering input.
 */
public final class SignatureRow implements Serializable {
  private String dataset;
  private String jobId;
  private String seriesId;
  private long points;
  private double level;
  private double cv;
  private double acfLag1;
  private double acfDay;
  private double burstiness;
  private double[] profile;
  private double[] vector;

  public SignatureRow() {}

  static SignatureRow of(SeriesKey key, PatternSignature s) {
    SignatureRow r = new SignatureRow();
    r.dataset = key.dataset();
    r.jobId = key.jobId();
    r.seriesId = key.seriesId();
    r.points = s.points();
    r.level = s.level();
    r.cv = s.cv();
    r.acfLag1 = s.acfLag1();
    r.acfDay = s.acfDay();
    r.burstiness = s.burstiness();
    r.profile = s.dailyProfile();
    r.vector = s.vector();
    return r;
  }

  SeriesKey key() {
    return new SeriesKey(dataset, jobId, seriesId);
  }

  PatternSignature signature() {
    return new PatternSignature(level, cv, acfLag1, acfDay, burstiness, profile, points);
  }

  public String getDataset() { return dataset; }
  public void setDataset(String v) { dataset = v; }
  public String getJobId() { return jobId; }
  public void setJobId(String v) { jobId = v; }
  public String getSeriesId() { return seriesId; }
  public void setSeriesId(String v) { seriesId = v; }
  public long getPoints() { return points; }
  public void setPoints(long v) { points = v; }
  public double getLevel() { return level; }
  public void setLevel(double v) { level = v; }
  public double getCv() { return cv; }
  public void setCv(double v) { cv = v; }
  public double getAcfLag1() { return acfLag1; }
  public void setAcfLag1(double v) { acfLag1 = v; }
  public double getAcfDay() { return acfDay; }
  public void setAcfDay(double v) { acfDay = v; }
  public double getBurstiness() { return burstiness; }
  public void setBurstiness(double v) { burstiness = v; }
  public double[] getProfile() { return profile; }
  public void setProfile(double[] v) { profile = v; }
  public double[] getVector() { return vector; }
  public void setVector(double[] v) { vector = v; }
}
