package io.tracecast.training.network.layer;

import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A GRU over an NCW sequence that returns the last hidden state {@code [batch, nOut]}: the
 * {@code gru} kind's layer until issue 24, a SameDiff layer over {@link GruSteps} (DL4J
 * 1.0.0-M2.1 has no GRU layer for networks). Weights: {@code W [nIn, 3 nOut]},
 * {@code U [nOut, 3 nOut]}, {@code b [3 nOut]}, gates ordered reset, update, candidate; h0 = 0.
 * The kind now builds the kernels module's {@code FusedGru} (same maths, same parameter layout,
 * about 10x faster per core); this class stays so that the registry versions that hold it load
 * and forecast as they did, and as the reference GruLayerTest pins the fused GRU to. Before
 * GruSteps it ran libnd4j's fused {@code gru} op, whose backward op computes wrong weight
 * gradients in this version. Masks are not supported: windows always have the full lookback.
 */
public final class GruLayer extends SameDiffLayer {
  private static final long serialVersionUID = 1L;
  private static final String W = "W";
  private static final String U = "U";
  private static final String B = "b";

  private int nIn;
  private int nOut;
  private int timeSteps;

  /** For DL4J's JSON deserialization. */
  private GruLayer() {}

  public GruLayer(int nOut) {
    this.nOut = nOut;
  }

  @Override
  public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params,
      SDVariable mask) {
    // time-major [time, batch, nIn], as GruSteps takes it
    return GruSteps.lastState(sd, input.permute(2, 0, 1), timeSteps, nIn, nOut, params.get(W),
        params.get(U), params.get(B));
  }

  @Override
  public void defineParameters(SDLayerParams params) {
    params.clear();
    params.addWeightParam(W, nIn, 3L * nOut);
    params.addWeightParam(U, nOut, 3L * nOut);
    params.addBiasParam(B, 1, 3L * nOut);
  }

  @Override
  public void initializeParameters(Map<String, INDArray> params) {
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      INDArray w = params.get(W);
      INDArray u = params.get(U);
      WeightInit.XAVIER.getWeightInitFunction().init(nIn, 3.0 * nOut, w.shape(), 'c', w);
      WeightInit.XAVIER.getWeightInitFunction().init(nOut, 3.0 * nOut, u.shape(), 'c', u);
      params.get(B).assign(0);
    }
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return InputType.feedForward(nOut);
  }

  @Override
  public void setNIn(InputType inputType, boolean override) {
    if (!(inputType instanceof InputType.InputTypeRecurrent r) || r.getTimeSeriesLength() < 1) {
      throw new IllegalArgumentException("GRU needs recurrent input with a known length, got "
          + inputType);
    }
    if (nIn <= 0 || override) {
      nIn = (int) r.getSize();
      timeSteps = (int) r.getTimeSeriesLength();
    }
  }

  public int getNIn() {
    return nIn;
  }

  public void setNIn(int nIn) {
    this.nIn = nIn;
  }

  public int getNOut() {
    return nOut;
  }

  public void setNOut(int nOut) {
    this.nOut = nOut;
  }

  public int getTimeSteps() {
    return timeSteps;
  }

  public void setTimeSteps(int timeSteps) {
    this.timeSteps = timeSteps;
  }
}
