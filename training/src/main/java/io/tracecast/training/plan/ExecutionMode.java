package io.tracecast.training.plan;

/** How one (job, model kind) is trained on Spark. */
public enum ExecutionMode {
  /**
   * One network over all executors: DL4J parameter averaging. Worth its synchronisation cost only
   * when a job has enough windows to keep every worker busy between averaging rounds.
   */
  DATA_PARALLEL,
  /** Plain local fit inside one Spark task; many such jobs run at once across the cluster. */
  PACKED,
  /**
   * One model over the windows of several jobs, trained distributed (XGBoost4J-Spark) and
   * published under each of them: all jobs ({@code gbt_global}) or a usage pattern's members
   * ({@code gbt_pattern}).
   */
  POOLED
}
