package io.tracecast.training.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracecast.training.TrainingFixtures;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.plan.TrainingPlan;
import io.tracecast.training.plan.TrainingPlanner;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunProgressTest {
  @Test
  void theEtaScalesElapsedTimeByTheEstimatedCostStillToDo() {
    RunProgress p = new RunProgress(Map.of("a/mlp", 100.0, "a/lstm", 600.0, "gbt", 300.0));
    assertEquals(Double.POSITIVE_INFINITY, p.etaSeconds(10));
    p.done("a/lstm");
    // 600 of 1000 done in 30 s: 400 more at 20 per second
    assertEquals(20.0, p.etaSeconds(30), 1e-9);
    p.done("a/lstm");
    assertEquals(20.0, p.etaSeconds(30), 1e-9, "a unit reported twice counts once");
    p.done(List.of("a/mlp", "gbt"));
    assertEquals(0.0, p.etaSeconds(50));
    assertEquals(List.of(), p.pending());
  }

  @Test
  void aRunsUnitsAreItsPerJobModelsAndItsPooledKinds() {
    TrainSettings settings = io.tracecast.training.config.TrainSettingsParser.parse(
        com.typesafe.config.ConfigFactory.parseString(
            "tracecast.train { models = [mlp, lstm, gbt, gbt_global, mlp_tuned] }")
            .withFallback(com.typesafe.config.ConfigFactory.parseFile(new java.io.File(
                System.getProperty("tracecast.root", ".."), "conf/application.conf")))
            .resolve());
    List<String> jobs = TrainingFixtures.smallestJobs(2);
    TrainingPlan plan = TrainingPlanner.plan(TrainingFixtures.alibabaManifest(),
        settings.models(), jobs, settings.dataParallel(2));
    RunProgress p = RunProgress.of(plan);
    List<String> units = p.pending();
    // mlp, lstm and gbt per job, then the pooled kinds in request order
    assertEquals(6 + 2, units.size(), units.toString());
    assertEquals(plan.tasks().stream().map(t -> t.id()).toList(), units.subList(0, 6));
    assertEquals(List.of("gbt_global", "mlp_tuned"), units.subList(6, 8));
    assertEquals(ModelKinds.LSTM.costPerWindow() * TrainingFixtures.trainWindows(jobs.get(1)),
        plan.tasks().get(0).estimatedCost(), 1e-9, "largest first: the bigger job's lstm");
    assertEquals(jobs.get(1) + "/lstm", plan.tasks().get(0).id());
  }
}
