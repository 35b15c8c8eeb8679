package io.tracecast.training.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.dataset.Manifest;
import io.tracecast.training.kind.ModelKind;
import io.tracecast.training.kind.ModelKinds;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingPlannerTest {
  private static final List<ModelKind> KINDS = kinds("lstm,gru");

  /** Never data-parallel: no network reaches the minimum. */
  private static final DataParallelRule PACKED = new DataParallelRule(Long.MAX_VALUE, 0.5, 2);

  private static DataParallelRule rule(long minWindows, double efficiency, int slots) {
    return new DataParallelRule(minWindows, efficiency, slots);
  }

  private static List<ModelKind> kinds(String ids) {
    return java.util.Arrays.stream(ids.split(",")).map(ModelKinds::parse).toList();
  }

  private static Manifest.SeriesEntry series(String job, String id, long train, long validation) {
    return new Manifest.SeriesEntry(job, id, 0, 1, null, null, null, null,
        Map.of("train", train, "validation", validation, "test", 5L), Map.of());
  }

  /** big: 600 + 500 train windows over two series; small: 300; tiny: 10; empty: none. */
  private static Manifest manifest() {
    return new Manifest(1, "2026-01-01T00:00:00Z", "test", "fp", "1970-01-01T00:00:00Z",
        List.of(), 300, 6, 1, 1, List.of("cpu"), List.of("cpu"), "float32le", Map.of(), 0.7, 0.15, "minmax",
        Map.of(), List.of(series("big", "a", 600, 100), series("big", "b", 500, 90),
            series("small", "c", 300, 50), series("tiny", "d", 10, 0),
            series("empty", "e", 0, 0)), null, List.of(), Map.of());
  }

  /** {@link #manifest()} with graphs: big of two nodes, small and tiny of one. */
  private static Manifest withGraphs() {
    Manifest m = manifest();
    return new Manifest(m.schemaVersion(), m.createdAt(), m.source(), m.fingerprint(),
        m.timeOrigin(), m.inputs(), m.stepSeconds(), m.lookback(), m.horizon(), m.stride(),
        m.features(), m.targets(), m.tensorEncoding(), m.units(), m.trainFraction(),
        m.validationFraction(), m.scalerKind(), m.scalers(), m.series(), m.counts(),
        m.skippedFiles(), m.settings(), m.seasonalLags(), m.normalisation(), m.targetBounds(),
        List.of(new Manifest.Graph("big", "big", List.of("a", "b"), Map.of(), 0),
            new Manifest.Graph("small", "small", List.of("c"), Map.of(), 0),
            new Manifest.Graph("tiny", "tiny", List.of("d"), Map.of(), 0)));
  }

  @Test
  void aGraphKindTrainsPackedOnJobsOfSeveralSeriesAndSaysWhyItSkipsTheOthers() {
    // every network eligible and 64 slots, but a graph network trains in one task
    TrainingPlan plan = TrainingPlanner.plan(withGraphs(), kinds("graph_gru,mlp"),
        List.of(), rule(1, 1.0, 64));
    assertEquals(List.of("big/graph_gru"),
        plan.tasks().stream().filter(t -> t.kind().architecture().equals(ModelKinds.GRAPH_GRU))
            .map(TrainingTask::id).toList());
    assertEquals(ExecutionMode.PACKED, plan.tasks().stream()
        .filter(t -> t.kind().architecture().equals(ModelKinds.GRAPH_GRU)).findFirst().orElseThrow().mode());
    assertTrue(plan.tasks().stream().anyMatch(t -> t.id().equals("small/mlp")),
        "the other kinds still train on one-series jobs");
    assertEquals("one series: no graph model (the other kinds still train)",
        plan.skipped().get("small (graph_gru)"));
    assertEquals(plan.skipped().get("small (graph_gru)"), plan.skipped().get("tiny (graph_gru)"));
    assertEquals("no train windows", plan.skipped().get("empty"));
    assertTrue(TrainingPlanner.plan(manifest(), kinds("graph_gru"), List.of(), PACKED)
        .skipped().get("big (graph_gru)").startsWith("no graphs in the manifest"));
  }

  @Test
  void sendsTheNetworksThatWouldOutlastTheOthersDataParallelWhenThatShortensTheRun() {
    // lstm and gru weigh 6.5 per window: big 7150 each, small 1950, tiny 65; 18330 in all.
    // On 4 slots packed, the run lasts as long as big's networks (7150); both big ones
    // data-parallel at efficiency 0.8: (4030 + 14300 / 0.8) / 4 = 5476. One alone does not help
    // (the other big one still takes 7150); small (300 < 1000 windows) may not.
    TrainingPlan plan = TrainingPlanner.plan(manifest(), KINDS, List.of(), rule(1000, 0.8, 4));
    assertEquals(List.of("big/lstm", "big/gru"),
        plan.tasks(ExecutionMode.DATA_PARALLEL).stream().map(TrainingTask::id).toList());
    // packed: largest first, every kind of a job
    assertEquals(List.of("small/lstm", "small/gru", "tiny/lstm", "tiny/gru"),
        plan.tasks(ExecutionMode.PACKED).stream().map(TrainingTask::id).toList());
    TrainingTask big = plan.tasks(ExecutionMode.DATA_PARALLEL).get(0);
    assertEquals(1100, big.trainWindows(), "summed over the job's series");
    assertEquals(190, big.validationWindows());
    assertEquals(Map.of("empty", "no train windows"), plan.skipped());
    // On 2 slots the two big networks already keep both slots busy: packed 9165 (the work
    // spread), one data-parallel (18330 - 7150 + 8937.5) / 2 = 10058, both 10952.
    assertTrue(TrainingPlanner.plan(manifest(), KINDS, List.of(), rule(1000, 0.8, 2))
        .tasks(ExecutionMode.DATA_PARALLEL).isEmpty());
  }

  @Test
  void theMakespanIsTheLongerOfTheSpreadWorkAndTheLongestPackedNetwork() {
    DataParallelRule r = rule(1, 0.5, 2);
    double[] costs = {10, 4, 2};
    assertEquals(10, r.makespan(costs, new boolean[] {false, false, false}), 1e-12);
    // 10 / 0.5 + 4 + 2 = 26 over 2 slots
    assertEquals(13, r.makespan(costs, new boolean[] {true, false, false}), 1e-12);
    // at efficiency 0.5 on 2 slots averaging never pays: the plan stays packed
    assertTrue(java.util.Arrays.equals(new boolean[3],
        r.choose(costs, new boolean[] {true, true, true})));
    // at 0.9 it does for the long one: (10 / 0.9 + 6) / 2 = 8.56 < 10
    assertTrue(java.util.Arrays.equals(new boolean[] {true, false, false},
        rule(1, 0.9, 2).choose(costs, new boolean[] {true, true, true})));
    // ... unless it may not
    assertTrue(java.util.Arrays.equals(new boolean[3],
        rule(1, 0.9, 2).choose(costs, new boolean[] {false, true, true})));
  }

  @Test
  void oneSlotNeverTrainsDataParallel() {
    assertTrue(TrainingPlanner.plan(manifest(), KINDS, List.of(), rule(1, 1.0, 1))
        .tasks(ExecutionMode.DATA_PARALLEL).isEmpty());
  }

  @Test
  void ordersPackedTasksByEstimatedCostSoAJobsKindsInterleaveWithOtherJobs() {
    // all packed; mlp weighs 1 and lstm 6.5 per window: big/lstm 7150, small/lstm 1950,
    // big/mlp 1100, small/mlp 300, tiny/lstm 65, tiny/mlp 10
    TrainingPlan plan = TrainingPlanner.plan(manifest(), kinds("mlp,lstm"), List.of(),
        PACKED);
    assertEquals(List.of("big/lstm", "small/lstm", "big/mlp", "small/mlp", "tiny/lstm",
            "tiny/mlp"),
        plan.tasks(ExecutionMode.PACKED).stream().map(TrainingTask::id).toList());
    assertEquals(7150, plan.tasks().get(0).estimatedCost(), 1e-9);
    assertEquals(ModelKinds.MLP.costPerWindow() * 300, plan.tasks().get(3).estimatedCost(), 1e-9);
  }

  @Test
  void onlyNetworksOfAtLeastTheMinimumWindowsMayTrainDataParallel() {
    assertTrue(TrainingPlanner.plan(manifest(), KINDS, List.of(), rule(1101, 1.0, 8))
        .tasks(ExecutionMode.DATA_PARALLEL).isEmpty());
    assertEquals(2, TrainingPlanner.plan(manifest(), KINDS, List.of(), rule(1100, 1.0, 8))
        .tasks(ExecutionMode.DATA_PARALLEL).size());
  }

  @Test
  void restrictsToRequestedJobsAndRejectsUnknownOnes() {
    // big/lstm alone would hold one slot for 7150 while tiny's takes 65: data-parallel
    TrainingPlan plan = TrainingPlanner.plan(manifest(), kinds("lstm"),
        List.of("tiny", "big"), rule(1000, 1.0, 2));
    assertEquals(List.of("tiny/lstm", "big/lstm"),
        plan.tasks().stream().map(TrainingTask::id).toList());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainingPlanner.plan(manifest(), KINDS, List.of("big", "nosuch"), PACKED));
    assertTrue(e.getMessage().contains("[nosuch]"), e.getMessage());
  }

  @Test
  void treesTrainPackedPerJobWhateverTheSizeAndPooledKindsAreOneUnitEach() {
    TrainingPlan plan = TrainingPlanner.plan(manifest(),
        kinds("gbt,mlp,gbt_global,mlp_tuned"), List.of(), rule(1000, 1.0, 2));
    assertEquals(ExecutionMode.PACKED, plan.tasks().stream()
        .filter(t -> t.id().equals("big/gbt")).findFirst().orElseThrow().mode());
    assertEquals(ExecutionMode.DATA_PARALLEL, plan.tasks().stream()
        .filter(t -> t.id().equals("big/mlp")).findFirst().orElseThrow().mode());
    assertEquals(List.of("gbt_global", "mlp_tuned"),
        plan.pooled().stream().map(PooledWork::id).toList());
    // every job's train windows at the kind's cost per window
    assertEquals(ModelKinds.GBT.costPerWindow() * (1100 + 300 + 10),
        plan.pooled().get(0).estimatedCost(), 1e-9);
  }

  @Test
  void aNetworkAloneOnTheClusterGoesDataParallelWhenTheSlotsOutweighTheLoss() {
    assertEquals(ExecutionMode.PACKED, rule(1000, 0.8, 2).alone(999));
    assertEquals(ExecutionMode.DATA_PARALLEL, rule(1000, 0.8, 2).alone(1000));
    assertEquals(ExecutionMode.PACKED, rule(1000, 0.5, 2).alone(1000), "2 x 0.5 = one slot");
    assertEquals(ExecutionMode.PACKED, rule(1000, 1.0, 1).alone(1_000_000));
  }

  @Test
  void rejectsANonPositiveMinimumAnEfficiencyOutsideZeroToOneAndNoKinds() {
    assertThrows(IllegalArgumentException.class, () -> rule(0, 0.5, 2));
    assertThrows(IllegalArgumentException.class, () -> rule(1, 0, 2));
    assertThrows(IllegalArgumentException.class, () -> rule(1, 1.01, 2));
    assertThrows(IllegalArgumentException.class, () -> rule(1, 0.5, 0));
    assertThrows(IllegalArgumentException.class,
        () -> TrainingPlanner.plan(manifest(), List.of(), List.of(), PACKED));
  }
}
