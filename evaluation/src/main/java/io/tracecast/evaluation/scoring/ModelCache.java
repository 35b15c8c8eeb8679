package io.tracecast.evaluation.scoring;

import io.tracecast.training.registry.Forecaster;
import io.tracecast.training.registry.ModelLoader;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.PanelForecaster;
import io.tracecast.training.registry.WindowForecaster;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Trained models loaded on an executor by the registry's one loader ({@link ModelLoader}), kept
 * per thread: a Spark task scores many batches with the same few models, and a forecaster is
 * not safe to call from two task threads at once (a DL4J network's workspaces are per
 * instance), so each task thread gets its own copy.
 */
final class ModelCache {
  private static final ThreadLocal<Map<String, Forecaster>> LOADED =
      ThreadLocal.withInitial(HashMap::new);

  private ModelCache() {}

  /** The window model of {@code c}, loaded (checksums verified) on first use by this thread. */
  static WindowForecaster window(String registryRoot, Candidate c, Configuration conf) {
    if (load(registryRoot, c, conf) instanceof WindowForecaster f) {
      return f;
    }
    throw new IllegalArgumentException(c.job() + "/" + c.model() + " v" + c.version()
        + " forecasts panels, not windows");
  }

  /** The panel model of {@code c}, loaded on first use by this thread. */
  static PanelForecaster panel(String registryRoot, Candidate c, Configuration conf) {
    if (load(registryRoot, c, conf) instanceof PanelForecaster f) {
      return f;
    }
    throw new IllegalArgumentException(c.job() + "/" + c.model() + " v" + c.version()
        + " forecasts windows, not panels");
  }

  private static Forecaster load(String registryRoot, Candidate c, Configuration conf) {
    return LOADED.get().computeIfAbsent(c.path(), p -> ModelLoader.load(
        ModelRegistry.open(registryRoot, conf), c.modelVersion()));
  }
}
