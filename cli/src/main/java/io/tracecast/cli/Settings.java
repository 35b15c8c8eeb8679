package io.tracecast.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import java.io.File;
import java.util.Map;

/**
 * Layers the configuration once, at start-up: {@code application.conf} (defaults, documented
 * inline) &lt; profile &lt; {@code --conf FILE} &lt; {@code -Dkey=value} &lt; command-line flags.
 */
final class Settings {
  private Settings() {}

  static Config load(String profile, File confFile, Map<String, Object> flags) {
    Config defaults = ConfigFactory.parseResources("application.conf",
        ConfigParseOptions.defaults().setAllowMissing(false));
    Config layered = defaults;
    if (profile != null) {
      Config p = ConfigFactory.parseResources("profiles/" + profile + ".conf",
          ConfigParseOptions.defaults().setAllowMissing(true));
      if (p.isEmpty()) {
        throw new IllegalArgumentException("unknown profile '" + profile + "'");
      }
      layered = p.withFallback(layered);
    }
    if (confFile != null) {
      if (!confFile.isFile()) {
        throw new IllegalArgumentException("--conf " + confFile + ": no such file");
      }
      layered = ConfigFactory.parseFile(confFile,
          ConfigParseOptions.defaults().setAllowMissing(false)).withFallback(layered);
    }
    layered = ConfigFactory.systemProperties().withOnlyPath("tracecast").isEmpty() ? layered
        : ConfigFactory.systemProperties().withOnlyPath("tracecast").withFallback(layered);
    return ConfigFactory.parseMap(flags, "command-line flags").withFallback(layered)
        .resolve(ConfigResolveOptions.defaults());
  }
}
