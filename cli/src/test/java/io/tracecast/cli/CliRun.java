package io.tracecast.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs the {@code tracecast} command line in-process, capturing what it prints. */
final class CliRun {
  private CliRun() {}

  /** exit code, stdout, stderr. */
  static String[] run(String... args) {
    StringWriter err = new StringWriter();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int code = Main.execute(new PrintWriter(err, true), args);
      return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8),
          err.toString()};
    } finally {
      System.setOut(saved);
    }
  }
}
