package io.tracecast.training.pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PatternModelTest {
  private static final int D = PatternSignature.FEATURES.size();
  private static final SeriesKey A = new SeriesKey("google2019", "job-1", "task-0");
  private static final SeriesKey B = new SeriesKey("google2019", "job-2", "task-0");

  /** Scaler mean 0.5 and std 2 everywhere except cv, whose std is 0 (a constant feature). */
  private static PatternModel model(List<Double> c0, List<Double> c1) {
    List<Double> std = new ArrayList<>(Collections.nCopies(D, 2.0));
    std.set(0, 0.0);
    return new PatternModel(PatternSignature.FEATURES, Collections.nCopies(D, 0.5), std,
        PatternSignature.WEIGHTS, List.of(
            new PatternModel.Pattern(0, c0, Collections.nCopies(24, 0.0), List.of(A)),
            new PatternModel.Pattern(1, c1, Collections.nCopies(24, 0.1), List.of(B))),
        List.of(new PatternModel.JobPattern("google2019", "job-1", 0),
            new PatternModel.JobPattern("google2019", "job-2", 1)),
        Map.of(2, 0.61), 7);
  }

  private static List<Double> centroid(int index, double value) {
    List<Double> c = new ArrayList<>(Collections.nCopies(D, 0.0));
    c.set(index, value);
    return c;
  }

  private static PatternSignature signature(double cv, double acf1, double acfDay) {
    double[] profile = new double[24];
    Arrays.fill(profile, 0.5);
    return new PatternSignature(3, cv, acf1, acfDay, 0.5, profile, 100);
  }

  @Test
  void assignStandardisesLikeSparkAndSkipsUnknownCoordinates() {
    // Centroid 1 sits at acf_lag1 = (0.9 - 0.5) / 2 = 0.2 standardised; centroid 0 at 0. Every
    // other coordinate of the signature standardises to 0 (its value is the mean, 0.5), cv to 0
    // whatever its value (std 0).
    PatternModel m = model(centroid(1, 0.0), centroid(1, 0.2));
    assertEquals(1, m.assign(signature(9.0, 0.9, 0.5)));
    assertEquals(0, m.assign(signature(9.0, 0.5, 0.5)));
    // An acf_day far on centroid 0's side outweighs acf_lag1 when measured...
    List<Double> c1 = centroid(1, 0.2);
    c1.set(2, 1.0);
    PatternModel day = model(centroid(1, 0.0), c1);
    assertEquals(0, day.assign(signature(1, 0.9, 0.5)), "acf_day 0 vs 1: centroid 0");
    // ...and counts for nothing when the series was too short to measure it.
    assertEquals(1, day.assign(signature(1, 0.9, Double.NaN)));
  }

  @Test
  void equalDistancesGoToTheLowerPattern() {
    // Binary fractions, so the two distances are exactly equal: (1 - 0.5) / 2 = 0.25.
    PatternModel m = model(centroid(1, 0.0), centroid(1, 0.5));
    assertEquals(0, m.assign(signature(1, 1.0, 0.5)), "0.25 is 0.25 from both centroids");
  }

  @Test
  void roundTripsThroughJson() {
    PatternModel m = model(centroid(1, 0.1), centroid(3, -0.25));
    PatternModel back = PatternModel.fromJson(m.toJson());
    assertEquals(m, back);
    assertEquals(2, back.k());
    assertEquals(1, back.patternOf("google2019", "job-2"));
  }

  @Test
  void rejectsInconsistentModels() {
    assertThrows(IllegalArgumentException.class, () -> new PatternModel(
        PatternSignature.FEATURES, List.of(0.0), List.of(1.0), PatternSignature.WEIGHTS,
        List.of(), List.of(), Map.of(), 7));
    PatternModel m = model(centroid(1, 0.1), centroid(3, -0.25));
    assertThrows(IllegalArgumentException.class, () -> new PatternModel(m.features(),
        m.scalerMean(), m.scalerStd(), m.weights(), m.patterns(),
        List.of(new PatternModel.JobPattern("google2019", "job-3", 2)), Map.of(), 7));
    assertThrows(IllegalArgumentException.class, () -> new PatternModel(m.features(),
        m.scalerMean(), m.scalerStd(), m.weights(), List.of(m.patterns().get(0),
            new PatternModel.Pattern(1, m.patterns().get(1).centroid(),
                m.patterns().get(1).dailyProfile(), List.of(A))), List.of(), Map.of(), 7));
    assertThrows(java.io.UncheckedIOException.class, () -> PatternModel.fromJson("{}"));
  }

  @Test
  void majorityTiesGoToTheLowerIndexAndProfilesAverageKnownHours() {
    assertEquals(1, PatternAssembly.majority(new long[] {5, 7, 7}));
    double[] a = new double[24];
    double[] b = new double[24];
    Arrays.fill(a, 1);
    Arrays.fill(b, Double.NaN);
    b[0] = 3;
    double[] expected = new double[24];
    Arrays.fill(expected, 1);
    expected[0] = 2;
    assertArrayEquals(expected, PatternAssembly.meanProfile(List.of(a, b)), 1e-12);
  }
}
