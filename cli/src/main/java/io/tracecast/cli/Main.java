package io.tracecast.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tracecast} command. Usable from {@code bin/tracecast} (local Spark) and as the
 * main class of {@code spark-submit}.
 */
@Command(name = "tracecast", mixinStandardHelpOptions = true, version = "tracecast 0.1.0",
    description = "Forecast cloud resource usage from public cluster traces on Spark and DL4J.",
    subcommands = {EtlCommand.class, TrainCommand.class, EvaluateCommand.class,
        AutoscaleCommand.class,
        PredictCommand.class, TuneCommand.class, PipelineCommand.class,
        RegistryCommand.class,
        ConfigCommand.class, BenchCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code. */
  public static int execute(String... args) {
    return execute(new java.io.PrintWriter(System.err, true), args);
  }

  /** As {@link #execute(String...)}, with errors written to {@code err} (tests read it). */
  public static int execute(java.io.PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new Main()).setErr(err);
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("tracecast: " + ErrorMessages.describe(e));
      if (Boolean.getBoolean("tracecast.debug")) {
        e.printStackTrace(cmd.getErr());
      }
      return 1;
    });
    return cl.execute(args);
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }
}
