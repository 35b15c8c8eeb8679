package io.tracecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The stage commands share one definition of --dataset, --registry and --jobs. */
class StageOptionsTest {
  private static final List<String> STAGES = List.of("train", "tune", "evaluate", "predict",
      "autoscale");

  @Test
  void everyStageCommandTakesTheSameInputOptions() {
    CommandLine main = new CommandLine(new Main());
    for (String name : STAGES) {
      CommandLine cmd = main.getSubcommands().get(name);
      OptionSpec dataset = cmd.getCommandSpec().findOption("--dataset");
      OptionSpec registry = cmd.getCommandSpec().findOption("--registry");
      OptionSpec jobs = cmd.getCommandSpec().findOption("--jobs");
      assertTrue(dataset.required() && registry.required(), name);
      assertEquals(",", jobs.splitRegex(), name);
      assertEquals("Model registry directory.", registry.description()[0], name);
      // the help names the command: "Jobs to train", "Jobs to predict", ...
      assertTrue(cmd.getUsageMessage().contains("Jobs to " + name + " (default: all jobs"),
          cmd.getUsageMessage());
    }
    CommandLine show = main.getSubcommands().get("registry").getSubcommands().get("show");
    assertTrue(show.getCommandSpec().findOption("--registry").required());
  }

  @Test
  void parsedJobsAreAnImmutableListAndNoneMeansAll() {
    StageOptions none = new StageOptions();
    new CommandLine(none).parseArgs("--dataset", "d", "--registry", "r");
    assertEquals(List.of(), none.jobs());
    StageOptions two = new StageOptions();
    new CommandLine(two).parseArgs("--dataset", "d", "--registry", "r", "--jobs", "a,b");
    assertEquals(List.of("a", "b"), two.jobs());
    assertEquals("r", two.registry());
    assertEquals("d", two.dataset);
  }
}
