package io.tracecast.training.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.training.kind.KindParams;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.TrainingConfig;
import io.tracecast.training.network.NetworkBuilder;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.registry.ModelMetadata.Epoch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The epoch loop with a scripted fitter: each epoch sets every parameter to the epoch number and
 * reports a given validation MAE, so which epoch's parameters come back is visible directly.
 */
class EpochLoopTest {
  private static final NetworkShape SHAPE = new NetworkShape(2, 1, 1, 1);
  /** Best at epoch 2; with patience 3, epochs 3..5 do not improve and training stops at 5. */
  private static final double[] MAE = {0.5, 0.3, 0.4, 0.35, 0.6, 0.1, 0.1};

  private static ModelSpec spec(int maxEpochs, int patience) {
    return new ModelSpec(ModelKinds.MLP, List.of(2, 2), 0, List.of(),
        new TrainingConfig(0.01, TrainingConfig.Schedule.CONSTANT, 0, 8, maxEpochs, patience,
            TrainingConfig.StopMetric.VALIDATION_MAE, 1.0, 42), false, 0, KindParams.NONE);
  }

  /** Records the 0-based epochs it was asked to fit. */
  private static final class ScriptedFitter implements EpochFitter {
    final List<Integer> fitted = new ArrayList<>();
    ComputationGraph net;

    ScriptedFitter(ModelSpec spec) {
      net = NetworkBuilder.build(spec, SHAPE);
    }

    @Override public ComputationGraph network() { return net; }
    @Override public void setNetwork(ComputationGraph n) { net = n; }
    @Override public long trainWindows() { return 100; }

    @Override
    public double fitEpoch(int epoch) {
      fitted.add(epoch);
      net.params().assign(epoch + 1);
      return 1.0 / (epoch + 1);
    }

    @Override
    public Validation validate() {
      double e = net.params().getDouble(0);
      return new Validation(MAE[(int) e - 1] * 2, MAE[(int) e - 1]);
    }
  }

  private static CheckpointStore store(Path dir) {
    return new CheckpointStore(dir.toString(), "job/1", "mlp", new Configuration());
  }

  @Test
  void stopsAfterPatienceAndRestoresTheBestEpochsParameters(@TempDir Path dir) {
    ModelSpec spec = spec(7, 3);
    ScriptedFitter fitter = new ScriptedFitter(spec);
    FitOutcome out = new EpochLoop("job/1", spec, "fp", store(dir), null).run(fitter);
    assertEquals(List.of(0, 1, 2, 3, 4), fitter.fitted);
    assertEquals(2, out.history().bestEpoch());
    assertEquals(5, out.history().epochs().size());
    assertEquals(2.0, out.network().params().minNumber().doubleValue());
    assertEquals(2.0, out.network().params().maxNumber().doubleValue());
    assertEquals(new Epoch(2, 0.5, 0.6, 0.3), out.history().epochs().get(1));
    assertEquals(0, out.resumedFromEpoch());
    assertTrue(out.history().samplesPerSecond() > 0);
  }

  @Test
  void resumesAfterTheCheckpointedEpochWhenTheRunFailed(@TempDir Path dir) {
    ModelSpec spec = spec(7, 3);
    ScriptedFitter first = new ScriptedFitter(spec);
    EpochListener failAfterTwo = (job, kind, epoch) -> {
      if (epoch == 2) {
        throw new IllegalStateException("injected failure after epoch 2");
      }
    };
    assertThrows(IllegalStateException.class,
        () -> new EpochLoop("job/1", spec, "fp", store(dir), failAfterTwo).run(first));
    assertEquals(2, store(dir).state().orElseThrow().lastEpoch());

    ScriptedFitter second = new ScriptedFitter(spec);
    FitOutcome out = new EpochLoop("job/1", spec, "fp", store(dir), null).run(second);
    assertEquals(List.of(2, 3, 4), second.fitted, "continues with epoch 3 (0-based 2)");
    assertEquals(2, out.resumedFromEpoch());
    assertEquals(2, out.history().bestEpoch(), "the best epoch came from the first run");
    assertEquals(List.of(1, 2, 3, 4, 5),
        out.history().epochs().stream().map(Epoch::epoch).toList());
    assertEquals(2.0, out.network().params().maxNumber().doubleValue());
  }

  @Test
  void startsOverWhenTheCheckpointIsOfAnotherDataset(@TempDir Path dir) {
    ModelSpec spec = spec(7, 3);
    EpochListener failAfterOne = (job, kind, epoch) -> {
      throw new IllegalStateException("injected");
    };
    assertThrows(IllegalStateException.class, () -> new EpochLoop("job/1", spec, "fp-old",
        store(dir), failAfterOne).run(new ScriptedFitter(spec)));
    ScriptedFitter fresh = new ScriptedFitter(spec);
    FitOutcome out = new EpochLoop("job/1", spec, "fp-new", store(dir), null).run(fresh);
    assertEquals(0, fresh.fitted.get(0));
    assertEquals(0, out.resumedFromEpoch());
  }

  @Test
  void deletingTheCheckpointLeavesNothingToResume(@TempDir Path dir) {
    ModelSpec spec = spec(2, 3);
    CheckpointStore s = store(dir);
    new EpochLoop("job/1", spec, "fp", s, null).run(new ScriptedFitter(spec));
    assertTrue(s.state().orElseThrow().finished());
    s.delete();
    assertFalse(s.state().isPresent());
  }

  /**
   * The races of two trials or kinds of one job, injected: a sibling removing the job's empty
   * directory while this one creates its own below it (local mkdirs then fails with "parent is
   * not a directory"), and a sibling creating its directory while this one removes the job's
   * (non-recursive delete of a non-empty directory fails). Neither may fail the task.
   */
  @Test
  void aSiblingCheckpointComingOrGoingInTheJobsDirectoryFailsNeitherSaveNorDelete(
      @TempDir Path dir) {
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", RacingLocalFs.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    ModelSpec spec = spec(2, 3);
    RacingLocalFs.races = 2;
    CheckpointStore s = new CheckpointStore(dir.toString(), "job/1", "mlp", conf);
    new EpochLoop("job/1", spec, "fp", s, null).run(new ScriptedFitter(spec));
    assertTrue(s.state().orElseThrow().finished());
    s.delete();
    assertFalse(s.state().isPresent());
    assertEquals(0, RacingLocalFs.races, "both races were injected");
  }

  /** The local file system with the two races of {@link CheckpointStore} injected, once each. */
  public static final class RacingLocalFs extends org.apache.hadoop.fs.LocalFileSystem {
    static volatile int races;
    private boolean mkdirsRaced;
    private boolean deleteRaced;

    @Override
    public boolean mkdirs(org.apache.hadoop.fs.Path f) throws java.io.IOException {
      if (!mkdirsRaced && races > 0) {
        mkdirsRaced = true;
        races--;
        throw new org.apache.hadoop.fs.ParentNotDirectoryException("Parent path is not a "
            + "directory: " + f.getParent());
      }
      return super.mkdirs(f);
    }

    @Override
    public boolean delete(org.apache.hadoop.fs.Path f, boolean recursive)
        throws java.io.IOException {
      if (!recursive && !deleteRaced && races > 0 && exists(f)
          && getFileStatus(f).isDirectory()) {
        deleteRaced = true;
        races--;
        throw new java.io.IOException("Directory " + f + " is not empty");
      }
      return super.delete(f, recursive);
    }
  }
}
