package io.tracecast.evaluation.provisioning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProvisioningSimulatorTest {
  private static final ProvisioningSimulator TEN_PERCENT =
      new ProvisioningSimulator(ProvisioningSettings.defaults());

  @Test
  void scoresAHandWorkedFiveStepCase() {
    double[] actual = {10, 20, 30, 40, 50};
    double[] forecast = {10, 15, 30, 45, 40};
    // provisioned = forecast * 1.1 = 11, 16.5, 33, 49.5, 44
    // violations: 16.5 < 20 and 44 < 50 -> 2 of 5 = 0.4
    // efficiency: (11 + 16.5 + 33 + 49.5 + 44) / (10 + 20 + 30 + 40 + 50) = 154 / 150
    // mean provisioned 154 / 5 = 30.8; mean shortfall (3.5 + 6) / 5 = 1.9
    assertArrayEquals(new double[] {11, 16.5, 33, 49.5, 44}, TEN_PERCENT.provisioned(forecast),
        1e-12);
    ProvisioningOutcome outcome = TEN_PERCENT.simulate(actual, forecast);
    assertEquals(5, outcome.steps());
    assertEquals(2, outcome.violations());
    assertEquals(0.4, outcome.violationRate(), 1e-12);
    assertEquals(154.0 / 150, outcome.efficiency(), 1e-12);
    assertEquals(30.8, outcome.meanProvisioned(), 1e-12);
    assertEquals(1.9, outcome.meanShortfall(), 1e-12);
  }

  @Test
  void aPerfectForecastWithoutHeadroomNeverViolatesAndWastesNothing() {
    double[] actual = {0.2, 0.5, 0.35, 0.9};
    ProvisioningOutcome outcome = new ProvisioningSimulator(
        ProvisioningSettings.defaults().withHeadroom(0)).simulate(actual, actual.clone());
    assertEquals(0, outcome.violations());
    assertEquals(1.0, outcome.efficiency(), 1e-12);
    assertEquals(0.0, outcome.meanShortfall());
  }

  @Test
  void moreHeadroomTradesViolationsForCapacity() {
    double[] actual = {1, 3, 2, 5, 4, 6};
    double[] forecast = {1.2, 2.5, 2.1, 4.2, 4.1, 5.0};
    ProvisioningOutcome lean = new ProvisioningSimulator(
        ProvisioningSettings.defaults().withHeadroom(0)).simulate(actual, forecast);
    ProvisioningOutcome generous = new ProvisioningSimulator(
        ProvisioningSettings.defaults().withHeadroom(0.3)).simulate(actual, forecast);
    assertTrue(generous.violations() < lean.violations());
    assertTrue(generous.efficiency() > lean.efficiency());
  }

  @Test
  void floorsNegativeForecastsAtTheMinimumProvision() {
    ProvisioningSettings floored = new ProvisioningSettings(0.1, 0.5, 0.8, 0.3, 1.5, 0.75, 0);
    assertArrayEquals(new double[] {0.5, 0.5, 2.2},
        new ProvisioningSimulator(floored).provisioned(new double[] {-1, 0.2, 2}), 1e-12);
  }

  @Test
  void rejectsMissingForecastsAndMisalignedSeries() {
    assertThrows(IllegalArgumentException.class,
        () -> TEN_PERCENT.provisioned(new double[] {1, Double.NaN}));
    assertThrows(IllegalArgumentException.class,
        () -> TEN_PERCENT.simulate(new double[] {1, 2}, new double[] {1}));
    assertThrows(IllegalArgumentException.class,
        () -> new ProvisioningSettings(-0.1, 0, 0.8, 0.3, 1.5, 0.75, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new ProvisioningSettings(0.1, 0, 0.3, 0.8, 1.5, 0.75, 0));
  }
}
