package io.tracecast.training.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.training.JobOutcome;
import io.tracecast.training.TrainJob;
import io.tracecast.training.TrainRequest;
import io.tracecast.training.TrainResult;
import io.tracecast.training.TrainingFixtures;
import io.tracecast.training.config.NetworkOverrides;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.plan.ExecutionMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How training uses the task slots of local[2] (FAIR, as tracecast's sessions): packed tasks are
 * (job, kind), and data-parallel jobs share the cluster with them. Observed with a SparkListener:
 * each task's stage, pool, job group, partition and launch and finish times.
 */
class PackedSchedulingTest {
  private static final SparkContext SC = TrainingFixtures.spark().sparkContext();

  /** One task as Spark ran it; times in epoch milliseconds. */
  record Span(int stage, String pool, String group, int numTasks, int partition, long launch,
      long finish) {}

  /** Records every task of every stage while a run goes. */
  static final class Recorder extends SparkListener {
    final Map<Integer, SparkListenerStageSubmitted> stages = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<SparkListenerTaskEnd> ends = new ConcurrentLinkedQueue<>();

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted e) {
      stages.put(e.stageInfo().stageId(), e);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
      ends.add(e);
    }

    List<Span> spans() {
      List<Span> out = new ArrayList<>();
      for (SparkListenerTaskEnd e : ends) {
        SparkListenerStageSubmitted s = stages.get(e.stageId());
        String pool = s.properties() == null ? null
            : s.properties().getProperty(SchedulerPools.POOL_PROPERTY);
        String group = s.properties() == null ? null
            : s.properties().getProperty("spark.jobGroup.id");
        out.add(new Span(e.stageId(), pool, group, s.stageInfo().numTasks(),
            e.taskInfo().index(), e.taskInfo().launchTime(), e.taskInfo().finishTime()));
      }
      return out;
    }
  }

  private static TrainSettings settings(String kinds, long dataParallelMinWindows,
      int epochs) {
    return TrainingFixtures.settings(TrainingFixtures.kinds(kinds), dataParallelMinWindows,
        epochs, epochs, "", NetworkOverrides.none().withUnits(ModelKinds.LSTM, List.of(8))
            .withUnits(ModelKinds.MLP, List.of(16, 8)));
  }

  private static List<Span> run(Path registry, List<String> jobs, TrainSettings settings,
      List<JobOutcome> outcomes) {
    Recorder recorder = new Recorder();
    SC.addSparkListener(recorder);
    try {
      TrainResult result = TrainJob.run(TrainingFixtures.spark(), new TrainRequest(
          TrainingFixtures.alibabaDataset(), registry.toString(), jobs, settings));
      assertEquals(List.of(), result.failed());
      outcomes.addAll(result.published());
      SC.listenerBus().waitUntilEmpty(30_000);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("Spark's listener bus did not drain", e);
    } finally {
      SC.removeSparkListener(recorder);
    }
    return recorder.spans();
  }

  /**
   * The tasks of the packed training stage: the last stage of the packed job group (after the
   * shuffle's map stage), in pool packed, one task per (job, kind).
   */
  private static List<Span> packedTasks(List<Span> spans, int units) {
    List<Span> group = spans.stream().filter(s -> s.group() != null
        && s.group().startsWith(PackedStage.JOB_GROUP_PREFIX)).toList();
    assertTrue(group.stream().allMatch(s -> SchedulerPools.PACKED.equals(s.pool())), spans
        .toString());
    int stage = group.stream().mapToInt(Span::stage).max().orElseThrow();
    List<Span> out = group.stream().filter(s -> s.stage() == stage)
        .sorted(Comparator.comparingInt(Span::partition)).toList();
    assertEquals(units, out.size(), "one task per (job, kind): " + spans);
    assertEquals(units, out.get(0).numTasks());
    return out;
  }

  @Test
  void theKindsOfOneJobTrainAsTwoTasksAtOverlappingTimes(@TempDir Path tmp) {
    String job = TrainingFixtures.smallestJobs(1).get(0);
    List<JobOutcome> published = new ArrayList<>();
    List<Span> spans = run(tmp, List.of(job), settings("lstm,mlp",
        Long.MAX_VALUE, 4), published);
    assertEquals(List.of(job + "/lstm", job + "/mlp"),
        published.stream().map(JobOutcome::id).sorted().toList());
    assertTrue(published.stream().allMatch(o -> o.mode() == ExecutionMode.PACKED));
    List<Span> tasks = packedTasks(spans, 2);
    // two task slots at once: each started before the other finished
    Span a = tasks.get(0);
    Span b = tasks.get(1);
    assertTrue(a.launch() < b.finish() && b.launch() < a.finish(),
        "the two kinds' tasks overlap in time: " + tasks);
  }

  @Test
  void aDataParallelJobStartsWhilePackedTasksStillRun(@TempDir Path tmp) {
    // The largest job (1,469 train windows) beside the smallest (705) on local[2]: packed, the
    // large one would hold one slot alone after the small one ends; data-parallel it spreads
    // over both, so the planner sends it data-parallel.
    String small = TrainingFixtures.smallestJobs(1).get(0);
    String big = TrainingFixtures.alibabaManifest().jobs().stream()
        .max(Comparator.comparingLong(TrainingFixtures::trainWindows)).orElseThrow();
    List<JobOutcome> published = new ArrayList<>();
    List<Span> spans = run(tmp, List.of(small, big), settings("lstm", 1, 6), published);
    assertEquals(2, published.size());
    assertEquals(ExecutionMode.DATA_PARALLEL, published.stream()
        .filter(o -> o.job().equals(big)).findFirst().orElseThrow().mode());
    assertEquals(ExecutionMode.PACKED, published.stream()
        .filter(o -> o.job().equals(small)).findFirst().orElseThrow().mode());
    List<Span> packed = packedTasks(spans, 1);
    List<Span> parallel = spans.stream()
        .filter(s -> SchedulerPools.DATA_PARALLEL.equals(s.pool())).toList();
    assertTrue(parallel.size() > 2, "parameter averaging ran in its own pool: " + spans);
    assertTrue(parallel.stream().allMatch(s -> (JobModels.DATA_PARALLEL_GROUP_PREFIX + big
        + "/lstm").equals(s.group())), "the data-parallel job's own job group: " + spans);
    long firstParallel = parallel.stream().mapToLong(Span::launch).min().orElseThrow();
    long lastPacked = packed.stream().mapToLong(Span::finish).max().orElseThrow();
    assertTrue(firstParallel < lastPacked, "the data-parallel job's first task started "
        + (firstParallel - lastPacked) + " ms after the last packed task finished: " + spans);
  }
}
