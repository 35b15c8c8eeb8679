package io.tracecast.evaluation.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.tracecast.etl.SparkTestSession;
import io.tracecast.evaluation.interval.IntervalCalibration;
import org.junit.jupiter.api.Test;

/** {@code tracecast.evaluate.intervals.calibration} and {@code .window} as parsed at start-up. */
class IntervalCalibrationParserTest {

  private static Config with(String hocon) {
    return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.parseFile(
        SparkTestSession.repoRoot().resolve("conf/application.conf").toFile())).resolve();
  }

  @Test
  void parsesTheModeAndWindow() {
    IntervalCalibration c = EvaluationSettingsParser.parse(with(
        "tracecast.evaluate.intervals { calibration = split, window = 7, gamma = 0 }")).intervalCalibration();
    assertEquals(new IntervalCalibration(IntervalCalibration.Mode.SPLIT, 7, 0), c);
    assertEquals(new IntervalCalibration(IntervalCalibration.Mode.ROLLING, 19, 0.05),
        EvaluationSettingsParser.parse(with("tracecast.evaluate.intervals { calibration = "
            + "rolling, window = 19, gamma = 0.05 }"))
            .intervalCalibration());
  }

  @Test
  void badValuesFailWithTheKeysFullPath() {
    ConfigException mode = assertThrows(ConfigException.class, () -> EvaluationSettingsParser
        .parse(with("tracecast.evaluate.intervals.calibration = online")));
    assertTrue(mode.getMessage().contains("tracecast.evaluate.intervals.calibration"),
        mode.getMessage());
    assertTrue(mode.getMessage().contains("split or rolling"), mode.getMessage());
    // 18 residuals give no 90 % band (ranks 1..19 need 19)
    ConfigException window = assertThrows(ConfigException.class, () -> EvaluationSettingsParser
        .parse(with("tracecast.evaluate.intervals { calibration = rolling, window = 18 }")));
    assertTrue(window.getMessage().contains("tracecast.evaluate.intervals.window"),
        window.getMessage());
    assertTrue(window.getMessage().contains("at least 19"), window.getMessage());
    ConfigException gamma = assertThrows(ConfigException.class, () -> EvaluationSettingsParser
        .parse(with("tracecast.evaluate.intervals.gamma = -0.1")));
    assertTrue(gamma.getMessage().contains("tracecast.evaluate.intervals.gamma"),
        gamma.getMessage());
    // only the 80 % level: 9 residuals suffice
    assertEquals(9, EvaluationSettingsParser.parse(with("tracecast.evaluate.intervals { levels = "
        + "[80], calibration = rolling, window = 9 }")).intervalCalibration().window());
  }
}
