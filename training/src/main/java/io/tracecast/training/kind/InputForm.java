package io.tracecast.training.kind;

/**
 * How a kind's model reads the dataset (etl's contract): one window at a time, or a job panel
 * (every node's window at one time origin, {@code etl} {@code Panel}). It decides which of the
 * dataset's tables a training task and a scoring task assemble for it.
 */
public enum InputForm {
  /** One window: {@code lookback x features} inputs, {@code horizon x targets} targets. */
  WINDOW,
  /** One panel of a job graph: every node's window, with a mask of the nodes present. */
  PANEL
}
