package io.tracecast.training.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.ModelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TuneSettingsParserTest {
  private static Config with(String hocon) {
    return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.parseFile(Path.of(
        System.getProperty("tracecast.root", ".."), "conf", "application.conf").toFile()))
        .resolve();
  }

  @Test
  void documentedDefaultsGiveEveryKindASpaceWithOneHiddenDimensionPerLayer() {
    TuneSettings s = TuneSettingsParser.parse(with(""));
    assertEquals(50, s.trials());
    assertEquals(Sampler.Kind.TPE, s.search());
    assertTrue(s.pruner().isPresent());
    List<String> mlp = s.space(ModelKinds.MLP).dimensions().stream().map(Dimension::name)
        .toList();
    assertEquals(List.of("hidden_1", "hidden_2", "dropout", "learning-rate", "batch-size",
        "lookback", "residual", "loss"), mlp);
    assertEquals(1, s.space(ModelKinds.LSTM).dimensions().stream()
        .filter(d -> d.name().startsWith("hidden")).count());
    assertEquals("mlp_hpo", KindSearch.modelName(ModelKinds.MLP));
    assertEquals(false, s.spaces().containsKey(ModelKinds.GRAPH_GRU), "tune does not search it");
  }

  @Test
  void aKindsOwnKeyReplacesTheDefaultAndProposalsBecomeSpecs() {
    TuneSettings s = TuneSettingsParser.parse(with(
        "tracecast.tune.space.mlp.dropout { type = categorical, values = [0.1] }"));
    SearchSpace space = s.space(ModelKinds.MLP);
    ModelSpec base = ModelKinds.MLP.defaults();
    Map<String, Object> p = new java.util.LinkedHashMap<>(space.paramsOf(base, 12));
    assertEquals(base, space.apply(base, p, 12), "the default's own values give the default");
    p.put("hidden_1", 17);
    p.put("dropout", 0.1);
    p.put("learning-rate", 0.005);
    p.put("batch-size", 128);
    p.put("lookback", 4);
    p.put("residual", true);
    p.put("loss", "median");
    ModelSpec spec = space.apply(base, p, 12);
    assertEquals(List.of(17, 32), spec.units());
    assertEquals(0.1, spec.dropout());
    assertEquals(0.005, spec.training().learningRate());
    assertEquals(128, spec.training().batchSize());
    assertEquals(4, spec.lookbackUsed());
    assertTrue(spec.residual());
    assertEquals(List.of(0.5), spec.quantiles());
  }

  @Test
  void invalidRangesFailNamingTheFullKey() {
    assertKey("tracecast.tune.space.mlp.dropout",
        "tracecast.tune.space.mlp.dropout { type = float, min = 0.2, max = 1.5 }");
    assertKey("tracecast.tune.space.default.learning-rate",
        "tracecast.tune.space.default.learning-rate { type = log-float, min = 0, max = 1 }");
    assertKey("tracecast.tune.space.gru.hidden",
        "tracecast.tune.space.gru.hidden { type = int, min = 64, max = 8 }");
    assertKey("tracecast.tune.space.mlp.loss",
        "tracecast.tune.space.mlp.loss { type = categorical, values = [mse, mae] }");
    assertKey("tracecast.tune.space.mlp.layers",
        "tracecast.tune.space.mlp.layers { type = int, min = 1, max = 3 }");
    assertKey("tracecast.tune.space.transformer", "tracecast.tune.space.transformer {}");
    assertKey("tracecast.tune.search", "tracecast.tune.search = grid");
    Config c = with("tracecast.tune.space.mlp.lookback { type = int, min = 2, max = 24 }");
    ConfigException e = assertThrows(ConfigException.class, () -> TuneSettingsParser
        .checkLookback(c, TuneSettingsParser.parse(c).space(ModelKinds.MLP), 12));
    assertTrue(e.getMessage().contains("tracecast.tune.space.mlp.lookback"), e.getMessage());
  }

  private static void assertKey(String key, String hocon) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> TuneSettingsParser.parse(with(hocon)));
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }
}
