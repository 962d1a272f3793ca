package io.github.edgenet.economy.reputation;

import java.util.Objects;

/**
 * A task outcome the reputation book refused; {@link #reason()} says why. A refused outcome changes
 * nothing: the book's {@link ReputationBook#digest() digest} is the same before and after.
 */
public final class ReputationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why an outcome was refused. */
  public enum Reason {
    /** The worker's stake is below the configured minimum: only staked nodes have reputation. */
    NOT_STAKED,
    /** The task value is zero or negative. */
    INVALID_VALUE
  }

  private final Reason reason;

  /**
   * A refusal.
   *
   * @param reason why, for code
   * @param message the values involved, for people
   */
  public ReputationException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Why the outcome was refused.
   *
   * @return why the outcome was refused
   */
  public Reason reason() {
    return reason;
  }
}
