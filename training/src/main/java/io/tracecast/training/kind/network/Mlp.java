package io.tracecast.training.kind.network;

import static io.tracecast.training.network.BodyLayers.denseStackFedByInput;

import io.tracecast.training.kind.KindParamsForm;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.TrainingConfig;
import io.tracecast.training.kind.WindowNetwork;
import io.tracecast.training.network.NetworkShape;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;

/**
 * {@code mlp}: the window flattened into two ReLU dense layers (one fused layer that reads the
 * window itself, see BodyLayers#denseStackFedByInput), dense output.
 */
public final class Mlp extends WindowNetwork {
  private static final long serialVersionUID = 1L;

  /** Cost: the unit of cost: 12 500 windows/s on the Bitbrains sample, one thread (2026-12-01). */
  public Mlp() {
    super("mlp", 2, 1, KindParamsForm.NONE);
  }

  @Override
  public ModelSpec defaults() {
    return spec(List.of(64, 32), 0, List.of(), TrainingConfig.DEFAULT);
  }

  @Override
  public String body(GraphBuilder g, ModelSpec spec, NetworkShape shape, String in) {
    List<Integer> u = spec.units();
    // Both ReLU layers in one fused layer reading the window as its c-order flattening: the
    // maths and parameters (the registry's flat row) of the ReshapeVertex "flat" and the two
    // DenseLayers "dense1", "dense2" that versions before issue 24 hold.
    g.addLayer("dense", denseStackFedByInput(u.get(0), u.get(1)), in);
    return "dense";
  }
}
