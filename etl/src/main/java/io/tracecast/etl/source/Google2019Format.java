package io.tracecast.etl.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.etl.feature.CalendarFeature;
import io.tracecast.etl.quarantine.BadFileException;
import io.tracecast.etl.quarantine.Reason;
import io.tracecast.etl.quarantine.RowRejectedException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Google ClusterData2019 {@code instance_usage}, in either of two layouts, told apart per file:
 *
 * <ul>
 *   <li>flattened CSV with a header naming the columns ({@code time} or {@code start_time} and
 *       {@code end_time}, {@code collection_id}, {@code instance_index}, {@code avg_cpu_usage},
 *       {@code avg_memory_usage}, {@code max_cpu_usage}); columns are found by name;
 *   <li>JSON lines as exported from BigQuery: nested {@code average_usage {cpus, memory}},
 *       {@code maximum_usage {cpus, memory}}, times and ids as numbers or strings.
 * </ul>
 *
 * Times are microseconds since the trace start; usage is in Normalized Compute Units (fraction
 * of the largest machine). Job = collection_id, series = collection_id-instance_index.
 */
public final class Google2019Format implements TraceFormat {
  /** Rejects text after the object: a line holds one row, not a row and some garbage. */
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @Override
  public String name() {
    return "google2019";
  }

  @Override
  public List<Metric> metrics() {
    return List.of(Metric.CPU, Metric.CPU_MAX, Metric.MEMORY);
  }

  @Override
  public List<String> units() {
    return List.of(
        "fraction of the largest machine's CPU (NCU)", "fraction of the largest machine's CPU (NCU)",
        "fraction of the largest machine's memory (NMU)");
  }

  @Override
  public boolean seriesPerFile() {
    // BigQuery exports mix instances in one file; the flattened CSV holds one, but the ETL
    // cannot know which layout a glob holds before reading it.
    return false;
  }

  @Override
  public SourceDefaults defaults() {
    // The trace period starts at midnight US/Pacific on 2019-05-01 (07:00Z), at trace time
    // 600 s: so trace time 0 is ten minutes earlier.
    return SourceDefaults.namingJobs(List.of(Metric.CPU, Metric.CPU_MAX, Metric.MEMORY),
        CalendarFeature.DAY_AND_WEEK, List.of(Metric.CPU), Instant.parse("2019-05-01T06:50:00Z"));
  }

  @Override
  public RowParser newParser(String file, SourceContext context) {
    return new Parser(file, context.timeOriginMicros());
  }

  private static final class Parser implements RowParser {
    private final String file;
    private final long originMicros;
    private final DelimitedLine fields = new DelimitedLine(',');
    private final double[] values = new double[3];
    private Map<String, Integer> columns;
    private boolean json;
    private String headerLine;
    private int time, start, end, collection, instance, cpu, cpuMax, memory;

    Parser(String file, long originMicros) {
      this.file = file;
      this.originMicros = originMicros;
    }

    @Override
    public void parse(long lineNumber, String line, RowSink sink) throws RowRejectedException {
      if (columns == null && !json) {
        if (line.startsWith("{")) {
          json = true;
        } else {
          readHeader(line);
          return;
        }
      }
      if (json) {
        parseJson(line, sink);
      } else {
        parseCsv(line, sink);
      }
    }

    private void readHeader(String line) {
      fields.split(line);
      columns = new HashMap<>();
      for (int i = 0; i < fields.size(); i++) {
        columns.put(fields.field(i), i);
      }
      headerLine = line;
      start = columns.getOrDefault("start_time", -1);
      end = columns.getOrDefault("end_time", -1);
      time = columns.getOrDefault("time", start);
      collection = require("collection_id");
      instance = require("instance_index");
      cpu = require("avg_cpu_usage");
      memory = require("avg_memory_usage");
      cpuMax = columns.getOrDefault("max_cpu_usage", -1);
      if (time < 0) {
        throw new BadFileException(file, Reason.WRONG_FORMAT,
            "not a google2019 file: header has neither 'time' nor 'start_time'", null);
      }
    }

