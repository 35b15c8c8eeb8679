package io.tracecast.cli;

import io.tracecast.evaluation.report.ReportReader;
import io.tracecast.evaluation.report.RunMetrics;
import io.tracecast.evaluation.report.VersionMetrics;
import io.tracecast.mlflow.MlflowSettings;
import io.tracecast.training.registry.Lineage;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import io.tracecast.training.registry.VersionRef;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Reads the model registry through its Java API; nothing here parses its files by hand. */
@Command(name = "registry", mixinStandardHelpOptions = true,
    description = "List, show and export published models.",
    subcommands = {RegistryCommand.ListVersions.class, RegistryCommand.Show.class,
        RegistryCommand.Export.class})
final class RegistryCommand implements Runnable {
  @Override
  public void run() {
    picocli.CommandLine.usage(this, System.out);
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Published versions: job, model, version, aliases, path.")
  static final class ListVersions implements Callable<Integer> {
    @Mixin RegistryOption registryOption = new RegistryOption();
    @Option(names = "--job", description = "Only this job.") String job;
    @Option(names = "--model", description = "Only this model kind.") String model;

    @Override
    public Integer call() {
      ModelRegistry r = ModelRegistry.open(registryOption.registry, new Configuration());
      List<ModelVersion> versions = r.list().stream()
          .filter(v -> job == null || v.job().equals(job))
          .filter(v -> model == null || v.model().equals(model)).toList();
      System.out.printf("%-24s %-18s %8s  %-12s %s%n", "job", "model", "version", "aliases",
          "path");
      for (ModelVersion v : versions) {
        List<String> aliases = r.aliases(v.job()).entrySet().stream()
            .filter(e -> e.getValue().model().equals(v.model())
                && e.getValue().version() == v.version())
            .map(java.util.Map.Entry::getKey).toList();
        System.out.printf("%-24s %-18s %8s  %-12s %s%n", v.job(), v.model(),
            VersionRef.version(v.version()),
            String.join(",", aliases), v.path());
      }
      System.out.println(versions.size() + " versions");
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Metadata of one version (checksums verified): lineage and training curve.")
  static final class Show implements Callable<Integer> {
    @Mixin RegistryOption registryOption = new RegistryOption();
    @Option(names = "--job", required = true) String job;
    @Option(names = "--model", required = true) String model;
    @Option(names = "--version", defaultValue = "latest",
        description = "A version (3 or v3), latest, or an alias such as champion.")
    String version;

    @Override
    public Integer call() {
      ModelMetadata m = ModelRegistry.open(registryOption.registry, new Configuration())
          .metadata(job, model, VersionRef.parse(version));
      ModelMetadata.TrainingHistory h = m.history();
      System.out.printf(Locale.ROOT, "%s/%s %s%n", m.job(), m.model(), version);
      System.out.println("  family      " + m.family().id());
      if (m.spec() != null) {
        System.out.println("  spec        " + m.spec());
      }
      if (!m.params().isEmpty()) {
        System.out.println("  params      " + m.params());
      }
      if (!m.lineage().equals(Lineage.NONE)) {
        System.out.println("  lineage     " + m.lineage());
      }
      System.out.println("  shape       " + m.shape());
      System.out.println("  dataset     " + m.datasetPath() + " (fingerprint "
          + m.datasetFingerprint() + ")");
      System.out.println("  features    " + m.features() + " -> targets " + m.targets());
      System.out.println("  code        " + m.codeVersion() + ", created " + m.createdAt());
      System.out.println("  hardware    " + m.hardware());
      System.out.printf(Locale.ROOT, "  training    best epoch %d of %d, %.1f s, %.0f samples/s%n",
          h.bestEpoch(), h.epochs().size(), h.wallSeconds(), h.samplesPerSecond());
      System.out.printf("  %5s %12s %12s %12s%n", "epoch", "train loss", "val loss", "val MAE");
      for (ModelMetadata.Epoch e : h.epochs()) {
        System.out.printf(Locale.ROOT, "  %5d %12.6f %12.6f %12.6f%s%n", e.epoch(), e.trainLoss(),
            e.validationLoss(), e.validationMae(), e.epoch() == h.bestEpoch() ? "  *" : "");
      }
      return 0;
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = {"Registers the registry's versions in an MLflow Model Registry: a registered "
          + "model per (job, model), a run per version (files as artifacts, spec and lineage as "
          + "params and tags, training curve and --report evaluations as metrics), the job's "
          + "aliases (champion) as MLflow aliases. Exporting again adds only what is new.",
          "tracecast's registry stays the source of truth; nothing in it changes."})
  static final class Export implements Callable<Integer> {
    @Mixin RegistryOption registryOption = new RegistryOption();
    @Option(names = "--job", description = "Only this job.") String job;
    @Option(names = "--model", description = "Only this model kind.") String model;
    @Option(names = "--report", description = "Report directory of tracecast evaluate over "
        + "this registry: its scores become metrics of the versions' runs (repeatable).")
    List<String> reports;
    @Mixin MlflowOptions mlflow = new MlflowOptions();
    /** For --conf/--profile: the tracecast.mlflow section (the export starts no Spark). */
    @Mixin ConfigOptions configOptions = new ConfigOptions();
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      MlflowSettings settings = MlflowSettings.parse(configOptions.load(mlflow.addTo(Map.of())));
      if (!settings.enabled()) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "Missing required option: '--mlflow-uri' (or tracecast.mlflow.tracking-uri)");
      }
      Configuration conf = new Configuration();
      ModelRegistry r = ModelRegistry.open(registryOption.registry, conf);
      List<VersionMetrics> evaluations = new java.util.ArrayList<>();
      for (String dir : reports == null ? List.<String>of() : reports) {
        io.tracecast.evaluation.report.EvaluationReport report = ReportReader.read(dir, conf);
        if (!r.root().equals(report.registry())) {
          throw new IllegalArgumentException("report " + dir + " scores registry "
              + report.registry() + ", not " + r.root());
        }
        evaluations.addAll(RunMetrics.of(report));
      }
      MlflowOptions.export(settings, r, v -> (job == null || v.job().equals(job))
          && (model == null || v.model().equals(model)), evaluations, System.out);
      return 0;
    }
  }
}
