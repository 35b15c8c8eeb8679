package io.tracecast.training;

import io.tracecast.etl.dataset.Scaler;
import io.tracecast.common.HadoopConfSnapshot;
import io.tracecast.training.fit.EpochListener;
import io.tracecast.training.gbt.GbtSpec;
import io.tracecast.training.model.ModelKind;
import io.tracecast.training.model.ModelSpec;
import io.tracecast.training.model.NetworkShape;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every training task of a run needs, shipped to executors with the task: the dataset's
 * identity and shape, the specs, where to publish and checkpoint, and the Hadoop settings to
 * reach those directories.
 *
 * @param scalers job -> column -> scaler, for the jobs of this run only
 * @param gbt the hyperparameters of the gradient-boosted-trees kinds
 */
record RunContext(String datasetPath, String datasetFingerprint, List<String> features,
    List<String> targets, NetworkShape shape, HashMap<String, Map<String, Scaler>> scalers,
    Map<ModelKind, ModelSpec> specs, String registryRoot, String checkpointRoot,
    HadoopConfSnapshot hadoop, int threadsPerTask, int averagingFrequency, String codeVersion,
    EpochListener listener, GbtSpec gbt) implements Serializable {

  /**
   * Limits ND4J to {@link #threadsPerTask} threads in this JVM: N concurrent tasks on N cores
   * must not each start N threads. Call at the start of every task that trains. (OMP_NUM_THREADS
   * is set for executors by spark.executorEnv, see cli SparkSessions.)
   */
  void limitNativeThreads() {
    org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxMasterThreads(threadsPerTask);
    org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxThreads(threadsPerTask);
  }

  ModelSpec spec(ModelKind kind) {
    ModelSpec s = specs.get(kind);
    if (s == null) {
      throw new IllegalArgumentException("no spec for " + kind.id());
    }
    return s;
  }
}
