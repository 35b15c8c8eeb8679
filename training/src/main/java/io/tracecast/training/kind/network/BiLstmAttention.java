package io.tracecast.training.kind.network;

import static io.tracecast.training.network.BodyLayers.bidirectionalLstm;
import static io.tracecast.training.network.BodyLayers.fedByInput;

import io.tracecast.kernels.attention.DotProductSelfAttention;
import io.tracecast.training.kind.KindParamsForm;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.TrainingConfig.Schedule;
import io.tracecast.training.kind.TrainingConfig.StopMetric;
import io.tracecast.training.kind.TrainingConfig;
import io.tracecast.training.kind.WindowNetwork;
import io.tracecast.training.network.NetworkShape;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;

/**
 * {@code bilstm_attention}: two bidirectional LSTMs, temporal softmax self-attention, mean over
 * the steps, quantile outputs trained with the pinball loss (Manhary et al.'s forecaster).
 */
public final class BiLstmAttention extends WindowNetwork {
  private static final long serialVersionUID = 1L;

  /** Cost: two bidirectional layers and attention (estimated, not measured). */
  public BiLstmAttention() {
    super("bilstm_attention", 2, 25, KindParamsForm.NONE);
  }

  /** The paper's: 64 units per direction, dropout 0.3, batch 256, warm-up + cosine, P10/50/90. */
  @Override
  public ModelSpec defaults() {
    return spec(List.of(64, 64), 0.3, List.of(0.1, 0.5, 0.9),
        new TrainingConfig(1e-3, Schedule.WARMUP_COSINE, 5, 256, 100, 10,
            StopMetric.VALIDATION_MAE, 1.0, TrainingConfig.DEFAULT_SEED));
  }

  @Override
  public String body(GraphBuilder g, ModelSpec spec, NetworkShape shape, String in) {
    List<Integer> u = spec.units();
    // NWC between the two layers: the layout changes there are row copies (see FusedLstm).
    g.addLayer("bilstm1", fedByInput(bidirectionalLstm(u.get(0), RNNFormat.NCW, RNNFormat.NWC)),
        in);
    g.addLayer("bilstm2", bidirectionalLstm(u.get(1), RNNFormat.NWC, RNNFormat.NCW), "bilstm1");
    // softmax(X^T X / sqrt(F)) attention, one head, no projection: DL4J's
    // SelfAttentionLayer(nHeads 1, projectInput false) forward, with a correct backward at a
    // fraction of its SameDiff overhead (see DotProductSelfAttention).
    g.addLayer("attention", new DotProductSelfAttention.Builder().build(), "bilstm2");
    g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "attention");
    return "pool";
  }
}
