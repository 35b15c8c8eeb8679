package io.tracecast.training.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.tracecast.training.kind.KindParams;
import io.tracecast.training.kind.ModelKind;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.NetworkArchitecture;
import io.tracecast.training.kind.Scope;
import io.tracecast.training.kind.network.Convolution;
import io.tracecast.training.kind.network.GraphGru;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrainSettingsParserTest {
  /** conf/application.conf of the checkout: the documented defaults. */
  private static Config defaults() {
    return ConfigFactory.parseFile(Path.of(System.getProperty("tracecast.root", ".."), "conf",
        "application.conf").toFile()).resolve();
  }

  private static Config with(String hocon) {
    return ConfigFactory.parseString(hocon).withFallback(defaults()).resolve();
  }

  private static List<ModelKind> kinds(String... ids) {
    return java.util.Arrays.stream(ids).map(ModelKinds::parse).toList();
  }

  @Test
  void documentedDefaultsKeepEachKindsOwnHyperparameters() {
    TrainSettings s = TrainSettingsParser.parse(defaults());
    assertEquals(kinds("lstm"), s.models());
    assertEquals(20_000, s.dataParallelMinWindows());
    assertEquals(TrainSettings.DEFAULT_EFFICIENCY, s.dataParallelEfficiency());
    assertEquals(TrainSettings.defaults(kinds("lstm")).dataParallel(4), s.dataParallel(4));
    for (NetworkArchitecture kind : ModelKinds.networks()) {
      assertEquals(kind.defaults(), s.spec(kind), kind.id());
    }
  }

  @Test
  void seedsTrainEachNetworkInRoundsOfConsecutiveSeedsWithTheirOwnCheckpoints() {
    assertEquals(1, TrainSettingsParser.parse(defaults()).seeds());
    TrainSettings s = TrainSettingsParser.parse(with("tracecast.train { seeds = 3, seed = 7 }"));
    assertEquals(3, s.seeds());
    TrainSettings first = s.seedRound(0, "/ck");
    TrainSettings third = s.seedRound(2, "/ck");
    for (NetworkArchitecture kind : ModelKinds.networks()) {
      assertEquals(7, first.spec(kind).training().seed(), kind.id());
      assertEquals(9, third.spec(kind).training().seed(), kind.id());
      assertEquals(s.spec(kind).withTraining(s.spec(kind).training().withSeed(9)),
          third.spec(kind), "nothing but the seed changes");
    }
    assertEquals(s.checkpointDir(), first.checkpointDir());
    assertEquals("/ck/_seed-2", third.checkpointDir());
    assertEquals(s.gbt(), third.gbt(), "the trees train once");
    ConfigException e = assertThrows(ConfigException.class,
        () -> TrainSettingsParser.parse(with("tracecast.train.seeds = 0")));
    assertTrue(e.getMessage().contains("tracecast.train.seeds"), e.getMessage());
  }

  @Test
  void overridesApplyToEveryKindAndShortenTheWarmUpToFit() {
    TrainSettings s = TrainSettingsParser.parse(with("tracecast.train { models = [gru, "
        + "bilstm_attention], max-epochs = 3, patience = 2, batch-size = 16, "
        + "learning-rate = 0.02, seed = 7, units { bilstm_attention = [8, 8] } }"));
    assertEquals(kinds("gru", "bilstm_attention"), s.models());
    ModelSpec spec = s.spec(ModelKinds.BILSTM_ATTENTION);
    assertEquals(List.of(8, 8), spec.units());
    assertEquals(3, spec.training().maxEpochs());
    assertEquals(2, spec.training().warmupEpochs(), "5 warm-up epochs cut to max-epochs - 1");
    assertEquals(16, spec.training().batchSize());
    assertEquals(0.02, spec.training().learningRate());
    assertEquals(7, spec.training().seed());
    assertEquals(List.of(50), s.spec(ModelKinds.GRU).units());
  }

  @Test
  void eachKindReadsItsOwnBlock() {
    TrainSettings d = TrainSettingsParser.parse(defaults());
    assertEquals(GraphGru.Graph.DEFAULTS, d.spec(ModelKinds.GRAPH_GRU).params());
    assertEquals(Convolution.DEFAULTS, d.spec(ModelKinds.CNN).params());
    TrainSettings s = TrainSettingsParser.parse(with("tracecast.train { models = [graph_gru, "
        + "lstm], graph { heads = 8, gcn-layers = 2, top-k = 0.25 }, "
        + "units { graph_gru = [16] }, cnn { filters = 8 } }"));
    ModelSpec spec = s.spec(ModelKinds.GRAPH_GRU);
    assertEquals(new GraphGru.Graph(8, 2, 0.25), spec.params());
    assertEquals(List.of(16), spec.units());
    assertEquals(KindParams.NONE, s.spec(ModelKinds.LSTM).params());
    assertEquals(new Convolution(8, 3), s.spec(ModelKinds.CNN).params());
    assertEquals(Convolution.DEFAULTS, s.spec(ModelKinds.CNN_LSTM).params(),
        "cnn's block is cnn's");
    for (String bad : List.of("graph.heads = 0", "graph.gcn-layers = -1", "graph.top-k = 0",
        "graph.top-k = 1.5", "cnn.filters = 0", "cnn_lstm.kernel = 0")) {
      ConfigException e = assertThrows(ConfigException.class, () -> TrainSettingsParser.parse(
          with("tracecast.train." + bad)));
      String key = "tracecast.train." + bad.substring(0, bad.indexOf(' '));
      assertTrue(e.getMessage().contains(key), e.getMessage());
    }
  }

  @Test
  void badValuesNameTheFullKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> TrainSettingsParser.parse(
        with("tracecast.train.models = [lstm, transformer]")));
    assertTrue(e.getMessage().contains("tracecast.train.models")
        && e.getMessage().contains("transformer"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> TrainSettingsParser.parse(
        with("tracecast.train.data-parallel-min-windows = 0")));
    assertTrue(e.getMessage().contains("tracecast.train.data-parallel-min-windows"),
        e.getMessage());
    for (String bad : List.of("0", "1.5", "-0.2")) {
      e = assertThrows(ConfigException.class, () -> TrainSettingsParser.parse(
          with("tracecast.train.data-parallel-efficiency = " + bad)));
      assertTrue(e.getMessage().contains("tracecast.train.data-parallel-efficiency"),
          e.getMessage());
    }
    e = assertThrows(ConfigException.class, () -> TrainSettingsParser.parse(
        with("tracecast.train.units { nosuch = [4] }")));
    assertTrue(e.getMessage().contains("tracecast.train.units.nosuch"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> TrainSettingsParser.parse(
        with("tracecast.train.units { gbt = [4] }")));
    assertTrue(e.getMessage().contains("tracecast.train.units.gbt")
        && e.getMessage().contains("not a network kind"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> TrainSettingsParser.parse(
        with("tracecast.train.models = [mlp_hpo]")));
    assertTrue(e.getMessage().contains("tune"), e.getMessage());
  }

  @Test
  void oneModelListHoldsEveryKindAndScope() {
    TrainSettings s = TrainSettingsParser.parse(with(
        "tracecast.train { models = [mlp, gbt, gbt_global, mlp], seed = 9, gbt { rounds = 50, "
        + "strategy = direct } }"));
    assertEquals(kinds("mlp", "gbt", "gbt_global"), s.models(), "in order, once each");
    assertEquals(Scope.GLOBAL, s.models().get(2).scope());
    assertEquals(ModelKinds.GBT, s.models().get(2).architecture());
    assertEquals(new io.tracecast.training.gbt.GbtSpec(50, 6, 0.05, 0.8, 0.8, 1.0, 1.0, 30,
        "reg:absoluteerror", "direct", java.util.List.of(), 9), s.gbt());
    TrainSettings only = TrainSettingsParser.parse(with("tracecast.train.models = [gbt]"));
    assertEquals(kinds("gbt"), only.models());
    assertEquals(io.tracecast.training.gbt.GbtSpec.defaults(42), only.gbt());
    assertEquals("recursive", only.gbt().strategy(), "conf/application.conf's default");
    assertEquals(List.of(), only.gbt().quantiles(), "conf/application.conf's default: point trees");
    assertEquals(List.of(0.1, 0.5, 0.9), TrainSettingsParser.parse(with(
        "tracecast.train.gbt.quantiles = [0.1, 0.5, 0.9]")).gbt().quantiles());
    assertEquals(io.tracecast.training.gbt.GbtSpec.STEP_FEATURE, TrainSettingsParser.parse(
        with("tracecast.train.gbt.strategy = step-feature")).gbt().strategy());
    ConfigException e = assertThrows(ConfigException.class, () -> TrainSettingsParser.parse(
        with("tracecast.train.gbt.strategy = sideways")));
    assertTrue(e.getMessage().contains("tracecast.train.gbt.strategy"), e.getMessage());
    assertTrue(e.getMessage().contains("step-feature"), "says what it expected: "
        + e.getMessage());
  }

  @Test
  void patternAndTunedKindsWithDocumentedFineTuning() {
    TrainSettings s = TrainSettingsParser.parse(with("tracecast.train { models = [mlp, "
        + "gbt_pattern, mlp_pattern, lstm_tuned, MLP_TUNED], patterns { k = 3 } }"));
    assertEquals(kinds("mlp", "gbt_pattern", "mlp_pattern", "lstm_tuned", "mlp_tuned"),
        s.models());
    assertEquals(kinds("gbt_pattern", "mlp_pattern"), s.kinds(Scope.PATTERN));
    assertEquals(kinds("lstm_tuned", "mlp_tuned"), s.kinds(Scope.TUNED));
    // a tuned kind needs its pattern network as the starting point
    assertEquals(List.of(ModelKinds.MLP, ModelKinds.LSTM), s.patternNetworks());
    PooledSettings p = s.pooled();
    assertEquals(new PatternSettings(Optional.of(3), 6, 7), p.patterns());
    assertEquals(3, p.fineTuneEpochs());
    assertEquals(0.3, p.fineTuneLrFactor(), 0);
    assertTrue(s.needsPatterns());
    assertTrue(!TrainSettingsParser.parse(with("tracecast.train.models = [mlp, gbt_global]"))
        .needsPatterns());
    TrainSettings tuned = TrainSettingsParser.parse(with("tracecast.train { models = "
        + "[gru_tuned], fine-tune-epochs = 5, fine-tune-lr-factor = 0.1 }"));
    assertEquals(kinds("gru_tuned"), tuned.models());
    assertEquals(List.of(ModelKinds.GRU), tuned.patternNetworks());
    assertEquals(5, tuned.pooled().fineTuneEpochs());
    assertEquals(0.1, tuned.pooled().fineTuneLrFactor(), 0);
  }

  @Test
  void badPooledIdsAndFineTuningValuesNameTheirKey() {
    for (String[] bad : new String[][] {{"models = [xgb_pattern]", "tracecast.train.models"},
        {"models = [graph_gru_pattern]", "tracecast.train.models"},
        {"models = [gbt_tuned]", "tracecast.train.models"},
        {"models = [mlp_tuned], fine-tune-epochs = 0", "tracecast.train.fine-tune-epochs"},
        {"models = [mlp_tuned], fine-tune-lr-factor = 1.5",
            "tracecast.train.fine-tune-lr-factor"}}) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> TrainSettingsParser.parse(with("tracecast.train { " + bad[0] + " }")));
      assertTrue(e.getMessage().contains(bad[1]), bad[0] + ": " + e.getMessage());
    }
  }

  @Test
  void invalidGbtValuesNameTheirKey() {
    for (String[] bad : new String[][] {{"eta = 0", "tracecast.train.gbt.eta"},
        {"subsample = 1.5", "tracecast.train.gbt.subsample"},
        {"objective = \"reg:pinball\"", "tracecast.train.gbt.objective"},
        {"rounds = 0", "tracecast.train.gbt.rounds"},
        {"lambda = -1", "tracecast.train.gbt.lambda"},
        {"early-stopping-rounds = -1", "tracecast.train.gbt.early-stopping-rounds"},
        {"quantiles = [0.9, 0.1]", "tracecast.train.gbt.quantiles"},
        {"quantiles = [0.5, 1.0]", "tracecast.train.gbt.quantiles"}}) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> TrainSettingsParser.parse(with("tracecast.train.gbt { " + bad[0] + " }")));
      assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
    }
    ConfigException unknown = assertThrows(ConfigException.class,
        () -> TrainSettingsParser.parse(with("tracecast.train.models = [gbt, xgb]")));
    assertTrue(unknown.getMessage().contains("xgb") && unknown.getMessage().contains("gbt_global"),
        unknown.getMessage());
  }

  @Test
  void patternsDefaultToSilhouetteUpToSixSeededSeven() {
    assertEquals(PatternSettings.defaults(), TrainSettingsParser.patterns(defaults()));
    assertEquals(new PatternSettings(Optional.of(4), 9, 3), TrainSettingsParser.patterns(
        with("tracecast.train.patterns { k = 4, k-max = 9, seed = 3 }")));
  }

  @Test
  void badPatternValuesNameTheFullKey() {
    for (String bad : List.of("k = 0", "k = many", "k-max = 1")) {
      ConfigException e = assertThrows(ConfigException.class, () -> TrainSettingsParser
          .patterns(with("tracecast.train.patterns { " + bad + " }")));
      String key = "tracecast.train.patterns." + bad.substring(0, bad.indexOf(' '));
      assertTrue(e.getMessage().contains(key), bad + ": " + e.getMessage());
    }
  }
}
