package io.tracecast.training.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.training.TrainingFixtures;
import io.tracecast.training.config.PatternSettings;
import io.tracecast.training.pattern.SyntheticPatterns.Family;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Five series of each of three known patterns, 4 days at 5 minutes, at levels three orders of
 * magnitude apart; one job ("mixed") holds a daily series and a shorter flat one.
 */
class PatternClusteringTest {
  private static final int STEPS = 4 * SyntheticPatterns.STEPS_PER_DAY;
  private static final String DATASET = "synthetic";
  private static final Map<Family, List<SeriesKey>> FAMILIES = new EnumMap<>(Family.class);
  private static Dataset<Row> table;
  private static PatternModel model;

  @BeforeAll
  static void fit() {
    List<Row> rows = new ArrayList<>();
    for (Family f : Family.values()) {
      FAMILIES.put(f, new ArrayList<>());
      for (int i = 0; i < SyntheticPatterns.LEVELS.length; i++) {
        boolean mixed = i == 4 && f != Family.BURSTY;
        String job = mixed ? "mixed" : f.name().toLowerCase() + "-" + i;
        String series = mixed ? f.name().toLowerCase() : "s0";
        // The mixed job's flat series is half as long: the daily one holds most of its points.
        int steps = mixed && f == Family.FLAT ? STEPS / 2 : STEPS;
        rows.addAll(SyntheticPatterns.rows(job, series,
            SyntheticPatterns.values(f, SyntheticPatterns.LEVELS[i], steps, seed(f, i))));
        FAMILIES.get(f).add(new SeriesKey(DATASET, job, series));
      }
    }
    table = SyntheticPatterns.frame(TrainingFixtures.spark(), rows).cache();
    model = PatternClustering.fit(List.of(source(table)), PatternSettings.defaults());
  }

  private static long seed(Family f, int i) {
    return 100 + 10 * f.ordinal() + i;
  }

  private static SeriesSource source(Dataset<Row> t) {
    return new SeriesSource(DATASET, t, "cpu", SyntheticPatterns.STEP_SECONDS);
  }

  private static int patternOf(SeriesKey s) {
    return model.patterns().stream().filter(p -> p.members().contains(s)).findFirst()
        .orElseThrow().index();
  }

  @Test
  void silhouettePicksThreePatternsAndEachFamilyIsOnePattern() {
    assertEquals(3, model.k(), "silhouettes " + model.silhouetteByK());
    assertEquals(Set.of(2, 3, 4, 5, 6), model.silhouetteByK().keySet());
    assertEquals(model.silhouetteByK().get(3),
        Collections.max(model.silhouetteByK().values()));
    Set<Integer> seen = new HashSet<>();
    for (Family f : Family.values()) {
      int p = patternOf(FAMILIES.get(f).get(0));
      for (SeriesKey s : FAMILIES.get(f)) {
        assertEquals(p, patternOf(s), f + ": " + s);
      }
      assertTrue(seen.add(p), f + " shares pattern " + p + " with another family");
      assertEquals(new HashSet<>(FAMILIES.get(f)),
          new HashSet<>(model.patterns().get(p).members()));
    }
  }

  @Test
  void aJobTakesThePatternHoldingMostOfItsTrainPoints() {
    int daily = patternOf(FAMILIES.get(Family.DAILY).get(0));
    assertEquals(daily, model.patternOf(DATASET, "mixed"));
    assertEquals(patternOf(FAMILIES.get(Family.BURSTY).get(2)),
        model.patternOf(DATASET, "bursty-2"));
    assertEquals(14, model.jobs().size());
  }

  @Test
  void assignOnTheDriverAgreesWithKMeansOnEveryFullSeries() {
    List<SignatureRow> rows = SignatureTable.of(source(table)).collectAsList();
    assertEquals(15, rows.size());
    for (SignatureRow r : rows) {
      assertEquals(patternOf(r.key()), model.assign(r.signature()), r.key().toString());
    }
  }

  @Test
  void assignsANewSeriesFromItsFirstSixHoursToItsFamily() {
    int sixHours = 6 * 12;
    for (Family f : Family.values()) {
      for (double level : new double[] {0.05, 7}) {
        double[] v = SyntheticPatterns.values(f, level, sixHours, 999 + f.ordinal());
        PatternSignature s = PatternSignature.ofValues(v, SyntheticPatterns.times(sixHours),
            SyntheticPatterns.STEP_SECONDS);
        assertEquals(patternOf(FAMILIES.get(f).get(0)), model.assign(s), f + " at " + level
            + ": " + s);
      }
    }
  }

