package io.tracecast.cli;

import io.tracecast.training.mlflow.ExportResult;
import io.tracecast.training.mlflow.MlflowExporter;
import io.tracecast.training.mlflow.MlflowNames;
import io.tracecast.training.mlflow.MlflowRest;
import io.tracecast.training.mlflow.VersionMetrics;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import picocli.CommandLine.Option;

/**
 * The MLflow export flags that {@code registry export}, {@code train} and {@code evaluate}
 * share (a picocli mixin), and the one place that runs an export and prints what it did.
 * Without {@code --mlflow-uri}, train and evaluate export nothing.
 */
final class MlflowOptions {
  @Option(names = "--mlflow-uri",
      description = "MLflow tracking server (http://host:port) to export the registry's "
          + "versions, evaluations and aliases to.")
  String uri;

  @Option(names = "--mlflow-experiment", defaultValue = "tracecast",
      description = "MLflow experiment holding the exported runs (default: ${DEFAULT-VALUE}).")
  String experiment;

  @Option(names = "--mlflow-prefix", defaultValue = MlflowNames.DEFAULT_PREFIX,
      description = "Registered model names are <prefix>.<job>.<model> "
          + "(default: ${DEFAULT-VALUE}).")
  String prefix;

  @Option(names = "--mlflow-timeout-seconds", defaultValue = "120",
      description = "Timeout of each MLflow call (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  boolean enabled() {
    return uri != null;
  }

  /** Exports the versions in {@code scope} with {@code evaluations}, printing a summary. */
  ExportResult export(ModelRegistry registry, Predicate<ModelVersion> scope,
      List<VersionMetrics> evaluations, PrintStream out) {
    MlflowRest rest = new MlflowRest(uri, Duration.ofSeconds(timeoutSeconds));
    ExportResult r = new MlflowExporter(registry, rest, prefix, experiment)
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
