package io.tracecast.mlflow;

import io.tracecast.evaluation.report.VersionMetrics;
import io.tracecast.mlflow.ExportResult.Exported;
import io.tracecast.mlflow.MlflowApi.Metric;
import io.tracecast.mlflow.MlflowApi.RegisteredModel;
import io.tracecast.mlflow.MlflowApi.Run;
import io.tracecast.mlflow.MlflowApi.Tag;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Copies tracecast's registry into an MLflow Model Registry; tracecast's stays the source of
 * truth and is only read. Per (job, model) a registered model ({@link MlflowNames}); per
 * version an MLflow run ({@link RunContents}: params, lineage tags, training curve; the
 * version's files as artifacts under {@code model/}; the interval calibration evaluate stored
 * for it under {@code intervals/}, {@link IntervalArtifact}) and a model version with source
 * {@code runs:/<run>/model}, tagged with tracecast's ids; evaluations as run metrics; each
 * tracecast alias of a job (e.g. {@code champion}) as the alias of the registered model it
 * points into.
 *
 * <p>Idempotent: a version is looked up by its {@link MlflowNames#TAG_VERSION_ID} tag among the
 * registered model's versions before anything is created, an evaluation by its timestamp in
 * the metric history, an alias by its current target. A run is completed (tagged
 * {@link MlflowNames#TAG_EXPORT_COMPLETE}) before its version is created; an export that died
 * in between leaves a complete run, which the next export registers, or an incomplete one,
 * which it deletes and redoes. Exports of one registry must not run concurrently.
 */
public final class MlflowExporter {
  /** On runs: the registered model they belong to, the key the export searches them by. */
  static final String TAG_REGISTERED_MODEL = "tracecast.registered_model";

  private final ModelRegistry registry;
  private final MlflowRest mlflow;
  private final String prefix;
  private final String experiment;

  public MlflowExporter(ModelRegistry registry, MlflowRest mlflow, String prefix,
      String experiment) {
    this.registry = registry;
    this.mlflow = mlflow;
    this.prefix = prefix;
    this.experiment = experiment;
    MlflowNames.registeredModel(prefix, "job", "model"); // the prefix fails here, not later
  }

  /**
   * Exports the registry's versions that {@code scope} accepts, the evaluations among
   * {@code evaluations} of those versions, and the aliases of their jobs.
   */
  public ExportResult export(Predicate<ModelVersion> scope, List<VersionMetrics> evaluations) {
    Map<String, List<ModelVersion>> byModel = new LinkedHashMap<>();
    for (ModelVersion v : registry.list()) {
      if (scope.test(v)) {
        byModel.computeIfAbsent(MlflowNames.registeredModel(prefix, v.job(), v.model()),
            k -> new ArrayList<>()).add(v);
      }
    }
    String experimentId = experimentId();
    List<Exported> exported = new ArrayList<>();
    for (Map.Entry<String, List<ModelVersion>> e : byModel.entrySet()) {
      exported.addAll(exportModel(e.getKey(), e.getValue(), experimentId));
    }
    Map<String, Exported> byId = new TreeMap<>();
    exported.forEach(x -> byId.put(x.versionId(), x));
    List<String> notes = new ArrayList<>();
    attachIntervals(byModel, byId, notes);
    int[] logged = new int[3]; // now, before, out of scope
    for (VersionMetrics m : evaluations) {
      Exported x = byId.get(MlflowNames.versionId(m.job(), m.model(), m.version()));
      logged[x == null ? 2 : logEvaluation(x.runId(), m) ? 0 : 1]++;
    }
    if (logged[2] > 0) {
      notes.add(logged[2] + " evaluations of versions out of scope (--job, --model) not logged");
    }
    List<String> set = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    TreeSet<String> jobs = new TreeSet<>();
    byModel.values().forEach(vs -> jobs.add(vs.get(0).job()));
    for (String j : jobs) {
      syncAliases(j, byModel, byId, set, removed, notes);
    }
    return new ExportResult(exported, logged[0], logged[1], set, removed, notes);
  }

  private String experimentId() {
    return mlflow.experimentByName(experiment)
        .filter(x -> !"deleted".equals(x.lifecycleStage()))
        .map(MlflowApi.Experiment::experimentId)
        .orElseGet(() -> {
          if (mlflow.experimentByName(experiment).isPresent()) {
            throw new MlflowException("experiment " + experiment, 0, null, "it is deleted; "
                + "restore it in MLflow or export to another experiment");
          }
          return mlflow.createExperiment(experiment);
        });
  }

  /** The versions of one (job, model), created where missing, in tracecast's order. */
  private List<Exported> exportModel(String name, List<ModelVersion> versions,
      String experimentId) {
    ModelVersion first = versions.get(0);
    ensureRegisteredModel(name, first.job(), first.model());
    Map<String, MlflowApi.ModelVersion> existing = new TreeMap<>();
    for (MlflowApi.ModelVersion mv : mlflow.versions(name)) {
      String id = mv.tagMap().get(MlflowNames.TAG_VERSION_ID);
      if (id != null) {
        existing.merge(id, mv, (a, b) -> Integer.parseInt(a.version())
            <= Integer.parseInt(b.version()) ? a : b);
      }
    }
    List<Exported> out = new ArrayList<>();
    for (ModelVersion v : versions) {
      String id = MlflowNames.versionId(v.job(), v.model(), v.version());
      MlflowApi.ModelVersion mv = existing.get(id);
      if (mv != null) {
        out.add(new Exported(id, name, mv.version(), mv.runId(), false));
      } else {
        Run run = completeRun(name, v, experimentId);
        List<Tag> tags = new ArrayList<>(RunContents.identity(v, registry.root()));
        mv = mlflow.createModelVersion(name, "runs:/" + run.info().runId() + "/"
            + MlflowNames.ARTIFACT_DIR, run.info().runId(), tags, "tracecast " + id);
        out.add(new Exported(id, name, mv.version(), run.info().runId(), true));
      }
    }
    return out;
  }

  /**
   * Creates the registered model, or checks that the one of this name is this registry's
   * (another registry's (job, model) would otherwise have its versions taken for ours).
   */
  private void ensureRegisteredModel(String name, String job, String model) {
    RegisteredModel rm = mlflow.registeredModel(name).orElse(null);
    if (rm == null) {
      try {
        mlflow.createRegisteredModel(name, List.of(new Tag(MlflowNames.TAG_JOB, job),
            new Tag(MlflowNames.TAG_MODEL, model),
            new Tag(MlflowNames.TAG_REGISTRY, registry.root())),
            "tracecast model " + model + " of job " + job + ", exported from "
                + registry.root());
        return;
      } catch (MlflowException e) {
        rm = mlflow.registeredModel(name).orElseThrow(() -> e); // created by someone else
      }
    }
    Map<String, String> tags = new TreeMap<>();
    rm.tags().forEach(t -> tags.put(t.key(), t.value()));
    if (!registry.root().equals(tags.get(MlflowNames.TAG_REGISTRY))
        || !job.equals(tags.get(MlflowNames.TAG_JOB))
        || !model.equals(tags.get(MlflowNames.TAG_MODEL))) {
      throw new IllegalStateException("MLflow registered model " + name + " is not "
          + job + "/" + model + " of " + registry.root() + " (its tags: " + tags + "); export "
          + "with another name prefix to keep the two apart");
    }
  }

  /** The complete run of {@code v}: one left by an interrupted export, or a new one. */
  private Run completeRun(String name, ModelVersion v, String experimentId) {
    String id = MlflowNames.versionId(v.job(), v.model(), v.version());
    String filter = "tags.`" + TAG_REGISTERED_MODEL + "` = '" + MlflowNames.requireQuotable(name)
        + "'";
    for (Run r : mlflow.searchRuns(experimentId, filter)) {
      Map<String, String> tags = r.data().tagMap();
      if (id.equals(tags.get(MlflowNames.TAG_VERSION_ID))
          && registry.root().equals(tags.get(MlflowNames.TAG_REGISTRY))) {
        if ("true".equals(tags.get(MlflowNames.TAG_EXPORT_COMPLETE))) {
          return r;
        }
        mlflow.deleteRun(r.info().runId());
      }
    }
    return newRun(name, v, experimentId);
  }

  private Run newRun(String name, ModelVersion v, String experimentId) {
    ModelMetadata m = registry.metadata(v);
    RunContents contents = RunContents.of(v, m, registry.root());
    List<Tag> tags = new ArrayList<>(contents.tags());
    tags.add(new Tag(TAG_REGISTERED_MODEL, name));
    long start = RunContents.createdMillis(m);
    Run run = mlflow.createRun(experimentId, name + " v" + v.version(),
        start > 0 ? start : System.currentTimeMillis(), tags);
    String runId = run.info().runId();
    mlflow.logBatch(runId, contents.metrics(), contents.params(), List.of());
    for (String file : registry.files(v)) {
      mlflow.uploadArtifact(run.info().artifactUri(), MlflowNames.ARTIFACT_DIR + "/" + file,
          registry.readFile(v, file));
    }
    mlflow.logBatch(runId, List.of(), List.of(),
        List.of(new Tag(MlflowNames.TAG_EXPORT_COMPLETE, "true")));
    mlflow.finishRun(runId, System.currentTimeMillis());
    return run;
  }

  /**
   * Gives every version in scope the interval calibration evaluate stored for it
   * ({@link IntervalArtifact}), on runs new or old: evaluate calibrates after train exported.
   */
  private void attachIntervals(Map<String, List<ModelVersion>> byModel,
      Map<String, Exported> byId, List<String> notes) {
    int[] attached = new int[2]; // now, before
    IntervalArtifact.Source source = new IntervalArtifact.Source(registry);
    for (List<ModelVersion> versions : byModel.values()) {
      for (ModelVersion v : versions) {
        String runId = byId.get(MlflowNames.versionId(v.job(), v.model(), v.version())).runId();
        source.of(v, registry.metadata(v))
            .ifPresent(a -> attached[attachIntervals(runId, a) ? 0 : 1]++);
      }
    }
    if (attached[0] + attached[1] > 0) {
      notes.add("interval calibration attached to " + attached[0] + " versions now, "
          + attached[1] + " had it already");
    }
  }

  /**
   * Uploads {@code a} to the run unless the run's checksum tag says it holds these bytes; the
   * tags follow the upload, so a run is never tagged with a file it lacks.
   *
   * @return true when uploaded now
   */
  private boolean attachIntervals(String runId, IntervalArtifact a) {
    Run run = mlflow.run(runId);
    if (a.sha256().equals(run.data().tagMap().get(IntervalArtifact.TAG_SHA256))) {
      return false;
    }
    mlflow.uploadArtifact(run.info().artifactUri(), a.path(), a.json());
    mlflow.logBatch(runId, List.of(), List.of(), a.tags());
    return true;
  }

  /**
   * Logs one evaluation unless it is there already: its points are written in one batch (one
   * transaction on MLflow's SQL stores), so one metric's history tells.
   *
   * @return true when logged now
   */
  private boolean logEvaluation(String runId, VersionMetrics m) {
    String probe = m.values().keySet().iterator().next();
    boolean present = mlflow.metricHistory(runId, probe).stream()
        .anyMatch(p -> p.timestamp() == m.timestampMillis()
            && Double.compare(p.value(), m.values().get(probe)) == 0);
    if (present) {
      return false;
    }
    List<Metric> points = new ArrayList<>();
    m.values().forEach((k, v) -> points.add(new Metric(k, v, m.timestampMillis(), 0)));
    mlflow.logBatch(runId, points, List.of(), List.of());
    return true;
  }

  /**
   * Makes the job's registered models carry tracecast's aliases of the job: each alias on the
   * version it points at, and off every other registered model of the job in scope. MLflow
   * aliases that tracecast does not have are left alone.
   */
  private void syncAliases(String job, Map<String, List<ModelVersion>> byModel,
      Map<String, Exported> byId, List<String> set, List<String> removed, List<String> notes) {
    Map<String, ModelVersion> aliases = registry.aliases(job);
    for (Map.Entry<String, List<ModelVersion>> e : byModel.entrySet()) {
      String name = e.getKey();
      if (!e.getValue().get(0).job().equals(job)) {
        continue;
      }
      Map<String, String> current = new TreeMap<>();
      mlflow.registeredModel(name).orElseThrow().aliases()
          .forEach(a -> current.put(a.alias(), a.version()));
      for (Map.Entry<String, ModelVersion> a : aliases.entrySet()) {
        String alias = a.getKey();
        ModelVersion target = a.getValue();
        boolean here = target.model().equals(e.getValue().get(0).model());
        if (!MlflowNames.usableAlias(alias)) {
          if (here) {
            notes.add(job + " alias '" + alias + "' not exported: MLflow aliases are "
                + "[A-Za-z0-9_-], not latest or v<N>");
          }
        } else if (here) {
          String id = MlflowNames.versionId(job, target.model(), target.version());
          String version = byId.containsKey(id) ? byId.get(id).mlflowVersion()
              : mlflow.versions(name).stream()
                  .filter(mv -> id.equals(mv.tagMap().get(MlflowNames.TAG_VERSION_ID)))
                  .map(MlflowApi.ModelVersion::version).findFirst().orElse(null);
          if (version == null) {
            notes.add(job + " alias " + alias + " -> " + target.model() + " v"
                + target.version() + " not exported: that version is not in MLflow");
          } else if (!Objects.equals(current.get(alias), version)) {
            mlflow.setAlias(name, alias, version);
            set.add(name + "@" + alias + " -> " + version);
          }
        } else if (current.containsKey(alias)) {
          mlflow.deleteAlias(name, alias);
          removed.add(name + "@" + alias);
        }
      }
    }
  }
}