  @Test
  void signsOnlyTheTrainSplitOfTheTarget() {
    // Blow up every validation and test point: no signature may move.
    Dataset<Row> leaky = table.withColumn("cpu", org.apache.spark.sql.functions
        .when(table.col("split").equalTo("train"), table.col("cpu"))
        .otherwise(table.col("cpu").multiply(1000)));
    SeriesKey key = FAMILIES.get(Family.DAILY).get(1);
    SignatureRow row = SignatureTable.of(source(leaky)).collectAsList().stream()
        .filter(r -> r.key().equals(key)).findFirst().orElseThrow();
    double[] all = SyntheticPatterns.values(Family.DAILY, SyntheticPatterns.LEVELS[1], STEPS,
        seed(Family.DAILY, 1));
    int train = (int) (0.7 * STEPS);
    assertEquals(PatternSignature.ofValues(Arrays.copyOf(all, train),
        SyntheticPatterns.times(train), SyntheticPatterns.STEP_SECONDS), row.signature());
  }

  @Test
  void dailyProfileOfThePatternIsTheSineAndFlatOnesStayNearZero() {
    List<Double> daily = model.patterns().get(patternOf(FAMILIES.get(Family.DAILY).get(0)))
        .dailyProfile();
    // sin(2 pi t / day) peaks at 06:00 UTC and bottoms at 18:00; amplitude ~ sqrt(2).
    assertEquals(5, daily.indexOf(Collections.max(daily)), 1);
    assertEquals(17, daily.indexOf(Collections.min(daily)), 1);
    assertEquals(Math.sqrt(2), Collections.max(daily), 0.15);
    List<Double> flat = model.patterns().get(patternOf(FAMILIES.get(Family.FLAT).get(0)))
        .dailyProfile();
    assertTrue(flat.stream().allMatch(x -> Math.abs(x) < 0.5), flat.toString());
  }

  @Test
  void theFittedModelRoundTripsThroughJson() {
    PatternModel back = PatternModel.fromJson(model.toJson());
    assertEquals(model, back);
    for (SeriesKey s : FAMILIES.get(Family.BURSTY)) {
      assertEquals(patternOf(s), back.patternOf(s.dataset(), s.jobId()));
    }
  }

  @Test
  void fixedKAndSingleSeriesNeedNoSilhouette() {
    PatternModel two = PatternClustering.fit(List.of(source(table)),
        new PatternSettings(Optional.of(2), 6, 7));
    assertEquals(2, two.k());
    assertEquals(Set.of(2), two.silhouetteByK().keySet());
    Dataset<Row> one = table.where("job_id = 'flat-0'");
    PatternModel single = PatternClustering.fit(List.of(source(one)), PatternSettings.defaults());
    assertEquals(1, single.k());
    assertEquals(Map.of(), single.silhouetteByK());
    assertEquals(0, single.patternOf(DATASET, "flat-0"));
  }

  @Test
  void keysSeriesByDatasetAcrossSeveralTablesAndRejectsTwoOfOneName() {
    Dataset<Row> daily = table.where("job_id like 'daily%'");
    Dataset<Row> flat = table.where("job_id like 'flat%'");
    PatternModel m = PatternClustering.fit(List.of(
        new SeriesSource("a", daily, "cpu", SyntheticPatterns.STEP_SECONDS),
        new SeriesSource("b", flat, "cpu", SyntheticPatterns.STEP_SECONDS)),
        new PatternSettings(Optional.of(2), 6, 7));
    assertEquals(8, m.jobs().size());
    for (int i = 0; i < 4; i++) {
      assertEquals(m.patternOf("a", "daily-0"), m.patternOf("a", "daily-" + i));
      assertEquals(m.patternOf("b", "flat-0"), m.patternOf("b", "flat-" + i));
    }
    assertNotEquals(m.patternOf("a", "daily-0"), m.patternOf("b", "flat-0"));
    assertThrows(IllegalArgumentException.class, () -> m.patternOf("b", "daily-0"));
    assertThrows(IllegalArgumentException.class, () -> PatternClustering.fit(
        List.of(source(daily), source(flat)), PatternSettings.defaults()));
  }
}
