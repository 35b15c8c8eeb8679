package io.tracecast.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code tracecast} command in a child JVM (this JVM's classpath, the Java 17 options of
 * {@link JavaModuleOptions}, a small heap), its stdout and stderr collected line by line, so that
 * a test can wait for a line and then kill the process with SIGKILL
 * ({@link Process#destroyForcibly()} on Linux). With a pause point
 * ({@code io.tracecast.common.PausePoint}) the child blocks at that point after printing
 * {@code PAUSED <point>}.
 */
final class ChildCommand {
  private static final Path ROOT = Paths.get(System.getProperty("tracecast.root", ".."));
  private static final long TIMEOUT_MILLIS = 300_000;

  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final long startNanos = System.nanoTime();

  private ChildCommand(Process process) {
    this.process = process;
    Thread pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(
          process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
          }
        }
      } catch (IOException e) {
        // the process was killed: its pipe closes
      }
    }, "child-output");
    pump.setDaemon(true);
    pump.start();
  }

  /** Starts {@code tracecast args}, pausing at {@code pauseAt} ({@code point[:n]}) unless null. */
  static ChildCommand start(String pauseAt, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.addAll(JavaModuleOptions.list());
    cmd.add("-Dlog4j2.configurationFile="
        + ROOT.resolve("conf/log4j2.properties").toAbsolutePath());
    if (pauseAt != null) {
      cmd.add("-Dtracecast.test.pause-at=" + pauseAt);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("OMP_NUM_THREADS", "1");
    try {
      return new ChildCommand(pb.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + cmd, e);
    }
  }

  /** Waits until a line contains {@code text}; false when the process ended without one. */
  boolean awaitLine(String text) {
    long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
    synchronized (lines) {
      int seen = 0;
      while (System.currentTimeMillis() < deadline) {
        for (; seen < lines.size(); seen++) {
          if (lines.get(seen).contains(text)) {
            return true;
          }
        }
        if (!process.isAlive() && seen == lines.size()) {
          try {
            lines.wait(200); // the pump may still be reading the last lines
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
          if (seen == lines.size()) {
            return false;
          }
          continue;
        }
        try {
          lines.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    throw new IllegalStateException("no line with '" + text + "' after " + TIMEOUT_MILLIS
        + " ms:\n" + log());
  }

  /** SIGKILL; returns once the process is gone. True when it was still running. */
  boolean kill() {
    boolean alive = process.isAlive();
    process.destroyForcibly();
    try {
      process.waitFor(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return alive;
  }

  /** The exit code, waiting for the end. */
  int awaitExit() {
    try {
      if (!process.waitFor(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
        kill();
        throw new IllegalStateException("still running after " + TIMEOUT_MILLIS + " ms:\n"
            + log());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  double secondsSinceStart() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  boolean logged(String text) {
    synchronized (lines) {
      return lines.stream().anyMatch(l -> l.contains(text));
    }
  }

  String log() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }
}
