package io.tracecast.cli;

import static io.tracecast.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.etl.source.SourceDefaults;
import io.tracecast.etl.source.TraceFormat;
import io.tracecast.etl.source.TraceFormats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtlCommandTest {
  private static final Path ROOT = Paths.get(System.getProperty("tracecast.root", ".."));


  @Test
  void writesDatasetFromBundledSampleWithFlagOverrides(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("alibaba");
    String[] result = run("etl", "--source", "alibaba", "--master", "local[2]",
        "--input", ROOT.resolve("data/samples/alibaba").toString(),
        "--output", out.toString(), "--lookback", "6", "--grouping", "cluster");
    assertEquals("0", result[0], result[2]);
    assertTrue(result[1].contains("graphs 1 (largest 10 nodes)"), result[1]);
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertEquals(6, manifest.get("lookback").asInt());
    assertEquals("alibaba", manifest.get("source").asText());
    JsonNode counts = manifest.get("counts");
    assertEquals(counts.get("rowsRead").asLong(),
        counts.get("rowsAccepted").asLong() + counts.get("rowsQuarantined").asLong());
    assertEquals(10, counts.get("series").asLong());
    assertEquals(1, counts.get("jobs").asLong(), "--grouping cluster: one job");
    assertEquals(10, manifest.get("graphs").get(0).get("nodes").size());
    assertTrue(counts.get("windows").get("train").asLong() > 1000);
  }

  @Test
  void rejectsInvalidConfigurationNamingTheFullKey(@TempDir Path tmp) throws Exception {
    Path conf = tmp.resolve("bad.conf");
    Files.writeString(conf, "tracecast.etl.split.train = 1.5\n");
    String[] result = run("etl", "--source", "alibaba", "--conf", conf.toString(),
        "--input", ROOT.resolve("data/samples/alibaba").toString(),
        "--output", tmp.resolve("never").toString());
    assertEquals("1", result[0]);
    assertTrue(result[2].contains("tracecast.etl.split.train"), result[2]);
    assertFalse(Files.exists(tmp.resolve("never")));
  }

  @Test
  void refusesABacktestFoldOutsideItsFoldsBeforeReadingAnything(@TempDir Path tmp) {
    String[] result = run("etl", "--source", "bitbrains", "--backtest-fold", "3/3",
        "--input", ROOT.resolve("data/samples/bitbrains").toString(),
        "--output", tmp.resolve("never").toString());
    assertEquals("1", result[0]);
    assertTrue(result[2].contains("--backtest-fold") && result[2].contains("3/3"), result[2]);
    assertFalse(Files.exists(tmp.resolve("never")));
  }

  @Test
  void pipelineRefusesARefitBacktestOfOneFoldNamingTheKey(@TempDir Path tmp) {
    String[] result = run("pipeline", "--refit", "--folds", "1", "--sources", "bitbrains",
        "--work", tmp.resolve("work").toString(), "--reports", tmp.resolve("r").toString(),
        "--samples", ROOT.resolve("data/samples").toString());
    assertEquals("1", result[0]);
    assertTrue(result[2].contains("tracecast.pipeline.backtest.refit")
        && result[2].contains("tracecast.evaluate.backtest.folds >= 2"), result[2]);
    assertFalse(Files.exists(tmp.resolve("work")));
  }

  @Test
  void refusesAGroupingForATraceThatNamesItsJobs(@TempDir Path tmp) {
    String[] result = run("etl", "--source", "bitbrains", "--grouping", "cluster",
        "--input", ROOT.resolve("data/samples/bitbrains").toString(),
        "--output", tmp.resolve("never").toString());
    assertEquals("1", result[0]);
    assertTrue(result[2].contains("tracecast.etl.sources.bitbrains.grouping"), result[2]);
  }

  @Test
  void rejectsUnknownSourceListingTheKnownOnes(@TempDir Path tmp) {
    String[] result = run("etl", "--source", "borg", "--input", "x", "--output",
        tmp.resolve("o").toString());
    assertEquals("1", result[0]);
    assertTrue(result[2].contains("bitbrains") && result[2].contains("google2019"), result[2]);
  }

  @Test
  void helpListsEverySourceWithTheDefaultsOfItsFormat() {
    String[] result = run("etl", "--help");
    assertEquals("0", result[0], result[2]);
    // picocli wraps option descriptions: compare with runs of white space as one space
    String help = result[1].replaceAll("\\s+", " ");
    assertTrue(help.contains(
        "Trace format: alibaba, azure, bitbrains, google2011, google2019 (their defaults below)"),
        result[1]);
    // as conf/application.conf documents them
    assertTrue(help.contains("alibaba: targets cpu, time-origin 1970-01-01T00:00:00Z, grouping"
        + " machine features cpu, memory, net_in, net_out, hour_sin, hour_cos, dow_sin, dow_cos"),
        result[1]);
    assertTrue(help.contains("google2019: targets cpu, time-origin 2019-05-01T06:50:00Z features"
        + " cpu, cpu_max, memory, hour_sin, hour_cos, dow_sin, dow_cos"), result[1]);
    for (TraceFormat format : TraceFormats.all()) {
      SourceDefaults d = format.defaults();
      assertTrue(help.contains(format.name() + ": targets " + String.join(", ", d.targetColumns())
          + ", time-origin " + d.timeOrigin()), format.name() + " in " + result[1]);
      assertTrue(help.contains("features " + String.join(", ", d.features())), result[1]);
      assertEquals(d.acceptsGrouping(), help.contains(format.name() + ": targets "
          + String.join(", ", d.targetColumns()) + ", time-origin " + d.timeOrigin()
          + ", grouping "), format.name() + " grouping in " + result[1]);
    }
    assertTrue(help.contains("--grouping=<grouping> Only for a source whose trace names no job"),
        result[1]);
    assertTrue(help.contains("machine, cluster, or the path of a CSV file"), result[1]);
  }

  @Test
  void saysWhichFileIsUnreadableAndWhyOnce(@TempDir Path tmp) throws Exception {
    byte[] whole = Files.readAllBytes(ROOT.resolve("data/samples/bitbrains/2013-7/1.csv.gz"));
    Path truncated = Files.createDirectories(tmp.resolve("in/2013-7")).resolve("1.csv.gz");
    Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
    String[] result = run("etl", "--source", "bitbrains", "--master", "local[1]",
        "--input", truncated.toString(), "--output", tmp.resolve("never").toString());
    assertEquals("1", result[0]);
    assertEquals("tracecast: file:" + truncated + ": UNREADABLE_FILE: EOFException: Unexpected "
        + "end of ZLIB input stream (set tracecast.etl.skip-bad-files = true to skip such files)"
        + System.lineSeparator(), result[2]);
    assertFalse(Files.exists(tmp.resolve("never")));
  }
}
