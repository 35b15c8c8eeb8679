package io.tracecast.kernels.layer;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one home of what a DL4J layer configuration's {@code instantiate} does once it has made its
 * runtime layer: listeners, index, the network's view of the layer's parameters, the parameter
 * table its initializer lays over that view (initialising it when asked), and the configuration.
 * DL4J's own layers repeat these lines in every configuration class; the kernels' layers (fused
 * LSTM, GRU, Conv1D, dense stack, self-attention) call this instead.
 */
public final class LayerWiring {
  private LayerWiring() {}

  /** Wires {@code layer} as DL4J's {@code instantiate} contract asks and returns it. */
  public static <L extends Layer> L wire(L layer, NeuralNetConfiguration conf,
      Collection<TrainingListener> listeners, int index, INDArray paramsView,
      boolean initializeParams, ParamInitializer initializer) {
    layer.setListeners(listeners);
    layer.setIndex(index);
    layer.setParamsViewArray(paramsView);
    layer.setParamTable(initializer.init(conf, paramsView, initializeParams));
    layer.setConf(conf);
    return layer;
  }
}
