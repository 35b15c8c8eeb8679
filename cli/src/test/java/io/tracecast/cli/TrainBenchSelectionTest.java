package io.tracecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.cli.TrainBenchSelection.SpecSource;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.ModelSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code tracecast bench train --kinds --spec}: what is measured, and what fails at start-up. */
class TrainBenchSelectionTest {
  @Test
  void defaultsToEveryNetworkKindAndTheirOwnSpecs() {
    TrainBenchSelection s = TrainBenchSelection.parse(null, null);
    // written out by hand, not from ModelKinds.networks(): a kind added to the registry's list
    // must show up here, and gbt (a tree kind) must not
    assertEquals(List.of("lstm", "stacked_lstm", "bilstm_attention", "cnn_lstm", "gru", "cnn",
        "mlp", "graph_gru", "linear"), s.kinds().stream().map(k -> k.id()).toList());
    assertEquals(List.of(SpecSource.DEFAULT), s.specs());
  }

  @Test
  void keepsTheGivenOrderAndDropsRepeats() {
    TrainBenchSelection s = TrainBenchSelection.parse(" cnn,MLP,cnn ", "pipeline, default");
    assertEquals(List.of(ModelKinds.CNN, ModelKinds.MLP), s.kinds());
    assertEquals(List.of(SpecSource.PIPELINE, SpecSource.DEFAULT), s.specs());
  }

  @Test
  void rejectsAnUnknownKindNamingTheOptionAndTheValidIds() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainBenchSelection.parse("mlp,transformer", null));
    assertTrue(e.getMessage().startsWith("--kinds: unknown model kind 'transformer'"),
        e.getMessage());
    assertTrue(e.getMessage().contains("bilstm_attention"), e.getMessage());
  }

  @Test
  void rejectsTreeKindsAndScopedKinds() {
    IllegalArgumentException tree = assertThrows(IllegalArgumentException.class,
        () -> TrainBenchSelection.parse("gbt", null));
    assertTrue(tree.getMessage().startsWith("--kinds: gbt is not a network kind"),
        tree.getMessage());
    IllegalArgumentException pattern = assertThrows(IllegalArgumentException.class,
        () -> TrainBenchSelection.parse("mlp_pattern", null));
    assertTrue(pattern.getMessage().startsWith("--kinds: mlp_pattern is not a network kind"),
        pattern.getMessage());
  }

  @Test
  void rejectsAnUnknownSpec() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainBenchSelection.parse("mlp", "default,tuned"));
    assertEquals("--spec: unknown spec 'tuned', expected default, pipeline or both "
        + "(default,pipeline)", e.getMessage());
  }

  @Test
  void pipelineSpecIsWhatConfApplicationConfsPipelineTrains() {
    TrainSettings pipeline = TrainBenchSelection.pipelineSettings(
        Settings.load(null, null, Map.of()));
    // conf/application.conf, tracecast.pipeline.train: quantiles { mlp = [0.5], cnn = [0.5] },
    // residual = true, max-epochs = 15 (replaced by the bench's epochs)
    ModelSpec mlp = SpecSource.PIPELINE.spec(ModelKinds.MLP, pipeline, 2);
    assertEquals(List.of(64, 32), mlp.units());
    assertEquals(List.of(0.5), mlp.quantiles());
    assertTrue(mlp.residual());
    assertEquals(64, mlp.training().batchSize());
    assertEquals(2, mlp.training().maxEpochs());
    ModelSpec gru = SpecSource.PIPELINE.spec(ModelKinds.GRU, pipeline, 2);
    assertEquals(List.of(), gru.quantiles(), "no pipeline quantiles for gru: MSE");
    assertTrue(gru.residual());
  }

  @Test
  void defaultSpecIsTheKindsOwnWithTheBenchsEpochs() {
    ModelSpec mlp = SpecSource.DEFAULT.spec(ModelKinds.MLP, null, 3);
    assertEquals(List.of(), mlp.quantiles());
    assertFalse(mlp.residual());
    assertEquals(3, mlp.training().maxEpochs());
    // bilstm_attention warms up 5 epochs of 100; with 2 the warm-up must stay below the run
    ModelSpec bilstm = SpecSource.DEFAULT.spec(ModelKinds.BILSTM_ATTENTION, null, 2);
    assertEquals(256, bilstm.training().batchSize());
    assertEquals(List.of(0.1, 0.5, 0.9), bilstm.quantiles());
    assertEquals(1, bilstm.training().warmupEpochs());
    assertThrows(IllegalArgumentException.class,
        () -> SpecSource.DEFAULT.spec(ModelKinds.MLP, null, 0));
  }
}
