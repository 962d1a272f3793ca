package io.github.edgenet.swarm.node;

/** Where a task submitted on this node stands. */
public enum TaskState {
  /** Asking peers for offers. */
  REQUESTING,
  /** Awarded to a provider, waiting for its result (or a cross-check's). */
  AWARDED,
  /** A result was verified and accepted; the future completed with it. Terminal. */
  COMPLETED,
  /** The task failed with a {@link TaskFailedException.Reason}. Terminal. */
  FAILED;

  /**
   * Whether no further change can happen.
   *
   * @return true for {@link #COMPLETED} and {@link #FAILED}
   */
  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED;
  }
}
