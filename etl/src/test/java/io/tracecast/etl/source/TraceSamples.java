package io.tracecast.etl.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The real trace rows under {@code src/test/resources/traces} (see the NOTICE there) and the
 * plumbing to push bytes through a {@link TraceFileReader} the way the ETL does.
 */
final class TraceSamples {
  /** 2100-01-01T00:00:00Z in microseconds since the epoch: the exclusive upper time limit. */
  static final long YEAR_2100_MICROS = micros("2100-01-01T00:00:00Z");
  /** Two times capacity, zero as earliest time, 64 Ki characters a line, target = metric 0. */
  static final RowLimits LIMITS = new RowLimits(2.0, 0, YEAR_2100_MICROS, 65536, new int[] {0});

  private TraceSamples() {}

  static long micros(String isoInstant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(isoInstant));
  }

  /** The bytes of a resource under {@code /traces/}, e.g. {@code bitbrains/2013-7/14.csv}. */
  static byte[] resource(String path) {
    try (InputStream in = TraceSamples.class.getResourceAsStream("/traces/" + path)) {
      assertNotNull(in, "missing test resource /traces/" + path);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The resource's text lines, decompressed when the resource is gzip. */
  static List<String> lines(String path) {
    byte[] bytes = resource(path);
    if (path.endsWith(".gz")) {
      bytes = gunzip(bytes);
    }
    return new String(bytes, StandardCharsets.UTF_8).lines().toList();
  }

  static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] gunzip(byte[] compressed) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static FileParse read(TraceFormat format, SourceContext context, String file, byte[] bytes)
      throws IOException {
    return new TraceFileReader(format, context, LIMITS).read(file, new ByteArrayInputStream(bytes));
  }

  static FileParse read(TraceFormat format, long originMicros, String file, byte[] bytes)
      throws IOException {
    return read(format, SourceContext.of(originMicros), file, bytes);
  }

  /** The one chunk of the given series; fails when there is none or more than one. */
  static SeriesChunk chunk(FileParse parse, String jobId, String seriesId) {
    List<SeriesChunk> found = parse.chunks().stream()
        .filter(c -> c.jobId().equals(jobId) && c.seriesId().equals(seriesId))
        .toList();
    assertEquals(1, found.size(), () -> "chunks of " + jobId + "/" + seriesId + " among "
        + parse.chunks().stream().map(c -> c.jobId() + "/" + c.seriesId()).toList());
    return found.get(0);
  }

  /**
   * {@code format}'s defaults, as the columns and values its block in conf/application.conf
   * holds; {@code grouping} null for a trace that names its jobs.
   */
  static void assertDefaults(TraceFormat format, List<String> features, List<String> targets,
      String timeOrigin, String grouping) {
    SourceDefaults d = format.defaults();
    assertEquals(features, d.features(), format.name() + " features");
    assertEquals(targets, d.targetColumns(), format.name() + " targets");
    assertEquals(Instant.parse(timeOrigin), d.timeOrigin(), format.name() + " time-origin");
    assertEquals(Optional.ofNullable(grouping), d.grouping(), format.name() + " grouping");
  }

  /** Same series, same timestamps, same values bit for bit (NaN equals NaN). */
  static void assertSameChunks(FileParse expected, FileParse actual) {
    assertEquals(expected.rowsRead(), actual.rowsRead(), "rows read");
    assertEquals(expected.rowsAccepted(), actual.rowsAccepted(), "rows accepted");
    assertEquals(expected.quarantined(), actual.quarantined(), "quarantine records");
    assertEquals(expected.chunks().size(), actual.chunks().size(), "series");
    for (int i = 0; i < expected.chunks().size(); i++) {
      SeriesChunk e = expected.chunks().get(i);
      SeriesChunk a = actual.chunks().get(i);
      assertEquals(e.key(), a.key());
      assertEquals(Arrays.toString(e.timestampsMicros()), Arrays.toString(a.timestampsMicros()));
      assertEquals(Arrays.deepToString(e.values()), Arrays.deepToString(a.values()));
    }
  }
}
