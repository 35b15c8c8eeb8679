package io.tracecast.training.tune;

import io.tracecast.training.fit.CheckpointStore;
import io.tracecast.training.fit.EpochListener;
import io.tracecast.training.fit.EpochLoop;
import io.tracecast.training.fit.FitOutcome;
import io.tracecast.training.fit.LocalFitter;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.NetworkArchitecture;
import io.tracecast.training.registry.ModelMetadata.Epoch;
import io.tracecast.training.registry.NetworkFiles;
import io.tracecast.training.registry.RegistryLayout;
import io.tracecast.training.run.JobWindows;
import io.tracecast.training.run.RunContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The body of one trial's Spark task: the plain local fit of one spec on the job's windows,
 * through the same {@link io.tracecast.training.fit.EpochLoop} as packed training (validation,
 * early stopping, per-epoch checkpoints, so a trial killed mid-way resumes after its last
 * epoch), stopped early when the pruner says so. The best network is written to
 * {@code <search dir>/networks/trial-<n>.zip} only when it beats every trial finished when this
 * one started, so the winner's network is always kept and few others are.
 *
 * @param searchDir the search's directory next to the checkpoints (trial log, networks)
 */
record TrialTask(String job, ModelSpec spec, int number, java.util.LinkedHashMap<String, Object> params,
    MedianStopping pruner, ArrayList<double[]> references, double bestSoFar, String searchDir,
    RunContext ctx) implements java.io.Serializable {

  Trial run(TuneData data) {
    long t0 = System.nanoTime();
    ctx.limitNativeThreads();
    ComputationGraph net = spec.kind().build(spec, ctx.shape(), 1);
    JobWindows w = data.windows();
    LocalFitter fitter = new LocalFitter(net, spec, ctx.shape(), w.trainInputs(),
        w.trainTargets(), w.validationInputs(), w.validationTargets());
    CheckpointStore checkpoints = new CheckpointStore(RegistryLayout.trialCheckpoints(searchDir),
        job, RegistryLayout.trialModel(number), ctx.hadoop().get());
    Pruning pruning = new Pruning(pruner, references);
    FitOutcome fit = new EpochLoop(job + " trial " + number, spec, ctx.datasetFingerprint(),
        checkpoints, pruning).run(fitter);
    double objective = data.originalMae(fit.network(), spec, ctx.shape());
    if (Double.isNaN(bestSoFar) || objective < bestSoFar) {
      save(fit.network(), RegistryLayout.trialNetwork(searchDir, number));
    }
    checkpoints.delete();
    return new Trial(number, params, pruning.stopped ? Trial.Status.PRUNED
        : Trial.Status.COMPLETE, objective, fit.history().epochs(), fit.history().bestEpoch(),
        (System.nanoTime() - t0) / 1e9, null);
  }

  private void save(ComputationGraph network, String file) {
    Path p = new Path(file);
    try {
      FileSystem fs = p.getFileSystem(ctx.hadoop().get());
      Path tmp = new Path(p.getParent(), "." + p.getName() + ".tmp");
      try (OutputStream out = fs.create(tmp, true)) {
        NetworkFiles.write(network, out, false);
      }
      fs.delete(p, false);
      fs.rename(tmp, p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e, e);
    }
  }

  /** The epoch loop's stop hook: the median stopping rule on this trial's curve so far. */
  private static final class Pruning implements EpochListener {
    private static final long serialVersionUID = 1L;
    private final MedianStopping rule;
    private final List<double[]> references;
    private final List<Double> curve = new ArrayList<>();
    private boolean stopped;

    Pruning(MedianStopping rule, List<double[]> references) {
      this.rule = rule;
      this.references = references;
    }

    @Override
    public void epochDone(String job, NetworkArchitecture kind, int epoch) {}

    @Override
    public boolean stopAfter(String job, NetworkArchitecture kind, Epoch epoch) {
      curve.add(epoch.validationMae());
      stopped = rule != null
          && rule.shouldStop(curve.stream().mapToDouble(Double::doubleValue).toArray(),
              references);
      return stopped;
    }

    @Override
    public String toString() {
      return "the median stopping rule";
    }
  }
}
