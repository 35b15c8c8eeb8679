package io.tracecast.training.fit;

import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.NetworkArchitecture;
import io.tracecast.training.kind.TrainingConfig.StopMetric;
import io.tracecast.training.kind.TrainingConfig;
import io.tracecast.training.registry.ModelMetadata.Epoch;
import io.tracecast.training.registry.ModelMetadata.TrainingHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epoch loop shared by packed and data-parallel training: fit, validate, early stopping on
 * the spec's metric with patience, a checkpoint and a log line after every epoch, and at the end
 * the best epoch's network. A checkpoint of the same dataset and spec is resumed after its last
 * epoch, with its history, best network and patience counter, so an interrupted run loses at
 * most the epoch in progress.
 */
public final class EpochLoop {
  private static final Logger LOG = LoggerFactory.getLogger(EpochLoop.class);

  private final String job;
  private final NetworkArchitecture kind;
  private final ModelSpec spec;
  private final String datasetFingerprint;
  private final CheckpointStore checkpoints;
  private final EpochListener listener;

  public EpochLoop(String job, ModelSpec spec, String datasetFingerprint,
      CheckpointStore checkpoints, EpochListener listener) {
    this.job = job;
    this.kind = spec.kind();
    this.spec = spec;
    this.datasetFingerprint = datasetFingerprint;
    this.checkpoints = checkpoints;
    this.listener = listener == null ? EpochListener.NONE : listener;
  }

  public FitOutcome run(EpochFitter fitter) {
    TrainingConfig tc = spec.training();
    long startNanos = System.nanoTime();
    List<Epoch> epochs = new ArrayList<>();
    int bestEpoch = 0;
    double bestScore = Double.POSITIVE_INFINITY;
    int sinceBest = 0;
    boolean finished = false;
    double trainSeconds = 0;
    double earlierWallSeconds = 0;
    ComputationGraph best = null;
    Optional<CheckpointState> saved = resumable();
    if (saved.isPresent()) {
      CheckpointState s = saved.get();
      fitter.setNetwork(checkpoints.network(s.modelFile()));
      best = s.bestEpoch() > 0 ? checkpoints.network(s.bestFile()) : null;
      epochs.addAll(s.epochs());
      bestEpoch = s.bestEpoch();
      bestScore = s.bestScore();
      sinceBest = s.epochsSinceBest();
      finished = s.finished();
      trainSeconds = s.trainSeconds();
      earlierWallSeconds = s.wallSeconds();
      LOG.info("{}/{}: resuming after checkpointed epoch {} ({})", job, kind.id(),
          s.lastEpoch(), checkpoints.directory());
    }
    int resumedFrom = epochs.size();
    while (!finished && epochs.size() < tc.maxEpochs()) {
      int e = epochs.size() + 1;
      long t0 = System.nanoTime();
      double trainLoss = fitter.fitEpoch(e - 1);
      trainSeconds += (System.nanoTime() - t0) / 1e9;
      EpochFitter.Validation v = fitter.validate();
      epochs.add(new Epoch(e, trainLoss, v.loss(), v.mae()));
      double score = stopScore(tc.stopMetric(), v, trainLoss);
      boolean improved = Double.isFinite(score) && score < bestScore;
      if (improved) {
        bestScore = score;
        bestEpoch = e;
        sinceBest = 0;
        best = fitter.network().clone();
      } else {
        sinceBest++;
      }
      finished = sinceBest >= tc.patience() || e >= tc.maxEpochs();
      double wall = earlierWallSeconds + (System.nanoTime() - startNanos) / 1e9;
      checkpoints.save(new CheckpointState(datasetFingerprint, spec, epochs, bestEpoch,
          bestScore, sinceBest, finished, trainSeconds, wall, "epoch-" + e + ".zip",
          "best-" + bestEpoch + ".zip"), fitter.network(), improved ? best : null);
      logEpoch(e, tc.maxEpochs(), trainLoss, v, samplesPerSecond(fitter, epochs, trainSeconds),
          (System.nanoTime() - startNanos) / 1e9 / (e - resumedFrom), finished);
      listener.epochDone(job, kind, e);
      if (!finished && listener.stopAfter(job, kind, epochs.get(epochs.size() - 1))) {
        LOG.info("{}/{}: stopped after epoch {} by {}", job, kind.id(), e, listener);
        finished = true;
      }
    }
    if (best == null) {
      throw new IllegalStateException(job + "/" + kind.id() + ": no epoch had a finite "
          + "early-stopping score (training diverged); last epoch " + epochs.get(epochs.size() - 1));
    }
    double wall = earlierWallSeconds + (System.nanoTime() - startNanos) / 1e9;
    return new FitOutcome(best, new TrainingHistory(epochs, bestEpoch, wall,
        samplesPerSecond(fitter, epochs, trainSeconds)), resumedFrom);
  }

  /** The saved state when it belongs to this dataset and spec; a stale one is removed. */
  private Optional<CheckpointState> resumable() {
    Optional<CheckpointState> s = checkpoints.state();
    if (s.isPresent() && !(datasetFingerprint.equals(s.get().datasetFingerprint())
        && spec.equals(s.get().spec()))) {
      LOG.warn("{}/{}: discarding checkpoint of another dataset or spec ({})", job, kind.id(),
          checkpoints.directory());
      checkpoints.delete();
      return Optional.empty();
    }
    return s;
  }

  /** Lower is better; train loss stands in when the job has no validation windows. */
  static double stopScore(StopMetric metric, EpochFitter.Validation v, double trainLoss) {
    double score = metric == StopMetric.VALIDATION_MAE ? v.mae() : v.loss();
    return Double.isNaN(v.loss()) && Double.isNaN(v.mae()) ? trainLoss : score;
  }

  private static double samplesPerSecond(EpochFitter fitter, List<Epoch> epochs,
      double trainSeconds) {
    return trainSeconds > 0 ? fitter.trainWindows() * (double) epochs.size() / trainSeconds : 0;
  }

  private void logEpoch(int e, int max, double trainLoss, EpochFitter.Validation v,
      double samplesPerSecond, double secondsPerEpoch, boolean finished) {
    // ETA assumes every remaining epoch runs: an upper bound, as early stopping may end sooner.
    double eta = finished ? 0 : secondsPerEpoch * (max - e);
    LOG.info(String.format(Locale.ROOT, "%s/%s epoch %d/%d: train loss %.5f, val loss %.5f, "
            + "val MAE %.5f, %.0f samples/s, ETA %.0f s%s", job, kind.id(), e, max, trainLoss,
        v.loss(), v.mae(), samplesPerSecond, eta, finished ? " (done)" : ""));
  }
}
