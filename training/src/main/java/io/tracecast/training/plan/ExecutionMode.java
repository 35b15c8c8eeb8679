package io.tracecast.training.plan;

/** How one (job or pattern, model kind) is trained on Spark. */
public enum ExecutionMode {
  /**
   * One network over all executors: DL4J parameter averaging. Worth its synchronisation cost only
   * when a job has enough windows to keep every worker busy between averaging rounds.
   */
  DATA_PARALLEL,
  /** Plain local fit inside one Spark task; many such jobs run at once across the cluster. */
  PACKED,
  /**
   * One model over the windows of several jobs, published under each of them: all jobs
   * ({@code gbt_global}), a usage pattern's members ({@code gbt_pattern}, {@code <kind>_pattern})
   * or a job's pattern network fine-tuned ({@code <kind>_tuned}).
   */
  POOLED;

  /**
   * The rule for a network over {@code trainWindows} windows (a job's, or a usage pattern's
   * members'): data-parallel from {@code dataParallelMinWindows} on, where a parameter-averaging
   * round (broadcast, fit, collect, average) saves more than it costs; packed below, where many
   * small networks side by side use the cluster better. Its one home.
   */
  public static ExecutionMode forWindows(long trainWindows, long dataParallelMinWindows) {
    if (dataParallelMinWindows < 1) {
      throw new IllegalArgumentException("data-parallel-min-windows must be >= 1, got "
          + dataParallelMinWindows);
    }
    return trainWindows >= dataParallelMinWindows ? DATA_PARALLEL : PACKED;
  }
}
