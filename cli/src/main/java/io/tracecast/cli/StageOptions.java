package io.tracecast.cli;

import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The inputs every stage after the ETL names the same way (a picocli mixin): the dataset, the
 * registry and the jobs to work on. One home, so that {@code train}, {@code tune},
 * {@code evaluate} and {@code predict} cannot drift apart in names, arity or help text.
 */
final class StageOptions {
  @Option(names = "--dataset", required = true, description = "Dataset directory written by etl.")
  String dataset;

  @Mixin
  RegistryOption registryOption = new RegistryOption();

  @Option(names = "--jobs", split = ",",
      description = "Jobs to ${COMMAND-NAME} (default: all jobs of the dataset).")
  List<String> jobs;

  String registry() {
    return registryOption.registry;
  }

  /** The jobs given, or the empty list that every stage reads as "all". */
  List<String> jobs() {
    return jobs == null ? List.of() : List.copyOf(jobs);
  }
}
