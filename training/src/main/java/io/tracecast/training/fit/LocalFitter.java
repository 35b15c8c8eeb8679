package io.tracecast.training.fit;

import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.network.NetworkShape;
import io.tracecast.training.network.WindowTensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.evaluation.regression.RegressionEvaluation;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Plain single-process training on one job's windows held in memory. Minibatches are drawn in a
 * fresh order each epoch from {@code Random(seed, epoch)}, so a run (and a resumed run) sees the
 * same batches. Batches are fed one by one with {@code fit(DataSet)}: {@code fit(iterator)} would
 * wrap the iterator in DL4J's AsyncDataSetIterator, whose prefetch thread fails with the
 * recurrent layers here.
 */
public final class LocalFitter implements EpochFitter {
  private final ModelSpec spec;
  private final NetworkShape shape;
  private final List<float[]> trainInputs;
  private final List<float[]> trainTargets;
  private final List<DataSet> validationBatches;
  private ComputationGraph network;

  public LocalFitter(ComputationGraph network, ModelSpec spec, NetworkShape shape,
      List<float[]> trainInputs, List<float[]> trainTargets, List<float[]> validationInputs,
      List<float[]> validationTargets) {
    if (trainInputs.isEmpty()) {
      throw new IllegalArgumentException("no train windows");
    }
    this.network = network;
    this.spec = spec;
    this.shape = shape;
    this.trainInputs = trainInputs;
    this.trainTargets = trainTargets;
    this.validationBatches = new ArrayList<>();
    int batch = spec.training().batchSize();
    for (int from = 0; from < validationInputs.size(); from += batch) {
      int to = Math.min(validationInputs.size(), from + batch);
      validationBatches.add(WindowTensors.dataSet(validationInputs.subList(from, to),
          validationTargets.subList(from, to), shape, spec));
    }
  }

  @Override
  public ComputationGraph network() {
    return network;
  }

  @Override
  public void setNetwork(ComputationGraph network) {
    this.network = network;
  }

  @Override
  public double fitEpoch(int epoch) {
    network.getConfiguration().setEpochCount(epoch);
    int[] order = permutation(trainInputs.size(), spec.training().seed() * 1_000_003L + epoch);
    int batch = spec.training().batchSize();
    double lossSum = 0;
    for (int from = 0; from < order.length; from += batch) {
      int to = Math.min(order.length, from + batch);
      List<float[]> in = new ArrayList<>(to - from);
      List<float[]> out = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        in.add(trainInputs.get(order[i]));
        out.add(trainTargets.get(order[i]));
      }
      network.fit(WindowTensors.dataSet(in, out, shape, spec));
      lossSum += network.score() * (to - from);
    }
    return lossSum / order.length;
  }

  @Override
  public Validation validate() {
    if (validationBatches.isEmpty()) {
      return Validation.NONE;
    }
    RegressionEvaluation eval = ValidationMetrics.newEvaluation(spec, shape);
    double lossSum = 0;
    long n = 0;
    for (DataSet b : validationBatches) {
      lossSum += network.score(b, false) * b.numExamples();
      n += b.numExamples();
      eval.eval(b.getLabels(), network.outputSingle(false, b.getFeatures()));
    }
    return new Validation(lossSum / n, ValidationMetrics.pointMae(eval, spec, shape));
  }

  @Override
  public long trainWindows() {
    return trainInputs.size();
  }

  /** The batch order of an epoch: a seeded shuffle, shared by {@link PanelFitter}. */
  static int[] permutation(int n, long seed) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    Random rnd = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
