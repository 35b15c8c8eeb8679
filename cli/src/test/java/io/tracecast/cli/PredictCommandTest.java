package io.tracecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.evaluation.PredictRequest.Windows;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/** Where {@code tracecast predict} starts its forecasts: --at or --split, future by default. */
class PredictCommandTest {
  private static Windows parsed(String... args) {
    PredictCommand cmd = new PredictCommand();
    new CommandLine(cmd).parseArgs(args);
    return PredictCommand.windows(cmd.at, cmd.split);
  }

  private static final String[] REQUIRED = {"--dataset", "d", "--registry", "r", "--output", "o"};

  private static String[] with(String... more) {
    String[] all = java.util.Arrays.copyOf(REQUIRED, REQUIRED.length + more.length);
    System.arraycopy(more, 0, all, REQUIRED.length, more.length);
    return all;
  }

  @Test
  void forecastsTheStepsAfterTheDataByDefault() {
    assertEquals(Windows.FUTURE, parsed(REQUIRED));
    assertEquals(Windows.FUTURE, parsed(with("--at", "future")));
    assertEquals(Windows.LATEST, parsed(with("--at", "last-window")));
  }

  @Test
  void scoresAWholeSplitOrTheLastWindowWithSplitAsBefore() {
    assertEquals(Windows.TEST, parsed(with("--split", "test")));
    assertEquals(Windows.VALIDATION, parsed(with("--split", "validation")));
    assertEquals(Windows.LATEST, parsed(with("--split", "latest")));
  }

  @Test
  void rejectsBothOptionsAndAMisplacedValueNamingThem() {
    IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
        () -> parsed(with("--at", "future", "--split", "test")));
    assertTrue(both.getMessage().contains("--at future and --split test"), both.getMessage());
    IllegalArgumentException split = assertThrows(IllegalArgumentException.class,
        () -> parsed(with("--at", "test")));
    assertTrue(split.getMessage().contains("--split test"), split.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> parsed(with("--at", "tomorrow")));
    assertTrue(unknown.getMessage().contains("'tomorrow': expected future, last-window"),
        unknown.getMessage());
  }

  @Test
  void theHelpDocumentsTheOptions() {
    String help = new CommandLine(new Main()).getSubcommands().get("predict").getUsageMessage();
    assertTrue(help.contains("--at=WHERE") && help.contains("last-window")
        && help.contains("--split=SPLIT") && help.contains("--input=FILE...")
        && help.contains("--source=S"), help);
  }

  @Test
  void takesFreshInputFilesAndTheirSource() {
    PredictCommand cmd = new PredictCommand();
    new CommandLine(cmd).parseArgs(with("--input", "a.csv.gz", "dir/", "--source", "azure"));
    assertEquals(java.util.List.of("a.csv.gz", "dir/"), cmd.inputs);
    assertEquals("azure", cmd.source);
    PredictCommand none = new PredictCommand();
    new CommandLine(none).parseArgs(REQUIRED);
    assertEquals(java.util.List.of(), none.inputs);
  }
}
