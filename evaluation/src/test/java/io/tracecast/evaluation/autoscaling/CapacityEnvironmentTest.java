package io.tracecast.evaluation.autoscaling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CapacityEnvironmentTest {
  private static final double EPS = 1e-12;

  /**
   * Usage 2, 4, 4, 1, 3, 2 at 5-minute steps after {@code delay} steps of history (the agent
   * observes how the forecasts made delay steps ago fared, so decisions start there); every
   * forecast = 3.
   */
  private static DemandTrace trace(int delay) {
    double[] body = {2, 4, 4, 1, 3, 2};
    double[] demand = new double[delay + body.length];
    java.util.Arrays.fill(demand, 0, delay, 16.0 / 6);
    System.arraycopy(body, 0, demand, delay, body.length);
    double[][] f = new double[delay][demand.length];
    for (double[] row : f) {
      java.util.Arrays.fill(row, 3);
    }
    return new DemandTrace("j", "s", "test", 300, 0, demand, f, f, f, 16.0 / 6);
  }

  private static AutoscalingSettings settings() {
    // reward: sla 1, shortfall 2, capacity 0.5, energy 0.25, idle 0.6, peak 1
    return new AutoscalingSettings(4, AutoscalingSettings.Anchor.COMMITTED, 1, 0, 50,
        new AutoscalingSettings.Reward(1, 2, 0.5, 0.25, 0.6, 1.0),
        new AutoscalingSettings.OperatingRange(0.8, 2.5),
        new AutoscalingSettings.MovingWindow(0.95, 144, 576, 0.1));
  }

  @Test
  void scoresAHandComputedEpisodeThroughTheStartUpDelay() {
    CapacityEnvironment env = new CapacityEnvironment(trace(2), settings(), 0);
    assertEquals(2, env.firstDecision());
    env.start(2, 8, 3); // steps 2 and 3 (the body's 0 and 1) run on 3
    double scale = 16.0 / 6;
    // decisions at t = 0..3 set the capacity of steps 2..5
    double[] targets = {5, 3, 2, 2.5};
    double[] rewards = new double[4];
    for (int i = 0; i < 4; i++) {
      rewards[i] = env.decide(targets[i]);
    }
    assertTrue(env.done());
    assertArrayEquals(new double[] {3, 3, 5, 3, 2, 2.5},
        java.util.Arrays.copyOfRange(env.capacities(), 2, 8), EPS);
    // by hand, step 2..5: usage 4, 1, 3, 2 on capacity 5, 3, 2, 2.5
    // step 2: no violation; E = 0.6*5 + 0.4*4 = 4.6; cost = (0.5*5 + 0.25*4.6) / scale
    assertEquals(-(2.5 + 1.15) / scale, rewards[0], EPS);
    // step 3: E = 0.6*3 + 0.4*1 = 2.2; cost = (1.5 + 0.55) / scale
    assertEquals(-(1.5 + 0.55) / scale, rewards[1], EPS);
    // step 4: usage 3 > 2: a violation, short by 1; E = 1.2 + 0.8 = 2.0
    assertEquals(-(1 + (2 * 1 + 0.5 * 2 + 0.25 * 2.0) / scale), rewards[2], EPS);
    // step 5: E = 1.5 + 0.8 = 2.3
    assertEquals(-(0.5 * 2.5 + 0.25 * 2.3) / scale, rewards[3], EPS);
    PolicyOutcome o = env.account().outcome();
    assertEquals(4, o.steps());
    assertEquals(1, o.violations());
    assertEquals(0.25, o.violationRate(), EPS);
    assertEquals(1 / (4 * 300 / 3600.0), o.violationsPerHour(), EPS); // 3 per hour
    assertEquals((5 + 3 + 2 + 2.5) / (4 + 1 + 3 + 2.0), o.provisionedOverUsed(), EPS);
    assertEquals((4.6 + 2.2 + 2.0 + 2.3) / 10, o.energyOverUsed(), EPS);
  }

  @Test
  void observesTheCommittedCapacityAndCountsStepsSinceAChange() {
    CapacityEnvironment env = new CapacityEnvironment(trace(2), settings(), 0);
    env.start(2, 8, 3);
    assertEquals(3, env.committed(), EPS);
    env.decide(5);
    assertEquals(5, env.committed(), EPS); // step 2 is now decided; t = 1
    assertEquals(3, env.capacityNow(), EPS);
    assertEquals(1, env.stepsSinceAction());
    env.decide(5); // no change
    assertEquals(2, env.stepsSinceAction());
    // an agent's action asks for committed x maxFactor^a, clipped to [-1, 1]
    assertEquals(5 * 2, env.targetOf(0.5), EPS);
    assertEquals(5 / 4.0, env.targetOf(-3), EPS);
  }

  @Test
  void aForecastAnchoredActionIsAHeadroomOverTheUpperBound() {
    AutoscalingSettings d = settings();
    AutoscalingSettings forecast = new AutoscalingSettings(d.maxFactor(),
        AutoscalingSettings.Anchor.FORECAST, d.recentSteps(), d.floorFraction(), d.ceiling(),
        d.reward(), d.operatingRange(), d.movingWindow());
    CapacityEnvironment env = new CapacityEnvironment(trace(2), forecast, 0);
    env.start(2, 8, 3);
    env.decide(5); // committed 5 does not move the anchor: every p90 forecast is 3
    assertEquals(3, env.anchor(), EPS);
    assertEquals(3 * 2, env.targetOf(0.5), EPS);
    assertEquals(3 / 4.0, env.targetOf(-3), EPS);
    // the features are relative to the anchor: ln(p90 / 3) = 0, ln(committed / 3) = ln(5 / 3)
    float[] x = PolicyFeatures.of(env);
    assertEquals(0, x[2 * 3 - 1], 1e-6); // p90 of the second forecast step
    assertEquals(Math.log(5 / 3.0), x[x.length - 2], 1e-6);
  }

  @Test
  void boundsCapacityByTheFloorAndTheQuota() {
    CapacityEnvironment env = new CapacityEnvironment(trace(1), settings(), 0.5);
    env.start(1, 7, 0);
    assertEquals(0.5, env.capacities()[1], EPS);
    env.decide(1e9);
    assertEquals(50 * 16.0 / 6, env.capacities()[2], 1e-9);
    assertThrows(IllegalArgumentException.class, () -> env.decide(Double.NaN));
  }

  @Test
  void thresholdPolicyWithOneStepDelayIsTheReactiveAutoscaler() {
    var provisioning = io.tracecast.evaluation.provisioning.ProvisioningSettings.defaults();
    var reactive = new io.tracecast.evaluation.provisioning.ReactiveAutoscaler(provisioning);
    DemandTrace t = trace(1);
    CapacityEnvironment env = new CapacityEnvironment(t, settings(), 0);
    env.start(1, 7, t.demand()[1] * 1.1);
    new ThresholdPolicy(reactive).run(env);
    double[] body = java.util.Arrays.copyOfRange(t.demand(), 1, 7);
    assertArrayEquals(reactive.provisioned(body),
        java.util.Arrays.copyOfRange(env.capacities(), 1, 7), EPS);
  }

  @Test
  void upperQuantilePolicyBuysTheBoundAtTheDelayWithHeadroom() {
    var provisioning = io.tracecast.evaluation.provisioning.ProvisioningSettings.defaults();
    CapacityEnvironment env = new CapacityEnvironment(trace(2), settings(), 0);
    env.start(2, 8, 3);
    assertEquals(3 * 1.1, new UpperQuantilePolicy(provisioning).target(env), EPS);
    // the upper bound forecast for now was made two steps ago
    assertEquals(3, env.pastUpperBound(0), EPS);
  }
}
