package io.tracecast.autoscale.apex;

import io.tracecast.autoscale.agent.ActorCritic;
import io.tracecast.autoscale.replay.Experience;
import io.tracecast.evaluation.autoscaling.CapacityEnvironment;
import io.tracecast.evaluation.autoscaling.PolicyFeatures;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One Ape-X actor's round, as a Spark task over its slice of agents: a segment of
 * {@code segmentSteps} decisions per agent from a random start, all agents of the slice in
 * lockstep (one policy forward pass per step), the policy's action plus Gaussian noise of the
 * actor's own scale, and the initial priorities from the actor's copy of the critic.
 *
 * @param priorityEpsilon added to |TD error| so that no transition has priority 0
 * @param spreadWeight weight of the forecast-spread term in priorities
 */
public record ActorTask(ActorCritic.Snapshot policy, EnvironmentSpec env, int segmentSteps,
    double noise, long seed, double priorityEpsilon, double spreadWeight)
    implements Serializable {

  public Experience run(List<Agent> agents) {
    ActorCritic nets = policy.networks();
    Random rng = new Random(seed);
    int f = env.features();
    List<CapacityEnvironment> envs = new ArrayList<>();
    List<Agent> owners = new ArrayList<>();
    for (Agent a : agents) {
      CapacityEnvironment e = env.environment(a.trace());
      int first = e.firstDecision();
      int length = a.trace().length();
      int span = Math.min(segmentSteps + env.delay(), length - first);
      if (span <= env.delay()) {
        continue;
      }
      int from = first + rng.nextInt(length - first - span + 1);
      e.start(from, from + span, a.trace().demand()[from] * (1 + env.provisioning().headroom()));
      envs.add(e);
      owners.add(a);
    }
    Transitions out = new Transitions(f);
    float[] obs = new float[envs.size() * f];
    boolean any = true;
    while (any) {
      any = false;
      List<Integer> live = new ArrayList<>();
      for (int i = 0; i < envs.size(); i++) {
        if (!envs.get(i).done()) {
          live.add(i);
        }
      }
      if (live.isEmpty()) {
        break;
      }
      any = true;
      for (int j = 0; j < live.size(); j++) {
        PolicyFeatures.write(envs.get(live.get(j)), obs, j * f);
      }
      INDArray in = Nd4j.create(java.util.Arrays.copyOf(obs, live.size() * f),
          new long[] {live.size(), f});
      float[] mu = nets.act(in).data().asFloat();
      for (int j = 0; j < live.size(); j++) {
        CapacityEnvironment e = envs.get(live.get(j));
        float a = (float) Math.max(-1, Math.min(1, mu[j] + noise * rng.nextGaussian()));
        float spread = EnvironmentSpec.spread(e);
        float r = (float) (e.decide(e.targetOf(a)) / owners.get(live.get(j)).rewardScale());
        out.add(obs, j * f, a, r, PolicyFeatures.of(e), spread);
      }
    }
    return out.prioritised(nets, priorityEpsilon, spreadWeight);
  }

  /** Transitions as they are collected. */
  private static final class Transitions {
    private final int f;
    private final List<float[]> obs = new ArrayList<>();
    private final List<float[]> next = new ArrayList<>();
    private final List<Float> action = new ArrayList<>();
    private final List<Float> reward = new ArrayList<>();
    private final List<Float> spread = new ArrayList<>();

    Transitions(int f) {
      this.f = f;
    }

    void add(float[] batch, int offset, float a, float r, float[] nextObs, float s) {
      obs.add(java.util.Arrays.copyOfRange(batch, offset, offset + f));
      next.add(nextObs);
      action.add(a);
      reward.add(r);
      spread.add(s);
    }

    Experience prioritised(ActorCritic nets, double epsilon, double spreadWeight) {
      int n = action.size();
      float[] o = new float[n * f];
      float[] x = new float[n * f];
      float[] a = new float[n];
      float[] r = new float[n];
      float[] s = new float[n];
      for (int i = 0; i < n; i++) {
        System.arraycopy(obs.get(i), 0, o, i * f, f);
        System.arraycopy(next.get(i), 0, x, i * f, f);
        a[i] = action.get(i);
        r[i] = reward.get(i);
        s[i] = spread.get(i);
      }
      double[] priority = new double[n];
      if (n > 0) {
        double[] td = nets.tdErrors(Nd4j.create(o, new long[] {n, f}),
            Nd4j.create(a, new long[] {n, 1}), Nd4j.create(r, new long[] {n, 1}),
            Nd4j.create(x, new long[] {n, f}));
        for (int i = 0; i < n; i++) {
          priority[i] = Math.abs(td[i]) + epsilon + spreadWeight * s[i];
        }
      }
      return new Experience(f, o, a, r, x, s, priority);
    }
  }
}
