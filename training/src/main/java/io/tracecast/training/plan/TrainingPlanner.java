package io.tracecast.training.plan;

import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Split;
import io.tracecast.training.kind.InputForm;
import io.tracecast.training.kind.ModelKind;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.Scope;
import io.tracecast.training.registry.ModelFamily;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Plans a run from the manifest's window counts alone, so the plan is known before any Parquet
 * is read: per job and kind trained in scope job, a {@link TrainingTask} with its
 * {@link ExecutionMode} (the {@link DataParallelRule} picks the networks that train
 * data-parallel; trees and the rest are packed, one task each); per pooled kind one
 * {@link PooledWork}.
 */
public final class TrainingPlanner {
  private TrainingPlanner() {}

  /**
   * @param jobs the jobs to train, or empty for every job of the dataset
   * @param rule which networks train data-parallel
   * @throws IllegalArgumentException when a requested job is not in the dataset
   */
  public static TrainingPlan plan(Manifest manifest, List<ModelKind> kinds, List<String> jobs,
      DataParallelRule rule) {
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("no model kinds to train");
    }
    JobSelection selection = select(manifest, jobs);
    Map<String, String> skipped = new TreeMap<>(selection.skipped());
    List<TrainingTask> planned = new ArrayList<>();
    for (Map.Entry<String, Long> e : selection.trainWindows().entrySet()) {
      String job = e.getKey();
      for (ModelKind kind : new LinkedHashSet<>(kinds)) {
        if (kind.scope() != Scope.JOB) {
          continue;
        }
        if (kind.input() == InputForm.PANEL) {
          String why = noGraph(manifest, job);
          if (why != null) {
            skipped.put(job + " (" + kind.id() + ")", why);
            continue;
          }
        }
        planned.add(new TrainingTask(job, kind, ExecutionMode.PACKED, e.getValue(),
            selection.validationWindows().get(job)));
      }
    }
    Set<TrainingTask> dataParallel = dataParallel(planned, rule);
    List<TrainingTask> packed = new ArrayList<>();
    List<TrainingTask> parallel = new ArrayList<>();
    for (TrainingTask t : planned) {
      if (dataParallel.contains(t)) {
        parallel.add(t.withMode(ExecutionMode.DATA_PARALLEL));
      } else {
        packed.add(t);
      }
    }
    // Largest estimated cost first: Spark starts a stage's tasks in partition order, so the
    // long networks start at once and the short ones fill the slots at the end.
    packed.sort(Comparator.comparingDouble(TrainingTask::estimatedCost).reversed()
        .thenComparing(TrainingTask::job)
        .thenComparingInt(t -> ModelKinds.ALL.indexOf(t.kind().architecture())));
    List<TrainingTask> all = new ArrayList<>(packed);
    all.addAll(parallel);
    long windows = selection.trainWindows(selection.jobs());
    List<PooledWork> pooled = new ArrayList<>();
    for (ModelKind kind : new LinkedHashSet<>(kinds)) {
      if (kind.scope() != Scope.JOB) {
        pooled.add(new PooledWork(kind, windows));
      }
    }
    return new TrainingPlan(all, pooled, skipped);
  }

  /**
   * The planned tasks {@code rule} sends data-parallel: it weighs the networks, which share the
   * slots (trees train in a stage of their own, after them).
   */
  private static Set<TrainingTask> dataParallel(List<TrainingTask> planned,
      DataParallelRule rule) {
    List<TrainingTask> networks = planned.stream()
        .filter(t -> t.kind().family() == ModelFamily.NETWORK).toList();
    double[] costs = new double[networks.size()];
    boolean[] eligible = new boolean[networks.size()];
    for (int i = 0; i < costs.length; i++) {
      TrainingTask t = networks.get(i);
      costs[i] = t.estimatedCost();
      eligible[i] = t.kind().architecture().dataParallel()
          && t.trainWindows() >= rule.minWindows();
    }
    boolean[] parallel = rule.choose(costs, eligible);
    Set<TrainingTask> out = new HashSet<>();
    for (int i = 0; i < parallel.length; i++) {
      if (parallel[i]) {
        out.add(networks.get(i));
      }
    }
    return out;
  }

  /** Why {@code job} has no graph to train a graph model on, or null when it has one. */
  static String noGraph(Manifest manifest, String job) {
    List<Manifest.Graph> graphs = manifest.graphsOf(job);
    if (graphs.isEmpty()) {
      return "no graphs in the manifest (a dataset written before panels: rerun the ETL)";
    }
    if (graphs.stream().allMatch(g -> g.nodeCount() < 2)) {
      return "one series: no graph model (the other kinds still train)";
    }
    return null;
  }

  /**
   * The jobs to train and their window counts, for every model family.
   *
   * @param jobs the jobs to train, or empty for every job of the dataset
   * @throws IllegalArgumentException when a requested job is not in the dataset
   */
  public static JobSelection select(Manifest manifest, List<String> jobs) {
    Map<String, long[]> counts = windowCounts(manifest);
    Set<String> selected = new LinkedHashSet<>(jobs.isEmpty() ? counts.keySet() : jobs);
    List<String> unknown = selected.stream().filter(j -> !counts.containsKey(j)).toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("jobs not in dataset " + manifest.fingerprint() + ": "
          + unknown + " (it has " + counts.size() + " jobs, e.g. "
          + counts.keySet().stream().limit(5).toList() + ")");
    }
    Map<String, Long> train = new LinkedHashMap<>();
    Map<String, Long> validation = new LinkedHashMap<>();
    Map<String, String> skipped = new TreeMap<>();
    for (String job : selected) {
      long[] c = counts.get(job);
      if (c[0] == 0) {
        skipped.put(job, "no train windows");
      } else {
        train.put(job, c[0]);
        validation.put(job, c[1]);
      }
    }
    return new JobSelection(train, validation, skipped);
  }

  /** job -> {train windows, validation windows}, summed over the job's series. */
  private static Map<String, long[]> windowCounts(Manifest manifest) {
    Map<String, long[]> out = new TreeMap<>();
    for (Manifest.SeriesEntry s : manifest.series()) {
      long[] c = out.computeIfAbsent(s.jobId(), j -> new long[2]);
      Map<String, Long> w = s.windows() == null ? Map.of() : s.windows();
      c[0] += w.getOrDefault(Split.TRAIN.label(), 0L);
      c[1] += w.getOrDefault(Split.VALIDATION.label(), 0L);
    }
    return out;
  }
}
