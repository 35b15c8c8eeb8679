package io.tracecast.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tracecast.autoscale.agent.AgentSettings;
import io.tracecast.autoscale.apex.ApexSettings;
import io.tracecast.etl.EtlJob;
import io.tracecast.etl.EtlRequest;
import io.tracecast.etl.SparkTestSession;
import io.tracecast.etl.TraceCuts;
import io.tracecast.etl.config.EtlSettings;
import io.tracecast.evaluation.EvaluateJob;
import io.tracecast.evaluation.EvaluateRequest;
import io.tracecast.evaluation.EvaluationResult;
import io.tracecast.evaluation.autoscaling.LearnedPolicy;
import io.tracecast.evaluation.autoscaling.PolicyComparison;
import io.tracecast.evaluation.autoscaling.PolicyFeatures;
import io.tracecast.evaluation.config.EvaluationSettings;
import io.tracecast.evaluation.config.EvaluationSettingsParser;
import io.tracecast.training.TrainJob;
import io.tracecast.training.TrainRequest;
import io.tracecast.training.config.NetworkOverrides;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import io.tracecast.training.registry.RegistryLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stage end to end on real sample rows: ETL of two busy Bitbrains VMs (horizon 2, so the
 * 10-minute start-up delay is two steps), an mlp, evaluate (champion and stored bands), a short
 * autoscale observing the mlp, and evaluate again, which must compare the published policy with
 * the three others on the same test steps.
 */
class AutoscaleJobTest {
  private static final String JOB = "2013-7";

  @Test
  void publishesAPolicyPerJobThatEvaluateCompares(@TempDir Path dir) throws Exception {
    SparkSession spark = SparkTestSession.get();
    Path input = dir.resolve("bitbrains").resolve(JOB);
    Files.createDirectories(input);
    for (String vm : List.of("1", "3")) { // 2 is idle: all-zero usage, nothing to provision
      TraceCuts.cutGzip(SparkTestSession.repoRoot().resolve("data/samples/bitbrains/2013-7/" + vm
          + ".csv.gz"), input.resolve(vm + ".csv.gz"), 600);
    }
    String dataset = dir.resolve("dataset").toString();
    EtlJob.run(spark, new EtlRequest("bitbrains", List.of(input.toString()), dataset, false,
        Optional.empty(), EtlSettings.builder().lookback(6).horizon(2).build()));
    String registry = dir.resolve("registry").toString();
    TrainJob.run(spark, new TrainRequest(dataset, registry, List.of(),
        TrainSettings.defaults(List.of(ModelKinds.parse("mlp")))
            .withExecution(1_000_000, 2, 1, "")
            .withOverrides(NetworkOverrides.none().withEpochs(2, 2).withBatch(32, 0.01)
                .withUnits(ModelKinds.MLP, List.of(8, 4)))));
    Config conf = ConfigFactory.parseFile(SparkTestSession.repoRoot().resolve("conf")
        .resolve("application.conf").toFile()).resolve();
    EvaluationSettings eval = EvaluationSettingsParser.parse(conf);
    EvaluateJob.run(spark, new EvaluateRequest(dataset, registry,
        dir.resolve("report-1").toString(), List.of(), eval));

    ApexSettings apex = new ApexSettings(2, 4, 5, 48, 32, 5000, 64, 0.6, 0.4, 1e-3, 0.1, 0.6,
        1, 2, 3);
    AgentSettings agent = new AgentSettings(List.of(16, 16, 8), 1e-3, 1e-3, 0, 0.01, 1, 3);
    List<Integer> rounds = new ArrayList<>();
    AutoscaleJob.Result r = AutoscaleJob.run(spark, new AutoscaleRequest(dataset, registry,
        "mlp", List.of(), eval, agent, apex), p -> rounds.add(p.round()));
    assertEquals(List.of(1, 2, 3, 4), rounds);
    assertEquals(2, r.trainAgents(), r.notes().toString()); // one per VM
    ModelRegistry reg = ModelRegistry.open(registry, new Configuration());
    ModelVersion policy = r.published().get(JOB);
    assertEquals(LearnedPolicy.MODEL, policy.model());
    ModelMetadata meta = reg.metadata(policy);
    assertEquals(ModelFamily.POLICY, meta.family());
    assertEquals("mlp", meta.lineage().observed().model());
    assertEquals(1, meta.lineage().observed().version());
    assertEquals(List.of(JOB), meta.lineage().pooledOver());
    // what was published acts as the best snapshot did
    LearnedPolicy loaded = LearnedPolicy.load(reg, policy);
    float[] x = new float[PolicyFeatures.size(2, eval.autoscaling().recentSteps())];
    Random rng = new Random(1);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    double direct = r.trained().best().networks().act(org.nd4j.linalg.factory.Nd4j.create(x,
        new long[] {1, x.length})).getDouble(0);
    assertEquals(direct, loaded.action(x), 1e-6);
    // the operating points matched on validation are stored with the version, within the range
    Map<String, Double> points = LearnedPolicy.operatingPoints(reg, policy);
    assertEquals(r.operatingPoints(), points);
    assertEquals(java.util.Set.of("reactive", "upper_quantile", "moving_window"), points.keySet());
    points.values().forEach(p -> assertTrue(p >= 0.8 - 1e-9 && p <= 2.5 + 1e-9,
        points.toString()));
    assertTrue(r.decisionMillis() > 0);
    // a published run leaves no checkpoint to resume
    Path checkpoints = Path.of(RegistryLayout.autoscaleCheckpoint(
        RegistryLayout.checkpoints(registry, ""), "x")).getParent();
    assertTrue(!Files.exists(checkpoints) || Files.list(checkpoints).findAny().isEmpty());

    EvaluationResult again = EvaluateJob.run(spark, new EvaluateRequest(dataset, registry,
        dir.resolve("report-2").toString(), List.of(), eval));
    PolicyComparison c = again.report().autoscaling();
    assertNotNull(c);
    Map<String, Long> steps = new java.util.TreeMap<>();
    for (PolicyComparison.Row row : c.rows()) {
      if (row.job().equals(JOB)) {
        steps.put(row.policy(), row.outcome().steps());
      }
    }
    assertEquals(List.of(LearnedPolicy.MODEL, "autoscaler_at_moving_window",
        "autoscaler_at_reactive", "autoscaler_at_upper_quantile", "moving_window", "reactive",
        "upper_quantile"), new ArrayList<>(steps.keySet()));
    assertEquals(1, steps.values().stream().distinct().count(), steps.toString());
    assertTrue(steps.get("reactive") > 0);
    assertTrue(Files.exists(dir.resolve("report-2").resolve("autoscaling.csv")));
    assertTrue(Files.readString(dir.resolve("report-2").resolve("comparison.md"))
        .contains("## Autoscaling policies"));
    assertFalse(again.report().champions().get(JOB).model().equals(LearnedPolicy.MODEL));
  }
}
