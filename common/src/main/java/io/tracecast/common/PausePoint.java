package io.tracecast.common;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named places in the output code where a crash test can stop the process: with the system
 * property {@code tracecast.test.pause-at=<point>[:n]}, the n-th time (1 when omitted) a thread
 * reaches {@code point} it prints {@code PAUSED <point>} on stdout and blocks for good, so that
 * the test kills the process (SIGKILL) exactly there ({@code CrashSafetyIT} in the cli module).
 * Without the property every call is a no-op. The points are listed where they are reached:
 * search for {@code PausePoint.reach}.
 */
public final class PausePoint {
  /** The system property naming the point to pause at. */
  public static final String PROPERTY = "tracecast.test.pause-at";
  private static final String POINT;
  private static final int NTH;
  private static final ConcurrentHashMap<String, AtomicInteger> REACHED =
      new ConcurrentHashMap<>();

  static {
    String value = System.getProperty(PROPERTY, "").trim();
    int colon = value.lastIndexOf(':');
    POINT = colon < 0 ? value : value.substring(0, colon);
    NTH = colon < 0 ? 1 : Integer.parseInt(value.substring(colon + 1));
  }

  private PausePoint() {}

  /** Blocks for good when this is the configured point's n-th visit; otherwise returns. */
  public static void reach(String point) {
    if (POINT.isEmpty() || !POINT.equals(point)
        || REACHED.computeIfAbsent(point, p -> new AtomicInteger()).incrementAndGet() != NTH) {
      return;
    }
    System.out.println("PAUSED " + point);
    System.out.flush();
    while (true) {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        // only the test's kill ends a paused process: a Spark task interrupt must not resume it
      }
    }
  }
}
