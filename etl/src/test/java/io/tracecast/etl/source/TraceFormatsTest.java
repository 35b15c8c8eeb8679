package io.tracecast.etl.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.etl.feature.CalendarFeature;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What holds for every format, and how a source name is resolved. */
class TraceFormatsTest {

  @Test
  void listsEveryFormatOnceByItsSortedName() {
    assertEquals(List.of("alibaba", "azure", "bitbrains", "google2011", "google2019"),
        TraceFormats.names());
    assertEquals(TraceFormats.names(), TraceFormats.all().stream().map(TraceFormat::name).toList());
    for (TraceFormat f : TraceFormats.all()) {
      assertSame(f, TraceFormats.byName(f.name()));
    }
  }

  @Test
  void rejectsAnUnknownSourceListingTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TraceFormats.byName("borg"));
    assertEquals("unknown source 'borg', expected one of"
        + " [alibaba, azure, bitbrains, google2011, google2019]", e.getMessage());
  }

  @Test
  void defaultsReadOnlyMetricsTheFormatFills() {
    for (TraceFormat f : TraceFormats.all()) {
      SourceDefaults d = f.defaults();
      assertTrue(f.metrics().containsAll(d.metricFeatures()), f.name() + " features " + d);
      assertTrue(f.metrics().containsAll(d.targets()), f.name() + " targets " + d);
      // the default normalisation (window) anchors each target on its last value as a feature
      assertTrue(d.metricFeatures().containsAll(d.targets()), f.name() + " " + d);
      for (String feature : d.features()) {
        assertTrue(CalendarFeature.isCalendar(feature)
            || f.metrics().contains(Metric.fromColumn(feature)), f.name() + ": " + feature);
      }
    }
  }

  @Test
  void onlyATraceWithoutJobsAcceptsAGrouping() {
    List<String> grouping = TraceFormats.all().stream()
        .filter(f -> f.defaults().acceptsGrouping()).map(TraceFormat::name).toList();
    assertEquals(List.of("alibaba"), grouping);
  }
}
