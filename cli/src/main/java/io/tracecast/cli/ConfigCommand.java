package io.tracecast.cli;

import com.typesafe.config.ConfigRenderOptions;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Show the effective configuration (defaults < profile < --conf < -D).")
final class ConfigCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "show")
  String action;

  @Mixin
  ConfigOptions config = new ConfigOptions();

  @Override
  public Integer call() {
    if (!"show".equals(action)) {
      throw new IllegalArgumentException("config: unknown action '" + action + "', expected show");
    }
    System.out.println(config.load(Map.of()).getConfig("tracecast").root()
        .render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false)));
    return 0;
  }
}
