package io.tracecast.evaluation.scoring;

import io.tracecast.training.gbt.GbtModel;
import io.tracecast.training.registry.ModelRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Trained models restored on an executor, kept per thread: a Spark task scores many batches with
 * the same few models, and a {@link ComputationGraph} is not safe to call from two task threads
 * at once (its workspaces are per instance), so each task thread gets its own copy; boosters are
 * kept the same way for simplicity.
 */
final class ModelCache {
  private static final ThreadLocal<Map<String, ComputationGraph>> NETWORKS =
      ThreadLocal.withInitial(HashMap::new);
  private static final ThreadLocal<Map<String, GbtModel>> BOOSTED =
      ThreadLocal.withInitial(HashMap::new);

  private ModelCache() {}

  /** The network of {@code c}, loaded (checksums verified) on first use by this thread. */
  static ComputationGraph network(String registryRoot, Candidate c, Configuration conf) {
    return NETWORKS.get().computeIfAbsent(c.path(), p -> ModelRegistry.open(registryRoot, conf)
        .load(c.job(), c.model(), "v" + c.version()).network());
  }

  /** The gradient-boosted model of {@code c}, loaded (checksums verified) on first use. */
  static GbtModel boosted(String registryRoot, Candidate c, Configuration conf) {
    return BOOSTED.get().computeIfAbsent(c.path(), p -> GbtModel.load(
        ModelRegistry.open(registryRoot, conf), c.job(), c.model(), "v" + c.version()));
  }
}
