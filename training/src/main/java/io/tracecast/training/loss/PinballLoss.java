package io.tracecast.training.loss;

import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossUtil;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The pinball (quantile) loss for several quantile levels at once. Output column {@code j} is
 * trained for level {@code quantiles[j % Q]}: the network emits, for each (step, target), its Q
 * quantiles next to each other, and the labels repeat each true value Q times (see
 * {@code WindowTensors.labels}), so labels and outputs have the same shape as DL4J expects.
 *
 * <p>With residual {@code u = y - yhat} and level {@code tau}:
 * {@code loss = max(tau * u, (tau - 1) * u) = |u| / 2 + (tau - 1/2) * u}, averaged over the
 * columns of an example (like MSE, so the scale does not grow with horizon or quantile count).
 * The derivative with respect to {@code yhat} is {@code -tau} for {@code u > 0} and
 * {@code 1 - tau} for {@code u < 0}; at a tie ({@code u = 0}) we use {@code 1/2 - tau}, the mean
 * of the one-sided derivatives, which is a valid subgradient and matches autodiff frameworks
 * that split the gradient of a tied max evenly. In closed form:
 * {@code d loss / d yhat = (1/2 - tau - sign(u) / 2) / columns}.
 */
public final class PinballLoss implements ILossFunction {
  private static final long serialVersionUID = 1L;

  /** Ascending levels in (0, 1); kept as a field so DL4J's JSON configuration round-trips it. */
  @JsonProperty("quantiles")
  private final double[] quantiles;

  /** The single level 0.5 (L1 / 2): its linear term vanishes, and the fit skips it. */
  @JsonIgnore
  private final boolean median;

  @JsonCreator
  public PinballLoss(@JsonProperty("quantiles") double[] quantiles) {
    if (quantiles == null || quantiles.length == 0) {
      throw new IllegalArgumentException("pinball loss needs at least one quantile level");
    }
    for (double q : quantiles) {
      if (!(q > 0 && q < 1)) {
        throw new IllegalArgumentException("quantile levels must be in (0, 1), got "
            + Arrays.toString(quantiles));
      }
    }
    this.quantiles = quantiles.clone();
    this.median = quantiles.length == 1 && quantiles[0] == 0.5;
  }

  public double[] getQuantiles() {
    return quantiles.clone();
  }

  /**
   * {@code u = y - yhat}, a fresh array. The output activation is the identity in every network
   * tracecast builds: then the pre-output is used as it is, without the copy a general
   * activation needs (it works in place).
   */
  private static INDArray residual(INDArray labels, INDArray preOutput, IActivation activation) {
    INDArray yhat = activation instanceof ActivationIdentity ? preOutput
        : activation.getActivation(preOutput.dup(), true);
    return labels.sub(yhat);
  }

  /** Per-element loss, masked, before averaging over columns. */
  private INDArray elementLoss(INDArray labels, INDArray preOutput, IActivation activation,
      INDArray mask) {
    INDArray u = residual(labels, preOutput, activation);
    INDArray loss;
    if (median) {
      loss = Transforms.abs(u, false).muli(0.5); // tau - 1/2 = 0: no linear term
    } else {
      loss = Transforms.abs(u, true).muli(0.5).addi(u.muliRowVector(tauMinusHalf(labels)));
    }
    if (mask != null) {
      LossUtil.applyMask(loss, mask);
    }
    return loss;
  }

  @Override
  public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activation,
      INDArray mask) {
    return elementLoss(labels, preOutput, activation, mask).sum(true, 1).divi(labels.size(1));
  }

  /**
   * The median without a mask, the pipeline's training loss, is the mean absolute residual / 2
   * over all elements: one reduction (DL4J computes the score on every minibatch), where the
   * general path goes through the per-example array.
   */
  @Override
  public double computeScore(INDArray labels, INDArray preOutput, IActivation activation,
      INDArray mask, boolean average) {
    double sum;
    if (median && mask == null) {
      sum = residual(labels, preOutput, activation).norm1Number().doubleValue() * 0.5
          / labels.size(1);
    } else {
      sum = computeScoreArray(labels, preOutput, activation, mask).sumNumber().doubleValue();
    }
    return average ? sum / labels.size(0) : sum;
  }

  @Override
  public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activation,
      INDArray mask) {
    INDArray u = residual(labels, preOutput, activation);
    // (1/2 - tau - sign(u) / 2) / columns; for the median the one scaling -1 / (2 columns)
    INDArray dLdOut = median ? Transforms.sign(u, false).muli(-0.5 / labels.size(1))
        : Transforms.sign(u, false).muli(-0.5).subiRowVector(tauMinusHalf(labels))
            .divi(labels.size(1));
    INDArray grad = activation instanceof ActivationIdentity ? dLdOut
        : activation.backprop(preOutput.dup(), dLdOut).getFirst();
    if (mask != null) {
      LossUtil.applyMask(grad, mask);
    }
    return grad;
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
      IActivation activation, INDArray mask, boolean average) {
    return new Pair<>(computeScore(labels, preOutput, activation, mask, average),
        computeGradient(labels, preOutput, activation, mask));
  }

  /** Row vector {@code tau_j - 1/2} over the label columns, in the labels' data type. */
  private INDArray tauMinusHalf(INDArray labels) {
    long columns = labels.size(1);
    if (columns % quantiles.length != 0) {
      throw new IllegalStateException(columns + " output columns are not a multiple of the "
          + quantiles.length + " quantile levels " + Arrays.toString(quantiles));
    }
    double[] t = new double[(int) columns];
    for (int j = 0; j < t.length; j++) {
      t[j] = quantiles[j % quantiles.length] - 0.5;
    }
    return Nd4j.createFromArray(t).castTo(labels.dataType()).reshape(1, columns);
  }

  @Override
  public String name() {
    return "pinball" + Arrays.toString(quantiles);
  }

  @Override
  public String toString() {
    return name();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PinballLoss p && Arrays.equals(quantiles, p.quantiles);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(quantiles);
  }
}
