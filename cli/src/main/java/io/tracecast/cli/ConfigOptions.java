package io.tracecast.cli;

import com.typesafe.config.Config;
import java.io.File;
import java.util.Map;
import picocli.CommandLine.Option;

/** The configuration and Spark flags every stage command shares (a picocli mixin). */
final class ConfigOptions {
  @Option(names = "--master",
      description = "Spark master URL (default: spark-submit's, else local[*]).")
  String master;

  @Option(names = "--conf", description = "HOCON file overriding conf/application.conf.")
  File conf;

  @Option(names = "--profile",
      description = "Configuration profile (local, standalone, yarn, k8s, gpu).")
  String profile;

  /** The layered configuration, with {@code flags} (full keys) on top. */
  Config load(Map<String, Object> flags) {
    return Settings.load(profile, conf, flags);
  }
}
