package io.tracecast.cli;

import picocli.CommandLine.Option;

/** {@code --registry}, the same for every command that reads or writes models (a mixin). */
final class RegistryOption {
  @Option(names = "--registry", required = true, description = "Model registry directory.")
  String registry;
}
