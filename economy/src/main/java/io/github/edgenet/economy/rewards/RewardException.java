package io.github.edgenet.economy.rewards;

import java.util.Objects;

/**
 * A reward operation that was refused; {@link #reason()} says why. A refused operation changes
 * nothing: the book's {@link VestingBook#digest() digest} is the same before and after.
 */
public final class RewardException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a reward operation was refused. */
  public enum Reason {
    /** A grant amount was zero or negative, or a sum would overflow. */
    INVALID_AMOUNT,
    /** Start, cliff or duration are negative, the cliff is longer than the duration, or the end
     * overflows (OpenZeppelin's {@code InvalidCliffDuration} among them). */
    INVALID_SCHEDULE,
    /** A grant with this id exists already (a replayed grant). */
    DUPLICATE_GRANT,
    /** No grant has this id. */
    UNKNOWN_GRANT,
    /** Only the grant's recipient may claim it. */
    NOT_RECIPIENT,
    /** Only the grant's funder may claw it back. */
    NOT_FUNDER,
    /** The named recipient is not this grant's recipient: the claw-back would hit someone else. */
    WRONG_RECIPIENT,
    /** The grant was clawed back already. */
    ALREADY_CLAWED_BACK
  }

  private final Reason reason;

  /**
   * A refusal.
   *
   * @param reason why, for code
   * @param message the values involved, for people
   */
  public RewardException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Why the operation was refused.
   *
   * @return why the operation was refused
   */
  public Reason reason() {
    return reason;
  }
}
