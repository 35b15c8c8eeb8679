package io.tracecast.evaluation.scoring;

import java.io.Serializable;
import java.sql.Timestamp;

/**
 * One forecast of one value, in original units: what a model (neural or baseline) predicted for
 * {@code target} of a series at {@code targetTime}, made {@code step} steps ahead of the window's
 * last input. A Spark bean (Spark 3.5's encoders take beans, not records).
 *
 * <p>{@code quantiles} holds the forecasts of the model's quantile levels, ascending, or is null
 * for a point forecaster; {@code point} is then the level closest to 0.5. {@code provision} is
 * what a provisioner would buy from this forecast before headroom: the 0.9 quantile when the
 * model has one, else the point forecast. {@code intervals} holds the conformal bounds, {@code
 * [lo, hi]} per interval level in level order and clipped to the target's range, once the
 * forecast has been calibrated ({@link ConformalBands#attach}, {@link RollingBands}); null
 * before that or where its key has no band.
 */
public final class ForecastRow implements Serializable {
  private String jobId;
  private String seriesId;
  private String split;
  private String target;
  private int step;
  private Timestamp targetTime;
  private String model;
  private int version;
  private String family;
  private double actual;
  private double point;
  private double[] quantiles;
  private double provision;
  private double[] intervals;

  public ForecastRow() {}

  @SuppressWarnings("checkstyle:ParameterNumber")
  public ForecastRow(String jobId, String seriesId, String split, String target, int step,
      long targetMillis, String model, int version, String family, double actual, double point,
      double[] quantiles, double provision) {
    this.jobId = jobId;
    this.seriesId = seriesId;
    this.split = split;
    this.target = target;
    this.step = step;
    this.targetTime = new Timestamp(targetMillis);
    this.model = model;
    this.version = version;
    this.family = family;
    this.actual = actual;
    this.point = point;
    this.quantiles = quantiles;
    this.provision = provision;
  }

  public String getJobId() { return jobId; }
  public void setJobId(String v) { jobId = v; }
  public String getSeriesId() { return seriesId; }
  public void setSeriesId(String v) { seriesId = v; }
  public String getSplit() { return split; }
  public void setSplit(String v) { split = v; }
  public String getTarget() { return target; }
  public void setTarget(String v) { target = v; }
  public int getStep() { return step; }
  public void setStep(int v) { step = v; }
  public Timestamp getTargetTime() { return targetTime; }
  public void setTargetTime(Timestamp v) { targetTime = v; }
  public String getModel() { return model; }
  public void setModel(String v) { model = v; }
  public int getVersion() { return version; }
  public void setVersion(int v) { version = v; }
  public String getFamily() { return family; }
  public void setFamily(String v) { family = v; }
  public double getActual() { return actual; }
  public void setActual(double v) { actual = v; }
  public double getPoint() { return point; }
  public void setPoint(double v) { point = v; }
  public double[] getQuantiles() { return quantiles; }
  public void setQuantiles(double[] v) { quantiles = v; }
  public double getProvision() { return provision; }
  public void setProvision(double v) { provision = v; }
  public double[] getIntervals() { return intervals; }
  public void setIntervals(double[] v) { intervals = v; }

  /** This forecast with {@code bounds} as its intervals (a copy: rows are never shared). */
  public ForecastRow withIntervals(double[] bounds) {
    ForecastRow out = new ForecastRow(jobId, seriesId, split, target, step, targetTime.getTime(),
        model, version, family, actual, point, quantiles, provision);
    out.setIntervals(bounds);
    return out;
  }
}
