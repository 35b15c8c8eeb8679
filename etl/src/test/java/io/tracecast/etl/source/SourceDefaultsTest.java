package io.tracecast.etl.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.feature.CalendarFeature;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SourceDefaultsTest {
  private static final List<Metric> CPU = List.of(Metric.CPU);

  @Test
  void ordersFeatureColumnsMetricsFirstThenCalendar() {
    SourceDefaults d = SourceDefaults.namingJobs(List.of(Metric.MEMORY, Metric.CPU),
        List.of(CalendarFeature.MINUTE_COS, CalendarFeature.HOUR_SIN), CPU, Instant.EPOCH);
    assertEquals(List.of("memory", "cpu", "minute_cos", "hour_sin"), d.features());
    assertEquals(List.of("cpu"), d.targetColumns());
  }

  @Test
  void aTraceNamingItsJobsAcceptsNoGrouping() {
    SourceDefaults d = SourceDefaults.namingJobs(CPU, List.of(), CPU, Instant.EPOCH);
    assertFalse(d.acceptsGrouping());
    assertEquals(Optional.empty(), d.effectiveGrouping(null));
    assertEquals(Optional.empty(), d.effectiveGrouping("cluster"));
  }

  @Test
  void aConfiguredGroupingOverridesTheDefault() {
    SourceDefaults d = SourceDefaults.groupingMachines(CPU, List.of(), CPU, Instant.EPOCH,
        MachineGrouping.MACHINE);
    assertTrue(d.acceptsGrouping());
    assertEquals(Optional.of("machine"), d.effectiveGrouping(null));
    assertEquals(Optional.of("hdfs:///groups.csv"), d.effectiveGrouping("hdfs:///groups.csv"));
  }

  @Test
  void rejectsDefaultsNoRunCouldUse() {
    assertThrows(IllegalArgumentException.class,
        () -> SourceDefaults.namingJobs(List.of(), List.of(), CPU, Instant.EPOCH));
    assertThrows(IllegalArgumentException.class,
        () -> SourceDefaults.namingJobs(CPU, List.of(), List.of(), Instant.EPOCH));
    assertThrows(IllegalArgumentException.class, () -> SourceDefaults.namingJobs(
        List.of(Metric.CPU, Metric.CPU), List.of(), CPU, Instant.EPOCH));
    assertThrows(IllegalArgumentException.class, () -> SourceDefaults.namingJobs(CPU,
        List.of(CalendarFeature.DOW_SIN, CalendarFeature.DOW_SIN), CPU, Instant.EPOCH));
    assertThrows(IllegalArgumentException.class,
        () -> SourceDefaults.groupingMachines(CPU, List.of(), CPU, Instant.EPOCH, " "));
    assertThrows(NullPointerException.class,
        () -> SourceDefaults.namingJobs(CPU, List.of(), CPU, null));
  }
}
