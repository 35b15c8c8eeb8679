package io.tracecast.evaluation.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProvisioningTallyTest {

  @Test
  void mergingPerSeriesTalliesEqualsScoringAllStepsAtOnce() {
    double[] actual = {3, 8, 1, 7, 4};
    double[] provisioned = {4, 6, 1, 9, 2};
    ProvisioningOutcome whole = new ProvisioningTally().addAll(actual, provisioned).outcome();
    ProvisioningOutcome merged = new ProvisioningTally()
        .addAll(new double[] {3, 8}, new double[] {4, 6})
        .merge(new ProvisioningTally().addAll(new double[] {1, 7, 4}, new double[] {1, 9, 2}))
        .outcome();
    assertEquals(whole, merged);
    // 6 < 8 and 2 < 4 violate; 1 = 1 does not
    assertEquals(2, whole.violations());
    assertEquals(22.0 / 23, whole.efficiency(), 1e-12);
    assertEquals(4.0 / 5, whole.meanShortfall(), 1e-12);
  }

  @Test
  void anEmptyTallyHasUndefinedRatesAndZeroUsageHasUndefinedEfficiency() {
    ProvisioningOutcome empty = new ProvisioningTally().outcome();
    assertEquals(0, empty.steps());
    assertTrue(Double.isNaN(empty.violationRate()));
    assertTrue(Double.isNaN(new ProvisioningTally().add(0, 1).outcome().efficiency()));
  }
}
