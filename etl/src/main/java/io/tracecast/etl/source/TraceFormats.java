package io.tracecast.etl.source;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The trace formats tracecast reads, by source name. */
public final class TraceFormats {
  private static final Map<String, TraceFormat> BY_NAME = List.of(
          new Google2019Format(), new Google2011Format(), new AzureFormat(),
          new BitbrainsFormat(), new AlibabaFormat())
      .stream().collect(Collectors.toUnmodifiableMap(TraceFormat::name, Function.identity()));

  private TraceFormats() {}

  public static TraceFormat byName(String name) {
    TraceFormat f = BY_NAME.get(name);
    if (f == null) {
      throw new IllegalArgumentException(
          "unknown source '" + name + "', expected one of " + names());
    }
    return f;
  }

  /** Every format, in the order of {@link #names()}. */
  public static List<TraceFormat> all() {
    return names().stream().map(BY_NAME::get).toList();
  }

  /** The source names, sorted. */
  public static List<String> names() {
    return BY_NAME.keySet().stream().sorted().toList();
  }
}
