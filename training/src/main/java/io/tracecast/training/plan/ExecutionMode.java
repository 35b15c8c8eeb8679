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
  POOLED
}
