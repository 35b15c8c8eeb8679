package io.tracecast.cli;

import static io.tracecast.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracecast pipeline} end to end (ETL -> train -> evaluate -> index) over cut-down copies
 * of two bundled samples: Bitbrains VMs 1 and 2 (one job, 2013-7) and Alibaba machines m_1932
 * and m_1933 (two jobs), with an MLP trained for two epochs. The summary escapes Markdown in
 * job names (m\_1932).
 */
class PipelineIT {
  private static final Path ROOT = Paths.get(System.getProperty("tracecast.root", ".."));
  private static final int BITBRAINS_ROWS = 400;
  private static final int ALIBABA_ROWS_PER_MACHINE = 1000;
  private static final Map<String, List<String>> JOBS = Map.of(
      "bitbrains", List.of("2013-7"), "alibaba", List.of("m_1932", "m_1933"));


  /** Copies the lines of a gzipped file that {@code keep} accepts (the header always). */
  static void cut(Path from, Path to, boolean header, Predicate<String> keep)
      throws IOException {
    Files.createDirectories(to.getParent());
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
            new GZIPInputStream(Files.newInputStream(from)), StandardCharsets.UTF_8));
        Writer w = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(to)),
            StandardCharsets.UTF_8)) {
      String line;
      boolean first = header;
      while ((line = r.readLine()) != null) {
        if (first || keep.test(line)) {
          w.write(line);
          w.write('\n');
        }
        first = false;
      }
    }
  }

  /** Cut-down Bitbrains (VMs 1, 2) and Alibaba (m_1932, m_1933) samples under {@code tmp}. */
  /** The first {@code rows} rows of the bundled Bitbrains VMs 1 and 2 under {@code samples}. */
  static void bitbrainsHead(Path samples, int rows) throws IOException {
    for (String vm : List.of("1", "2")) {
      int[] n = {0};
      cut(ROOT.resolve("data/samples/bitbrains/2013-7/" + vm + ".csv.gz"),
          samples.resolve("bitbrains/2013-7/" + vm + ".csv.gz"), true,
          line -> n[0]++ < rows);
    }
  }

  static Path samples(Path tmp) throws IOException {
    Path samples = tmp.resolve("samples");
    bitbrainsHead(samples, BITBRAINS_ROWS);
    Map<String, Integer> perMachine = new HashMap<>();
    cut(ROOT.resolve("data/samples/alibaba/machine_usage.csv.gz"),
        samples.resolve("alibaba/machine_usage.csv.gz"), false, line -> {
          String machine = line.substring(0, line.indexOf(','));
          return JOBS.get("alibaba").contains(machine)
              && perMachine.merge(machine, 1, Integer::sum) <= ALIBABA_ROWS_PER_MACHINE;
        });
    return samples;
  }

  @Test
  void runsEverySourceAndWritesTheIndexTheReportsAndTheChampions(@TempDir Path tmp)
      throws IOException {
    Path samples = samples(tmp);
    Path work = tmp.resolve("work");
    Path reports = tmp.resolve("reports");
    Path conf = Files.writeString(tmp.resolve("fast.conf"), String.join("\n",
        "tracecast.etl.lookback = 6",
        "tracecast.pipeline.train { max-epochs = 2, patience = 2, batch-size = 64,",
        "  learning-rate = 0.01, units { mlp = [8, 4] } }", ""));

    String[] r = run("pipeline", "--samples", samples.toString(), "--sources",
        "bitbrains,alibaba", "--work", work.toString(), "--reports", reports.toString(),
        "--models", "mlp", "--conf", conf.toString(), "--master", "local[2]");
    assertEquals("0", r[0], r[1] + r[2]);

    String summary = Files.readString(reports.resolve("summary.md"));
    String index = Files.readString(reports.resolve("index.html"));
    // one row per source (jobs, mean ratio, share of network champions), then one per job
    List<String> rows = summary.lines().filter(l -> l.startsWith("| ")
        && !l.startsWith("| dataset")).toList();
    assertEquals(JOBS.size() + 3, rows.size(), summary);
    for (String name : JOBS.keySet()) {
      int jobs = JOBS.get(name).size();
      assertTrue(rows.stream().anyMatch(l -> l.startsWith("| " + name + " | " + jobs + " | ")
          && l.contains(" of " + jobs + " |")), name + " summary row in\n" + summary);
    }
    for (Map.Entry<String, List<String>> source : JOBS.entrySet()) {
      String name = source.getKey();
      assertTrue(index.contains(name + "/index.html"), "index links the " + name + " report");
      List<String> csv = Files.readAllLines(reports.resolve(name).resolve("comparison.csv"));
      ModelRegistry registry = ModelRegistry.open(work.resolve("registry").resolve(name)
          .toString(), new Configuration());
      for (String job : source.getValue()) {
        ModelVersion champion = registry.aliases(job).get("champion");
        assertNotNull(champion, name + " " + job + " champion alias");
        // the champion is whichever candidate won on validation: the network or a baseline/
        // ensemble published for it; its summary row names it
        String label = champion.model().equals("mlp") ? "mlp v" + champion.version()
            : champion.model().replace("_", "\\_");
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("| " + name + " | "
            + job.replace("_", "\\_") + " | " + label + " |")),
            job + " row with its champion " + label + " in\n" + summary);
        assertTrue(index.contains(job), job);
        for (String model : List.of("persistence", "mlp")) {
          assertTrue(csv.stream().anyMatch(l -> l.contains(job) && l.contains(model)),
              name + " " + job + " " + model + " in " + csv);
        }
        assertTrue(List.of("mlp", "persistence", "seasonal_naive", "moving_average", "arima",
            "ensemble").contains(champion.model()), champion.toString());
      }
    }
    assertTrue(r[1].contains("pipeline done"), r[1]);
  }
}
