package io.tracecast.evaluation.report;

/**
 * The one home of "MAE vs persistence at each horizon step": a model's step-h MAE over
 * persistence's step-h MAE in the same job group (persistence forecasts every step with the
 * origin's value). Used by {@code steps.csv}, the Markdown step table and the error-curve plot.
 */
final class StepCurves {
  private StepCurves() {}

  /** Persistence's MAE per step (index h - 1) in {@code job}'s group; NaN where it has none. */
  static double[] persistenceMae(JobRanking job) {
    return job.rows().stream()
        .filter(r -> ComparisonTable.PERSISTENCE.equals(r.score().model())
            && !r.score().family().trained())
        .findFirst().map(r -> mae(r.score())).orElse(new double[0]);
  }

  /** The model's MAE per step (index h - 1); NaN at a step it was not scored on. */
  static double[] mae(ModelScore s) {
    int horizon = s.steps().stream().mapToInt(StepScore::step).max().orElse(0);
    double[] out = new double[horizon];
    java.util.Arrays.fill(out, Double.NaN);
    s.steps().forEach(st -> out[st.step() - 1] = st.point().mae());
    return out;
  }

  /** {@link #mae} over {@code persistence} step by step; NaN where either is missing. */
  static double[] maeVsPersistence(ModelScore s, double[] persistence) {
    double[] mae = mae(s);
    double[] out = new double[mae.length];
    for (int h = 0; h < mae.length; h++) {
      out[h] = h < persistence.length ? mae[h] / persistence[h] : Double.NaN;
    }
    return out;
  }
}
