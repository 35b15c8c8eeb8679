package io.tracecast.autoscale;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.autoscale.apex.Agent;
import io.tracecast.autoscale.apex.ApexCheckpoint;
import io.tracecast.autoscale.apex.ApexTrainer;
import io.tracecast.autoscale.apex.EnvironmentSpec;
import io.tracecast.autoscale.apex.OperatingPoints;
import io.tracecast.etl.dataset.DatasetReader;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.Split;
import io.tracecast.evaluation.autoscaling.CapacityEnvironment;
import io.tracecast.evaluation.autoscaling.LearnedPolicy;
import io.tracecast.evaluation.autoscaling.MovingWindowRecommender;
import io.tracecast.evaluation.autoscaling.ScalingPolicy;
import io.tracecast.evaluation.autoscaling.ThresholdPolicy;
import io.tracecast.evaluation.autoscaling.UpperQuantilePolicy;
import io.tracecast.evaluation.provisioning.ReactiveAutoscaler;
import io.tracecast.evaluation.autoscaling.ObservedTraces;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.registry.CodeVersion;
import io.tracecast.training.registry.Hardware;
import io.tracecast.training.registry.Lineage;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import io.tracecast.training.registry.RegistryLayout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The autoscale stage's entry point: builds each job's agent from the observed forecaster's
 * train and validation forecasts, trains one shared policy with Ape-X ({@link ApexTrainer}),
 * and publishes it to every job as the next version of model {@value LearnedPolicy#MODEL}
 * (family {@code policy}), whose lineage names the forecaster version the job's agent observed
 * and the jobs whose experience trained it.
 *
 * <p>Jobs whose forecaster cannot forecast the train split (a baseline or ensemble champion:
 * baselines forecast validation and test points only) bring no experience; the shared policy
 * still acts for them, and evaluate scores it there.
 */
public final class AutoscaleJob {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AutoscaleJob() {}

  /** Factors on the validation grid an operating point is picked from. */
  static final int GRID = 9;
  /** Bisection steps that refine each operating point between two grid factors. */
  static final int REFINE = 5;
  /** The fleet size of the paper's decision-latency figure (under 100 ms for 5,000 nodes). */
  static final int LATENCY_AGENTS = 5000;

  /**
   * @param operatingPoints per policy that does not learn, the factor the learned one matched
   *     it at on validation ({@link OperatingPoints})
   * @param decisionMillis the median time of one decision for {@value #LATENCY_AGENTS} agents
   *     (one forward pass of the actor on the driver, features given)
   */
  public record Result(Map<String, ModelVersion> published, ApexTrainer.Trained trained,
      int trainAgents, int validationAgents, Map<String, Double> operatingPoints,
      double decisionMillis, List<String> notes, double seconds) {}

  public static Result run(SparkSession spark, AutoscaleRequest req,
      Consumer<ApexTrainer.Progress> progress) {
    long t0 = System.nanoTime();
    DatasetReader reader = DatasetReader.open(spark, req.dataset());
    Manifest m = reader.manifest();
    ModelRegistry registry = ModelRegistry.open(req.registry(),
        spark.sparkContext().hadoopConfiguration());
    List<String> jobs = req.jobs().isEmpty() ? m.jobs() : req.jobs();
    List<String> unknown = jobs.stream().filter(j -> !m.jobs().contains(j)).toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("jobs " + unknown + " are not in dataset "
          + req.dataset());
    }
    Map<String, ModelVersion> forecasters = ObservedTraces.forecasters(registry, jobs,
        req.forecaster());
    if (forecasters.isEmpty()) {
      throw new IllegalStateException("no job of " + req.dataset() + " has a forecaster '"
          + req.forecaster() + "' (an alias or model) in registry " + req.registry()
          + ": train and evaluate the dataset first");
    }
    List<String> notes = new ArrayList<>();
    var eval = req.evaluation();
    int delay = eval.startupDelaySteps(m.stepSeconds(), m.horizon());
    EnvironmentSpec env = new EnvironmentSpec(eval.autoscaling(), eval.provisioning(), delay);
    // at least two decisions per trace
    int minLength = CapacityEnvironment.minLength(eval.autoscaling(), delay) + 1;
    List<Agent> train = agents(spark, reader, registry, forecasters, Split.TRAIN, env, minLength,
        eval.batchSize(), notes);
    List<Agent> validation = agents(spark, reader, registry, forecasters, Split.VALIDATION, env,
        minLength, eval.batchSize(), notes);
    java.util.Set<String> learnedFrom = new java.util.TreeSet<>();
    train.forEach(a -> learnedFrom.add(a.trace().job()));
    forecasters.keySet().stream().filter(j -> !learnedFrom.contains(j)).forEach(j ->
        notes.add(j + ": no train-split forecasts from " + forecasters.get(j).model()
            + " (a baseline or ensemble forecasts validation and test only): no experience"));
    List<Agent> scored = validation.isEmpty() ? train : validation;
    Map<String, ApexTrainer.Scored> baselines = new LinkedHashMap<>();
    for (ScalingPolicy p : List.of(new UpperQuantilePolicy(eval.provisioning()),
        new ThresholdPolicy(new ReactiveAutoscaler(eval.provisioning())),
        new MovingWindowRecommender(eval.autoscaling().movingWindow()))) {
      baselines.put(p.name(), ApexTrainer.run(p, scored, env));
    }
    Map<String, Double> references = new LinkedHashMap<>();
    baselines.forEach((name, b) -> references.put(name, b.score()));
    notes.add("validation score (mean reward per step, each agent on its own scale) of the "
        + "policies that do not learn: " + references);
    ApexCheckpoint checkpoint = checkpoint(registry, m, forecasters, env, req,
        spark.sparkContext().hadoopConfiguration());
    ApexTrainer.Trained trained = new ApexTrainer(req.apex(), req.agent(), env).train(
        JavaSparkContext.fromSparkContext(spark.sparkContext()), train, validation, progress,
        checkpoint);
    // the trade-off the one network learned, and where it matches each baseline
    List<OperatingPoints.Point> grid = new ArrayList<>();
    for (double factor : OperatingPoints.grid(eval.autoscaling().operatingRange(), GRID)) {
      grid.add(new OperatingPoints.Point(factor,
          ApexTrainer.run(trained.best(), scored, env, factor).account().outcome()));
    }
    Map<String, Double> points = new LinkedHashMap<>();
    baselines.forEach((name, b) -> {
      OperatingPoints.Point chosen = OperatingPoints.refine(grid, b.account().outcome(),
          name.equals(ThresholdPolicy.NAME) ? OperatingPoints.Match.CAPACITY
              : OperatingPoints.Match.VIOLATIONS,
          k -> ApexTrainer.run(trained.best(), scored, env, k).account().outcome(), REFINE);
      points.put(name, chosen.factor());
      notes.add(String.format(java.util.Locale.ROOT, "validation: %s at %.1f %% violations, "
          + "%.3f provisioned/used; the policy at factor %.3g: %.1f %%, %.3f", name,
          100 * b.account().outcome().violationRate(),
          b.account().outcome().provisionedOverUsed(), chosen.factor(),
          100 * chosen.outcome().violationRate(), chosen.outcome().provisionedOverUsed()));
    });
    double decisionMillis = decisionMillis(trained.best().networks().actor(), env.features());
    notes.add(String.format(java.util.Locale.ROOT, "one decision for %d agents: %.1f ms "
        + "(median forward pass of the actor on the driver)", LATENCY_AGENTS, decisionMillis));
    byte[] policy = LearnedPolicy.bytes(trained.best().networks().actor());
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("environment", JSON.convertValue(env, Map.class));
    params.put("agent", JSON.convertValue(req.agent(), Map.class));
    params.put("apex", JSON.convertValue(req.apex(), Map.class));
    params.put("validationScore", trained.bestScore());
    params.put("referenceScores", references);
    params.put("bestRound", trained.bestRound());
    params.put("transitions", trained.transitions());
    params.put("updates", trained.updates());
    params.put(LearnedPolicy.OPERATING_POINTS, points);
    params.put("validationTradeOff", grid.stream().map(g -> Map.of("factor", g.factor(),
        "violationRate", g.outcome().violationRate(),
        "provisionedOverUsed", g.outcome().provisionedOverUsed())).toList());
    params.put("decisionMillis" + LATENCY_AGENTS, decisionMillis);
    double wall = (System.nanoTime() - t0) / 1e9;
    List<ModelMetadata.Epoch> curve = trained.history().stream()
        .filter(p -> !Double.isNaN(p.validationScore()))
        .map(p -> new ModelMetadata.Epoch(p.round(), Double.NaN, -p.validationScore(),
            Double.NaN)).toList();
    int bestEpoch = 1;
    for (int i = 0; i < curve.size(); i++) {
      if (curve.get(i).epoch() == trained.bestRound()) {
        bestEpoch = i + 1;
      }
    }
    Map<String, ModelVersion> published = new TreeMap<>();
    for (Map.Entry<String, ModelVersion> e : forecasters.entrySet()) {
      String job = e.getKey();
      ModelVersion f = e.getValue();
      Lineage lineage = Lineage.NONE.withPooledOver(new ArrayList<>(learnedFrom))
          .withObserved(new Lineage.Start(f.job(), f.model(), f.version()));
      ModelMetadata meta = new ModelMetadata(ModelMetadata.SCHEMA_VERSION, job,
          LearnedPolicy.MODEL, null, NetworkShape.of(m), m.fingerprint(), req.dataset(),
          m.features(), m.targets(), m.scalersOf(job),
          new ModelMetadata.TrainingHistory(curve, curve.isEmpty() ? 0 : bestEpoch, wall, 0),
          CodeVersion.current(), Hardware.detect(), Instant.now().toString(),
          ModelFamily.POLICY, params, lineage);
      published.put(job, registry.publish(job, LearnedPolicy.MODEL, meta,
          Map.of(LearnedPolicy.FILE, policy)));
    }
    checkpoint.delete(); // the run is published: nothing to resume
    return new Result(published, trained, train.size(), validation.size(), points,
        decisionMillis, notes, (System.nanoTime() - t0) / 1e9);
  }

  /**
   * The median of 15 timed forward passes of the actor over {@value #LATENCY_AGENTS}
   * observations, after 3 untimed ones. The values do not change the cost of a dense network's
   * forward pass; random features stand in for a fleet's.
   */
  static double decisionMillis(org.deeplearning4j.nn.multilayer.MultiLayerNetwork actor,
      int features) {
    org.nd4j.linalg.api.ndarray.INDArray x = org.nd4j.linalg.factory.Nd4j.rand(
        org.nd4j.linalg.api.buffer.DataType.FLOAT, LATENCY_AGENTS, features);
    double[] ms = new double[15];
    for (int i = -3; i < ms.length; i++) {
      long t = System.nanoTime();
      actor.output(x, false);
      if (i >= 0) {
        ms[i] = (System.nanoTime() - t) / 1e6;
      }
    }
    java.util.Arrays.sort(ms);
    return ms[ms.length / 2];
  }

  /**
   * The run's checkpoint, {@code <checkpoints>/_autoscale/<dataset fingerprint>-<key hash>}: a
   * killed run of the same dataset, forecasters and settings resumes from its last validated
   * round.
   */
  private static ApexCheckpoint checkpoint(ModelRegistry registry, Manifest m,
      Map<String, ModelVersion> forecasters, EnvironmentSpec env, AutoscaleRequest req,
      org.apache.hadoop.conf.Configuration conf) {
    Map<String, Object> key = new LinkedHashMap<>();
    key.put("dataset", m.fingerprint());
    Map<String, String> observed = new TreeMap<>();
    forecasters.forEach((job, v) -> observed.put(job, v.job() + "/" + v.model() + "/v"
        + v.version()));
    key.put("forecasters", observed);
    key.put("environment", JSON.convertValue(env, Map.class));
    key.put("agent", JSON.convertValue(req.agent(), Map.class));
    key.put("apex", JSON.convertValue(req.apex(), Map.class));
    String text;
    try {
      text = JSON.writeValueAsString(key);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    String dir = RegistryLayout.autoscaleCheckpoint(RegistryLayout.checkpoints(registry.root(),
        ""), m.fingerprint().substring(0, Math.min(16, m.fingerprint().length())) + "-"
        + Integer.toHexString(text.hashCode()));
    return new ApexCheckpoint(dir, text, conf);
  }

  private static List<Agent> agents(SparkSession spark, DatasetReader reader,
      ModelRegistry registry, Map<String, ModelVersion> forecasters, Split split,
      EnvironmentSpec env, int minLength, int batchSize, List<String> notes) {
    ObservedTraces.Built built = ObservedTraces.of(spark, reader, registry, forecasters, split,
        env.delay(), minLength, batchSize);
    if (built.dropped() > 0) {
      notes.add(split.label() + ": " + built.dropped() + " steps in runs too short to act on "
          + "or of all-zero usage were left out");
    }
    return built.traces().stream().map(t -> Agent.of(t, env)).toList();
  }
}
