package io.tracecast.training.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search without training: a synthetic objective with a known minimum. */
class SearchTest {
  private static final int MAX_EPOCHS = 10;

  @TempDir
  Path tmp;

  private List<Trial> search(Sampler sampler, long seed, int trials, int parallelism,
      MedianStopping pruner, List<Map<String, Object>> enqueued, String log) {
    // In memory: the local Hadoop file system forks a chmod per file written.
    TrialLog trialLog = log == null ? TrialLog.inMemory()
        : TrialLog.open(tmp.resolve(log).toString(), new Configuration());
    return new AsyncSearch(SyntheticObjective.SPACE, sampler, trialLog, enqueued, seed)
        .run(trials, parallelism, (n, p, refs, best) ->
            SyntheticObjective.train(n, p, refs, pruner, MAX_EPOCHS));
  }

  private static double best(List<Trial> trials) {
    return trials.stream().filter(Trial::scored).mapToDouble(Trial::objective).min()
        .orElseThrow();
  }

  @Test
  void tpeReachesABetterValueThanRandomSearchInAtLeastEightOfTenSeeds() {
    int wins = 0;
    List<String> pairs = new ArrayList<>();
    for (long seed = 1; seed <= 10; seed++) {
      double tpe = best(search(new TpeSampler(), seed, 50, 1, null, List.of(), null));
      double random = best(search(new RandomSampler(), seed, 50, 1, null, List.of(),
          null));
      pairs.add(String.format("%.3f vs %.3f", tpe, random));
      if (tpe < random) {
        wins++;
      }
    }
    assertTrue(wins >= 8, "TPE better in " + wins + "/10 seeds: " + pairs);
  }

  @Test
  void medianStoppingStopsADeliberatelyBadTrialAndItsSlotGoesToTheNextTrial() {
    MedianStopping pruner = new MedianStopping(3, 4);
    List<Map<String, Object>> enqueued = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      enqueued.add(params(1.9 - 0.1 * i, -2, 1e-3, 100, "c")); // each better than the last
    }
    // Trial 5 is far from the minimum; with 2 in flight, at least trials 0-3 have finished when
    // it starts, enough references for the rule.
    enqueued.add(params(-5, 5, 1e-5, 1, "a"));
    List<Trial> trials = search(new RandomSampler(), 7, 12, 2, pruner, enqueued, "pruned");

    assertEquals(12, trials.size());
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),
        trials.stream().map(Trial::number).toList(), "every slot ran a trial");
    Trial bad = trials.get(5);
    assertEquals(Trial.Status.PRUNED, bad.status());
    assertEquals(4, bad.epochs().size(), "stopped at the first epoch after the warm-up");
    int epochsRun = trials.stream().mapToInt(t -> t.epochs().size()).sum();
    assertTrue(epochsRun < 12 * MAX_EPOCHS, "pruning saved epochs: " + epochsRun);
    for (int i = 0; i < 5; i++) {
      assertEquals(Trial.Status.COMPLETE, trials.get(i).status(), "good trial " + i);
    }
  }

  @Test
  void aKilledSearchResumesWithoutRepeatingCompletedTrials() {
    AtomicInteger calls = new AtomicInteger();
    TrialLog first = TrialLog.open(tmp.resolve("resume.jsonl").toString(), new Configuration());
    assertThrows(Killed.class, () -> new AsyncSearch(SyntheticObjective.SPACE,
        new TpeSampler(), first, List.of(), 3).run(8, 1, (n, p, refs, best) -> {
          if (calls.incrementAndGet() == 4) {
            throw new Killed(); // the driver dies during trial 3
          }
          return SyntheticObjective.train(n, p, refs, null, MAX_EPOCHS);
        }));
    List<Trial> before = TrialLog.open(first.path(), new Configuration()).trials();
    assertEquals(3, before.size());

    List<Integer> rerun = new ArrayList<>();
    TrialLog second = TrialLog.open(first.path(), new Configuration());
    List<Trial> after = new AsyncSearch(SyntheticObjective.SPACE, new TpeSampler(), second,
        List.of(), 3).run(8, 1, (n, p, refs, best) -> {
          rerun.add(n);
          return SyntheticObjective.train(n, p, refs, null, MAX_EPOCHS);
        });
    assertEquals(List.of(3, 4, 5, 6, 7), rerun, "only the trials not logged ran");
    assertEquals(8, after.size());
    for (int i = 0; i < 3; i++) {
      assertEquals(before.get(i).params(), after.get(i).params());
      assertEquals(before.get(i).objective(), after.get(i).objective(), 0);
    }
  }

  private static Map<String, Object> params(double x, double y, double lr, int n, String c) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("x", x);
    p.put("y", y);
    p.put("lr", lr);
    p.put("n", n);
    p.put("c", c);
    return p;
  }

  /** Stands for the driver process dying: an Error, which ends a search unrecorded. */
  private static final class Killed extends Error {
    private static final long serialVersionUID = 1L;
  }
}
