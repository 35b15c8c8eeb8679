package io.tracecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What {@code bench cluster} reads from the train command's output: its "published" lines. */
class ClusterBenchTest {
  @Test
  void readsEveryPublishedModelWithItsExecutionEpochsSpeedAndTime() {
    String output = String.join("\n",
        "17:27:01 INFO TrainJob: planning 2 networks on 2 slots",
        "published 2013-7/mlp v1 (packed, best epoch 2 of 2, 11456 samples/s, 67.2 s)",
        "published 2013-7/cnn v3 (data_parallel, best epoch 1 of 2, resumed after epoch 1, "
            + "3866 samples/s, 172.6 s)",
        "skipped 2013-8: no train windows",
        "2 published, 0 failed, 1 jobs skipped in 230.1 s");
    List<ClusterBench.Published> p = ClusterBench.published(output);
    assertEquals(List.of(
        new ClusterBench.Published("2013-7", "mlp", "packed", 2, 2, 11456, 67.2),
        new ClusterBench.Published("2013-7", "cnn", "data_parallel", 1, 2, 3866, 172.6)), p);
  }

  @Test
  void anOutputWithoutPublishedModelsReadsAsNone() {
    assertEquals(List.of(), ClusterBench.published("0 published, 1 failed, 0 jobs skipped"));
  }

  @Test
  void modesParseByNameAndAnUnknownModeIsRefused() {
    ClusterBench bench = new ClusterBench();
    new CommandLine(bench).parseArgs("--dataset", "d", "--jar", "j", "--spark-classpath", "c",
        "--modes", "packed,parallel", "--models", "mlp,cnn", "--workers", "2");
    assertEquals(List.of(ClusterBench.Mode.packed, ClusterBench.Mode.parallel), bench.modes);
    assertEquals(List.of("mlp", "cnn"), bench.models);
    assertEquals(List.of(2), bench.workers);
    assertThrows(CommandLine.ParameterException.class, () -> new CommandLine(new ClusterBench())
        .parseArgs("--dataset", "d", "--jar", "j", "--spark-classpath", "c", "--modes", "fast"));
  }
}
