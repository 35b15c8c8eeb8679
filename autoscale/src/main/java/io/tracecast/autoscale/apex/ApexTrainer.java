package io.tracecast.autoscale.apex;

import io.tracecast.autoscale.agent.ActorCritic;
import io.tracecast.autoscale.agent.AgentSettings;
import io.tracecast.autoscale.replay.Experience;
import io.tracecast.autoscale.replay.PrioritizedReplay;
import io.tracecast.evaluation.autoscaling.CapacityEnvironment;
import io.tracecast.evaluation.autoscaling.EpisodeAccount;
import io.tracecast.evaluation.autoscaling.LearnedPolicy;
import io.tracecast.evaluation.autoscaling.PolicyFeatures;
import io.tracecast.evaluation.autoscaling.ScalingPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Ape-X (Horgan et al. 2018) on Spark: each round broadcasts a snapshot of the policy and
 * critic and runs the actors as Spark tasks (one per partition of the agents, each with its own
 * noise scale) asynchronously, while the learner on the driver takes K prioritised updates
 * from the replay; the actors' transitions, with their initial priorities, then enter the
 * replay and the next round acts with the new weights. Every {@code validateEvery} rounds the
 * noise-free policy is scored on the validation agents, and the best one is what is returned.
 */
public final class ApexTrainer {
  private final ApexSettings apex;
  private final AgentSettings agent;
  private final EnvironmentSpec env;

  public ApexTrainer(ApexSettings apex, AgentSettings agent, EnvironmentSpec env) {
    this.apex = apex;
    this.agent = agent;
    this.env = env;
  }

  /**
   * Progress after a round: what it did, the best validation score so far.
   *
   * @param actingSeconds wall time of the actor jobs so far, submission to the last task's end
   *     (transitions / it: environment steps per second over all actors)
   * @param learningSeconds wall time of the learner's updates so far (updates / it: learner
   *     updates per second)
   */
  public record Progress(int round, int rounds, long transitions, long updates,
      double validationScore, double bestScore, double seconds, double actingSeconds,
      double learningSeconds) {}

  /** What training gave: the best policy on validation and how it got there. */
  public record Trained(ActorCritic.Snapshot best, double bestScore, int bestRound,
      long transitions, long updates, List<Progress> history) {}

