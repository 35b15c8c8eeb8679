package io.tracecast.cli;

import static io.tracecast.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tracecast train} and {@code tracecast registry} on the bundled Alibaba sample. */
class TrainCommandTest {
  private static final Path ROOT = Paths.get(System.getProperty("tracecast.root", ".."));
  @TempDir
  static Path tmp;
  private static Path dataset;
  private static Path smallConf;


  @BeforeAll
  static void dataset() throws Exception {
    dataset = tmp.resolve("alibaba");
    String[] etl = run("etl", "--source", "alibaba", "--master", "local[2]",
        "--input", ROOT.resolve("data/samples/alibaba").toString(),
        "--output", dataset.toString(), "--lookback", "6");
    assertEquals("0", etl[0], etl[2]);
    smallConf = tmp.resolve("small.conf");
    Files.writeString(smallConf, "tracecast.train { max-epochs = 2, patience = 2, "
        + "batch-size = 32, learning-rate = 0.01, units { lstm = [4] } }\n");
  }

  @Test
  void trainsTheRequestedJobsAndTheRegistryListsAndShowsThem() {
    Path registry = tmp.resolve("registry");
    String[] train = run("train", "--dataset", dataset.toString(), "--registry",
        registry.toString(), "--models", "lstm", "--jobs", "m_1932", "--conf",
        smallConf.toString(), "--master", "local[2]");
    assertEquals("0", train[0], train[1] + train[2]);
    assertTrue(train[1].contains("published m_1932/lstm v1 (packed"), train[1]);

    String[] list = run("registry", "list", "--registry", registry.toString());
    assertEquals("0", list[0], list[2]);
    assertTrue(list[1].contains("m_1932") && list[1].contains("v1"), list[1]);
    assertTrue(list[1].contains("1 versions"), list[1]);

    String[] show = run("registry", "show", "--registry", registry.toString(), "--job", "m_1932",
        "--model", "lstm", "--version", "1");
    assertEquals("0", show[0], show[2]);
    assertTrue(show[1].contains("best epoch") && show[1].contains("fingerprint"), show[1]);
  }

  @Test
  void seedsFlagPublishesOneVersionPerSeed() {
    Path registry = tmp.resolve("registry-seeds");
    String[] train = run("train", "--dataset", dataset.toString(), "--registry",
        registry.toString(), "--models", "mlp", "--jobs", "m_1932", "--seeds", "2", "--conf",
        smallConf.toString(), "--master", "local[2]");
    assertEquals("0", train[0], train[1] + train[2]);
    assertTrue(train[1].contains("published m_1932/mlp v1") && train[1].contains(
        "published m_1932/mlp v2"), train[1]);
    io.tracecast.training.registry.ModelRegistry r = io.tracecast.training.registry.ModelRegistry
        .open(registry.toString(), new org.apache.hadoop.conf.Configuration());
    assertEquals(java.util.List.of(42L, 43L), r.list().stream()
        .map(v -> r.metadata(v).spec().training().seed()).toList());
  }

  @Test
  void tuneWritesTrialsCsvAndPlotsPublishesTheHpoModelAndNamesABadKey() throws Exception {
    Path registry = tmp.resolve("registry-tune");
    Path out = tmp.resolve("tune-out");
    Path conf = tmp.resolve("tune.conf");
    Files.writeString(conf, Files.readString(smallConf) + "tracecast.tune.space.default"
        + ".lookback { type = int, min = 2, max = 6 }\n");
    String[] tune = run("tune", "--dataset", dataset.toString(), "--registry",
        registry.toString(), "--models", "mlp", "--jobs", "m_1932", "--trials", "3",
        "--parallelism", "2", "--search", "random", "--conf", conf.toString(), "--output",
        out.toString(), "--master", "local[2]");
    assertEquals("0", tune[0], tune[1] + tune[2]);
    assertTrue(tune[1].contains("m_1932/mlp: 3 trials") && tune[1].contains("mlp_hpo v1"),
        tune[1]);
    Path dir = out.resolve("m_1932").resolve("mlp");
    assertEquals(4, Files.readAllLines(dir.resolve("trials.csv")).size());
    assertTrue(Files.size(dir.resolve("trials.png")) > 1000);
    assertTrue(Files.exists(dir.resolve("param-learning-rate.png")));
    assertTrue(Files.readString(out.resolve("summary.csv")).contains("m_1932,mlp_hpo,3,"));

    String[] bad = run("tune", "--dataset", dataset.toString(), "--registry",
        registry.toString(), "--models", "mlp", "--conf", smallConf.toString(),
        "--master", "local[2]");
    assertEquals("1", bad[0], bad[1]);
    assertTrue(bad[2].contains("tracecast.tune.space.default.lookback"), bad[2]);
  }

