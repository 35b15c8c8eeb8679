package io.tracecast.cli;

import io.tracecast.evaluation.report.VersionMetrics;
import io.tracecast.mlflow.ExportResult;
import io.tracecast.mlflow.MlflowExporter;
import io.tracecast.mlflow.MlflowRest;
import io.tracecast.mlflow.MlflowSettings;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import picocli.CommandLine.Option;

/**
 * The MLflow export flags that {@code registry export}, {@code train} and {@code evaluate}
 * share (a picocli mixin): each overrides its {@code tracecast.mlflow} key, and this is the one
 * place that runs an export and prints what it did. Without a tracking URI (flag or
 * configuration), train and evaluate export nothing.
 */
final class MlflowOptions {
  @Option(names = "--mlflow-uri",
      description = "MLflow tracking server (http://host:port) to export the registry's "
          + "versions, evaluations and aliases to (tracecast.mlflow.tracking-uri).")
  String uri;

  @Option(names = "--mlflow-experiment",
      description = "MLflow experiment holding the exported runs (tracecast.mlflow.experiment).")
  String experiment;

  @Option(names = "--mlflow-prefix",
      description = "Registered model names are <prefix>.<job>.<model> "
          + "(tracecast.mlflow.prefix).")
  String prefix;

  @Option(names = "--mlflow-timeout-seconds",
      description = "Timeout of each MLflow call (tracecast.mlflow.timeout).")
  Integer timeoutSeconds;

  /** The flags given, as full configuration keys, added to {@code flags}. */
  Map<String, Object> addTo(Map<String, Object> flags) {
    Map<String, Object> out = new LinkedHashMap<>(flags);
    if (uri != null) {
      out.put(MlflowSettings.ROOT + ".tracking-uri", uri);
    }
    if (experiment != null) {
      out.put(MlflowSettings.ROOT + ".experiment", experiment);
    }
    if (prefix != null) {
      out.put(MlflowSettings.ROOT + ".prefix", prefix);
    }
    if (timeoutSeconds != null) {
      out.put(MlflowSettings.ROOT + ".timeout", timeoutSeconds + "s");
    }
    return out;
  }

  /** Exports the versions in {@code scope} with {@code evaluations}, printing a summary. */
  static ExportResult export(MlflowSettings settings, ModelRegistry registry,
      Predicate<ModelVersion> scope, List<VersionMetrics> evaluations, PrintStream out) {
    MlflowRest rest = new MlflowRest(settings.trackingUri().orElseThrow(), settings.timeout());
    ExportResult r = new MlflowExporter(registry, rest, settings.prefix(), settings.experiment())
        .export(scope, evaluations);
    for (ExportResult.Exported x : r.versions()) {
      out.printf("mlflow %s %s -> %s version %s (run %s)%n", x.created() ? "created" : "exists ",
          x.versionId(), x.registeredModel(), x.mlflowVersion(), x.runId());
    }
    r.aliasesSet().forEach(a -> out.println("mlflow alias " + a));
    r.aliasesRemoved().forEach(a -> out.println("mlflow alias removed " + a));
    r.notes().forEach(n -> out.println("mlflow note: " + n));
    out.printf("mlflow export to %s: %d versions (%d created, %d already there), "
            + "%d evaluations logged (%d already there), %d aliases set, %d removed%n",
        rest.trackingUri(), r.versions().size(), r.created(), r.versions().size() - r.created(),
        r.evaluationsLogged(), r.evaluationsPresent(), r.aliasesSet().size(),
        r.aliasesRemoved().size());
    return r;
  }
}