  /**
   * @param checkpoint where to save after each validated round and what to resume from; null
   *     for none
   */
  public Trained train(JavaSparkContext sc, List<Agent> train, List<Agent> validation,
      Consumer<Progress> progress, ApexCheckpoint checkpoint) {
    if (train.isEmpty()) {
      throw new IllegalArgumentException("no agent has a train trace to learn from");
    }
    long t0 = System.nanoTime();
    ActorCritic nets = new ActorCritic(env.features(), agent);
    PrioritizedReplay replay = new PrioritizedReplay(apex.replayCapacity(), env.features(),
        apex.alpha());
    JavaRDD<Agent> agents = sc.parallelize(train, Math.min(apex.actors(), train.size())).cache();
    long totalUpdates = (long) apex.rounds() * apex.updatesPerRound();
    Random rng = new Random(apex.seed());
    long updates = 0;
    long transitions = 0;
    ActorCritic.Snapshot best = nets.snapshot();
    double bestScore = Double.NEGATIVE_INFINITY;
    int bestRound = 0;
    int first = 1;
    double acting = 0;
    double learning = 0;
    List<Progress> history = new ArrayList<>();
    java.util.Optional<ApexCheckpoint.Restored> restored = checkpoint == null
        ? java.util.Optional.empty() : checkpoint.load(env.features(), agent);
    if (restored.isPresent()) {
      ApexCheckpoint.State st = restored.get().state();
      nets = restored.get().nets();
      best = restored.get().best();
      bestScore = st.bestScore();
      bestRound = st.bestRound();
      updates = st.updates();
      transitions = st.transitions();
      history.addAll(st.history());
      Progress last = st.history().isEmpty() ? null : st.history().get(st.history().size() - 1);
      acting = last == null ? 0 : last.actingSeconds();
      learning = last == null ? 0 : last.learningSeconds();
      first = st.round() + 1;
      rng = new Random(apex.seed() + st.round());
    }
    for (int round = first; round <= apex.rounds(); round++) {
      Broadcast<ActorCritic.Snapshot> snapshot = sc.broadcast(nets.snapshot());
      long roundSeed = apex.seed() * 1_000_003L + round;
      int segment = apex.segmentSteps();
      ApexSettings a = apex;
      EnvironmentSpec e = env;
      long submitted = System.nanoTime();
      JavaFutureAction<List<Experience>> actors = agents.mapPartitionsWithIndex((i, it) -> {
        List<Agent> slice = new ArrayList<>();
        it.forEachRemaining(slice::add);
        ActorTask task = new ActorTask(snapshot.value(), e, segment, a.noise(i),
            roundSeed * 31 + i, a.priorityEpsilon(), a.spreadWeight());
        return List.of(task.run(slice)).iterator();
      }, false).collectAsync();
      // when the actors are done, whether or not the learner still works
      java.util.concurrent.CompletableFuture<Long> acted =
          java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
              actors.get();
            } catch (Exception ignored) {
              // reported by actors.get() below
            }
            return System.nanoTime();
          });
      // the learner works while the actors act, on what earlier rounds sent
      if (replay.size() >= apex.warmup()) {
        long l0 = System.nanoTime();
        for (int k = 0; k < apex.updatesPerRound(); k++, updates++) {
          learn(nets, replay, apex.beta(updates, totalUpdates), rng);
        }
        learning += (System.nanoTime() - l0) / 1e9;
      }
      List<Experience> sent;
      try {
        sent = actors.get();
        acting += (acted.get() - submitted) / 1e9;
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the actors acted", ex);
      } catch (java.util.concurrent.ExecutionException ex) {
        throw new IllegalStateException("an actor task failed: " + ex.getCause(), ex.getCause());
      }
      snapshot.destroy();
      for (Experience x : sent) {
        replay.addAll(x);
        transitions += x.size();
      }
      double score = Double.NaN;
      if (round % apex.validateEvery() == 0 || round == apex.rounds()) {
        score = score(nets.snapshot(), validation.isEmpty() ? train : validation, env);
        if (score > bestScore) {
          bestScore = score;
          best = nets.snapshot();
          bestRound = round;
        }
      }
      Progress p = new Progress(round, apex.rounds(), transitions, updates, score, bestScore,
          (System.nanoTime() - t0) / 1e9, acting, learning);
      history.add(p);
      if (checkpoint != null && !Double.isNaN(score)) {
        checkpoint.save(nets, best, new ApexCheckpoint.State(checkpoint.key(), round, updates,
            transitions, bestScore, bestRound, history));
      }
      progress.accept(p);
    }
    agents.unpersist();
    return new Trained(best, bestScore, bestRound, transitions, updates, history);
  }

  private void learn(ActorCritic nets, PrioritizedReplay replay, double beta, Random rng) {
    PrioritizedReplay.Batch b = replay.sample(apex.batch(), beta, rng);
    int n = b.size();
    int f = env.features();
    INDArray weight = Nd4j.create(b.weight, new long[] {n, 1}).castTo(DataType.FLOAT);
    double[] td = nets.update(Nd4j.create(b.obs, new long[] {n, f}),
        Nd4j.create(b.action, new long[] {n, 1}), Nd4j.create(b.reward, new long[] {n, 1}),
        Nd4j.create(b.next, new long[] {n, f}), weight);
    double[] priority = new double[n];
    for (int i = 0; i < n; i++) {
      priority[i] = Math.abs(td[i]) + apex.priorityEpsilon()
          + apex.spreadWeight() * replay.spread(b.slots[i]);
    }
    replay.update(b.slots, priority);
  }

  /**
   * What a policy did over whole traces: the mean per-step reward (each agent's on its own
   * scale, as it learns them; higher is better) and the pooled account.
   */
  public record Scored(double score, EpisodeAccount account) {}

  /** The noise-free policy's score as trained (factor 1: what picks the best round). */
  public static double score(ActorCritic.Snapshot policy, List<Agent> agents,
      EnvironmentSpec env) {
    return run(policy, agents, env, 1).score();
  }

  /**
   * The noise-free policy over whole traces, asking for its capacity x {@code factor}
   * ({@link LearnedPolicy}'s operating point), all agents
   * in lockstep, one forward pass per step.
   */
  public static Scored run(ActorCritic.Snapshot policy, List<Agent> agents,
      EnvironmentSpec env, double factor) {
    ActorCritic nets = policy.networks();
    int f = env.features();
    List<CapacityEnvironment> envs = new ArrayList<>();
    for (Agent a : agents) {
      envs.add(env.environment(a.trace()).startWhole(env.provisioning().headroom()));
    }
    double sum = 0;
    long steps = 0;
    float[] obs = new float[envs.size() * f];
    while (true) {
      List<Integer> live = new ArrayList<>();
      for (int i = 0; i < envs.size(); i++) {
        if (!envs.get(i).done()) {
          PolicyFeatures.write(envs.get(i), obs, live.size() * f);
          live.add(i);
        }
      }
      if (live.isEmpty()) {
        break;
      }
      float[] mu = nets.act(Nd4j.create(java.util.Arrays.copyOf(obs, live.size() * f),
          new long[] {live.size(), f})).data().asFloat();
      for (int j = 0; j < live.size(); j++) {
        CapacityEnvironment e = envs.get(live.get(j));
        sum += e.decide(LearnedPolicy.target(e, mu[j], factor))
            / agents.get(live.get(j)).rewardScale();
        steps++;
      }
    }
    return new Scored(steps == 0 ? Double.NaN : sum / steps, pooled(envs));
  }

  /** The same for a policy that does not learn. */
  public static Scored run(ScalingPolicy policy, List<Agent> agents, EnvironmentSpec env) {
    double sum = 0;
    long steps = 0;
    List<CapacityEnvironment> envs = new ArrayList<>();
    for (Agent a : agents) {
      CapacityEnvironment e = env.environment(a.trace()).startWhole(
          env.provisioning().headroom());
      while (!e.done()) {
        sum += e.decide(policy.target(e)) / a.rewardScale();
        steps++;
      }
      envs.add(e);
    }
    return new Scored(steps == 0 ? Double.NaN : sum / steps, pooled(envs));
  }

  private static EpisodeAccount pooled(List<CapacityEnvironment> envs) {
    EpisodeAccount out = null;
    for (CapacityEnvironment e : envs) {
      out = out == null ? new EpisodeAccount(e.trace().stepSeconds(),
          e.settings().reward()).merge(e.account()) : out.merge(e.account());
    }
    return out;
  }
}