  @Test
  void trainsGbtKindsBesideTheNetworksAndShowsThem() throws Exception {
    Path registry = tmp.resolve("registry-gbt");
    Path conf = tmp.resolve("gbt.conf");
    Files.writeString(conf, Files.readString(smallConf)
        + "tracecast.train.gbt { rounds = 30, max-depth = 3, early-stopping-rounds = 5 }\n");
    String[] train = run("train", "--dataset", dataset.toString(), "--registry",
        registry.toString(), "--models", "lstm,gbt,gbt_global", "--jobs", "m_1932,m_1939",
        "--conf", conf.toString(), "--master", "local[2]");
    assertEquals("0", train[0], train[1] + train[2]);
    for (String job : new String[] {"m_1932", "m_1939"}) {
      assertTrue(train[1].contains("published " + job + "/lstm v1 (packed"), train[1]);
      assertTrue(train[1].contains("published " + job + "/gbt v1 (packed"), train[1]);
      assertTrue(train[1].contains("published " + job + "/gbt_global v1 (pooled"), train[1]);
    }
    assertTrue(train[1].contains("6 published, 0 failed"), train[1]);
    String[] show = run("registry", "show", "--registry", registry.toString(), "--job", "m_1932",
        "--model", "gbt_global");
    assertEquals("0", show[0], show[2]);
    assertTrue(show[1].contains("family      gbt") && show[1].contains("pooledOver"), show[1]);
  }

  @Test
  void trainsPatternModelsAndEvaluateScoresThemBesideTheBaselines() throws Exception {
    Path registry = tmp.resolve("registry-pattern");
    Path conf = tmp.resolve("pattern.conf");
    Files.writeString(conf, Files.readString(smallConf)
        + "tracecast.train { gbt { rounds = 30, max-depth = 3, early-stopping-rounds = 5 }, "
        + "patterns.k = 1, fine-tune-epochs = 2 }\n"
        + "tracecast.evaluate { baselines = [persistence], champion.ensemble-members = 0 }\n");
    String[] train = run("train", "--dataset", dataset.toString(), "--registry",
        registry.toString(), "--models", "gbt_pattern,mlp_tuned", "--jobs", "m_1932,m_1939",
        "--conf", conf.toString(), "--master", "local[2]");
    assertEquals("0", train[0], train[1] + train[2]);
    for (String job : new String[] {"m_1932", "m_1939"}) {
      for (String model : new String[] {"gbt_pattern", "mlp_pattern", "mlp_tuned"}) {
        assertTrue(train[1].contains("published " + job + "/" + model + " v1"), train[1]);
      }
    }
    assertTrue(train[1].contains("6 published, 0 failed"), train[1]);
    String[] show = run("registry", "show", "--registry", registry.toString(), "--job", "m_1932",
        "--model", "mlp_tuned");
    assertEquals("0", show[0], show[2]);
    assertTrue(show[1].contains("startedFrom") && show[1].contains("members"), show[1]);

    String[] evaluate = run("evaluate", "--dataset", dataset.toString(), "--registry",
        registry.toString(), "--report", tmp.resolve("report-pattern").toString(), "--jobs",
        "m_1932,m_1939", "--conf", conf.toString(), "--master", "local[2]");
    assertEquals("0", evaluate[0], evaluate[1] + evaluate[2]);
    for (String model : new String[] {"gbt_pattern", "mlp_pattern", "mlp_tuned"}) {
      assertTrue(evaluate[1].contains("all jobs  " + model), evaluate[1]);
    }
  }

  @Test
  void exitsWithThreeListingTheJobsThatFailed() throws Exception {
    // checkpoints under a regular file cannot be written: every job fails after its first epoch
    Path blocker = Files.writeString(tmp.resolve("not-a-directory"), "x");
    Path conf = tmp.resolve("failing.conf");
    Files.writeString(conf, Files.readString(smallConf)
        + "tracecast.train.checkpoint-dir = \"" + blocker.resolve("checkpoints") + "\"\n");
    String[] train = run("train", "--dataset", dataset.toString(), "--registry",
        tmp.resolve("r-failing").toString(), "--jobs", "m_1932", "--conf", conf.toString(),
        "--master", "local[2]");
    assertEquals(Integer.toString(TrainCommand.SOME_FAILED), train[0], train[1] + train[2]);
    assertTrue(train[2].contains("1 models failed") && train[2].contains("m_1932/lstm"),
        train[2]);
    assertTrue(train[1].contains("0 published, 1 failed"), train[1]);
  }

  @Test
  void unknownJobsAndModelsFailAtStartUpNamingThem() {
    String[] job = run("train", "--dataset", dataset.toString(), "--registry",
        tmp.resolve("r2").toString(), "--jobs", "nosuch", "--master", "local[2]");
    assertEquals("1", job[0]);
    assertTrue(job[2].contains("nosuch"), job[2]);
    String[] model = run("train", "--dataset", dataset.toString(), "--registry",
        tmp.resolve("r3").toString(), "--models", "transformer");
    assertEquals("1", model[0]);
    assertTrue(model[2].contains("tracecast.train.models") && model[2].contains("transformer"),
        model[2]);
  }
}
