package io.tracecast.etl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small hand-written Google ClusterData2011 {@code task_usage} trace in two part files, with
 * values that are linear in the step index so that every cleaned and scaled number can be
 * computed by hand:
 *
 * <pre>
 * series  job   task  steps present (of 0..39)      cleaned points  segments
 * 6000-0  6000  0     all                          40              1
 * 6000-1  6000  1     all but 10, 11 (short gap)   40 (2 interp.)  1
 * 7000-0  7000  0     all but 20..24 (long gap)    35              2
 * </pre>
 *
 * Step {@code i} starts at trace time {@code 600 s + i * 300 s}, which with the default time
 * origin 2011-05-01T22:50Z is 23:00Z + i * 5 min, on the 5-minute grid. Rows with {@code i < 20}
 * are in part 0, the rest in part 1, so every series spans both files. Part 1 also holds three
 * bad rows: a short line, a negative CPU rate and an end before its start.
 */
public final class Google2011Fixture {
  public static final int STEPS = 40;
  public static final long STEP_MICROS = 300_000_000L;
  public static final long FIRST_START_MICROS = 600_000_000L;
  public static final int GOOD_ROWS = 40 + 38 + 35;
  public static final int BAD_ROWS = 3;

  private Google2011Fixture() {}

  public record Task(String job, int task) {
    public String seriesId() {
      return job + "-" + task;
    }
  }

  public static final List<Task> TASKS =
      List.of(new Task("6000", 0), new Task("6000", 1), new Task("7000", 0));

  /** Whether step {@code i} of a task has a row in the trace. */
  public static boolean present(Task t, int i) {
    if (t.job().equals("6000") && t.task() == 1) {
      return i != 10 && i != 11;
    }
    if (t.job().equals("7000")) {
      return i < 20 || i > 24;
    }
    return true;
  }

  /** Mean CPU rate at step i (linear in i, so interpolation reproduces it). */
  public static double cpu(Task t, int i) {
    return 0.01 * (i + 1) + 0.1 * t.task() + (t.job().equals("7000") ? 0.3 : 0);
  }

  public static double cpuMax(Task t, int i) {
    return 1.5 * cpu(t, i);
  }

  public static double memory(Task t, int i) {
    return 0.2 + 0.005 * i + 0.05 * t.task();
  }

  /** Canonical metric value in the format's order: cpu, cpu_max, memory, disk_io. */
  public static double metric(String column, Task t, int i) {
    return switch (column) {
      case "cpu" -> cpu(t, i);
      case "cpu_max" -> cpuMax(t, i);
      case "memory" -> memory(t, i);
      default -> throw new IllegalArgumentException(column);
    };
  }

  private static String row(long start, long end, String job, int task, double cpu,
      double memory, double cpuMax) {
    // 0 start, 1 end, 2 job, 3 task, 4 machine, 5 cpu, 6 memory, 7..12, 13 max cpu, 14..19
    return String.format(Locale.ROOT,
        "%d,%d,%s,%d,4820285492,%s,%s,0.07,0.0001,0.0002,0.08,0.001,0.0003,%s,0.01,1.2,0.003,,0,",
        start, end, job, task, cpu, memory, cpuMax);
  }

  /** Writes part-00000-of-00002.csv and part-00001-of-00002.csv; returns their paths. */
  public static List<Path> write(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<String> part0 = new ArrayList<>();
    List<String> part1 = new ArrayList<>();
    for (int i = 0; i < STEPS; i++) {
      for (Task t : TASKS) {
        if (!present(t, i)) {
          continue;
        }
        long start = FIRST_START_MICROS + i * STEP_MICROS;
        (i < 20 ? part0 : part1).add(row(start, start + STEP_MICROS, t.job(), t.task(),
            cpu(t, i), memory(t, i), cpuMax(t, i)));
      }
    }
    long late = FIRST_START_MICROS + 30 * STEP_MICROS;
    part1.add(5, "600000000,900000000,6000,0,4820285492,0.1");
    part1.add(9, row(late, late + STEP_MICROS, "6000", 0, -0.2, 0.2, 0.3));
    part1.add(13, row(late, late - 1, "6000", 1, 0.2, 0.2, 0.3));
    Path p0 = dir.resolve("part-00000-of-00002.csv");
    Path p1 = dir.resolve("part-00001-of-00002.csv");
    Files.write(p0, part0, StandardCharsets.UTF_8);
    Files.write(p1, part1, StandardCharsets.UTF_8);
    return List.of(p0, p1);
  }
}
