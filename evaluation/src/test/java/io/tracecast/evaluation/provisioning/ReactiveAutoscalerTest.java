package io.tracecast.evaluation.provisioning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReactiveAutoscalerTest {
  private static final double[] ACTUAL = {10, 10, 20, 20, 5, 5};

  @Test
  void followsTheThresholdPolicyOnAHandWorkedCase() {
    // defaults: headroom 0.1, up x1.5 above 0.8, down x0.75 below 0.3, no cooldown
    // t=0 warm start 10 * 1.1                                   = 11
    // t=1 u = 10 / 11    = 0.91 > 0.8 -> max(11 * 1.5, 10 * 1.1)    = 16.5
    // t=2 u = 10 / 16.5  = 0.61       -> keep                      = 16.5
    // t=3 u = 20 / 16.5  = 1.21 > 0.8 -> max(24.75, 22)             = 24.75
    // t=4 u = 20 / 24.75 = 0.81 > 0.8 -> max(37.125, 22)            = 37.125
    // t=5 u = 5 / 37.125 = 0.13 < 0.3 -> 37.125 * 0.75              = 27.84375
    ReactiveAutoscaler scaler = new ReactiveAutoscaler(ProvisioningSettings.defaults());
    double[] expected = {11, 16.5, 16.5, 24.75, 37.125, 27.84375};
    assertArrayEquals(expected, scaler.provisioned(ACTUAL), 1e-12);

    // only t=2 violates (16.5 < 20), short by 3.5; capacity 133.71875 bought for usage 70
    ProvisioningOutcome outcome = scaler.simulate(ACTUAL);
    assertEquals(1, outcome.violations());
    assertEquals(1.0 / 6, outcome.violationRate(), 1e-12);
    assertEquals(133.71875 / 70, outcome.efficiency(), 1e-12);
    assertEquals(133.71875 / 6, outcome.meanProvisioned(), 1e-12);
    assertEquals(3.5 / 6, outcome.meanShortfall(), 1e-12);
  }

  @Test
  void cooldownSuppressesActionsRightAfterAScaling() {
    // cooldown 1: the action at t=1 blocks t=2, the one at t=3 blocks t=4
    // t=5 u = 5 / 24.75 = 0.20 < 0.3 -> 24.75 * 0.75 = 18.5625
    ReactiveAutoscaler scaler = new ReactiveAutoscaler(
        ProvisioningSettings.defaults().withCooldownSteps(1));
    assertArrayEquals(new double[] {11, 16.5, 16.5, 24.75, 24.75, 18.5625},
        scaler.provisioned(ACTUAL), 1e-12);
  }

  @Test
  void recoversFromZeroCapacityWhenUsageAppears() {
    // capacity 0 cannot grow by a multiplier; the scale-up covers last usage plus headroom
    ReactiveAutoscaler scaler = new ReactiveAutoscaler(ProvisioningSettings.defaults());
    assertArrayEquals(new double[] {0, 0, 0, 5.5},
        scaler.provisioned(new double[] {0, 0, 5, 5}), 1e-12);
  }

  @Test
  void anticipatingForecastBeatsTheReactiveBaselineOnARamp() {
    double[] ramp = {10, 20, 30, 40, 50, 60};
    ProvisioningSettings settings = ProvisioningSettings.defaults();
    ProvisioningOutcome reactive = new ReactiveAutoscaler(settings).simulate(ramp);
    ProvisioningOutcome perfect = new ProvisioningSimulator(settings).simulate(ramp, ramp);
    assertEquals(0, perfect.violations());
    assertEquals(true, reactive.violations() > 0);
  }
}