    private int require(String column) {
      Integer index = columns.get(column);
      if (index == null) {
        throw new BadFileException(file, Reason.WRONG_FORMAT,
            "not a google2019 file: header lacks column '" + column
                + "' (is this an instance_usage CSV?)", null);
      }
      return index;
    }

    private void parseCsv(String line, RowSink sink) throws RowRejectedException {
      if (line.equals(headerLine)) {
        throw new RowRejectedException(Reason.HEADER_IN_BODY, "header repeated");
      }
      fields.split(line).requireFields(columns.size());
      long startTime = fields.time(time, "time");
      if (end >= 0 && start >= 0) {
        checkOrder(startTime, fields.time(end, "end_time"));
      }
      String job = fields.id(collection, "collection_id");
      String series = job + "-" + fields.id(instance, "instance_index");
      values[0] = fields.optionalNumber(cpu, "avg_cpu_usage");
      values[1] = cpuMax < 0 ? Double.NaN : fields.optionalNumber(cpuMax, "max_cpu_usage");
      values[2] = fields.optionalNumber(memory, "avg_memory_usage");
      sink.accept(job, series, DelimitedLine.micros(originMicros, startTime, 1, "time"), values);
    }

    private void parseJson(String line, RowSink sink) throws RowRejectedException {
      JsonNode row;
      try {
        row = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        throw new RowRejectedException(Reason.MALFORMED_JSON, e.getOriginalMessage());
      }
      if (row == null || !row.isObject()) {
        throw new RowRejectedException(Reason.MALFORMED_JSON, "not a JSON object");
      }
      long startTime = jsonTime(row, "start_time");
      if (row.hasNonNull("end_time")) {
        checkOrder(startTime, jsonTime(row, "end_time"));
      }
      String job = jsonId(row, "collection_id");
      String series = job + "-" + jsonId(row, "instance_index");
      JsonNode average = row.path("average_usage");
      if (!average.isObject()) {
        throw new RowRejectedException(Reason.MISSING_FIELD, "average_usage is missing");
      }
      values[0] = jsonNumber(average, "cpus", "average_usage.cpus");
      values[1] = jsonNumber(row.path("maximum_usage"), "cpus", "maximum_usage.cpus");
      values[2] = jsonNumber(average, "memory", "average_usage.memory");
      sink.accept(job, series, DelimitedLine.micros(originMicros, startTime, 1, "time"), values);
    }

    private static void checkOrder(long startTime, long endTime) throws RowRejectedException {
      if (endTime < startTime) {
        throw new RowRejectedException(
            Reason.END_BEFORE_START, "end_time " + endTime + " < start_time " + startTime);
      }
    }

    private static long jsonTime(JsonNode row, String name) throws RowRejectedException {
      JsonNode node = row.get(name);
      if (node == null || node.isNull()) {
        throw new RowRejectedException(Reason.MISSING_TIMESTAMP, name + " is missing");
      }
      if (node.canConvertToLong() && node.isIntegralNumber()) {
        return node.asLong();
      }
      try {
        return Long.parseLong(node.asText());
      } catch (NumberFormatException e) {
        throw new RowRejectedException(
            Reason.UNPARSABLE_TIMESTAMP, name + " '" + node.asText() + "' is not an integer time");
      }
    }

    private static String jsonId(JsonNode row, String name) throws RowRejectedException {
      JsonNode node = row.get(name);
      if (node == null || node.isNull() || node.asText().isEmpty()) {
        throw new RowRejectedException(Reason.MISSING_SERIES_ID, name + " is missing");
      }
      return node.asText();
    }

    private static double jsonNumber(JsonNode parent, String field, String name)
        throws RowRejectedException {
      JsonNode node = parent.get(field);
      if (node == null || node.isNull()) {
        return Double.NaN;
      }
      double value = node.isNumber() ? node.asDouble() : DelimitedLine.parse(node.asText(), name);
      return DelimitedLine.finite(value, name);
    }
  }
}
