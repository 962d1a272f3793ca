package io.github.edgenet.learning.federated;

import java.util.Objects;

/** A contribution was rejected; {@link #reason()} says why. The round is unchanged. */
public final class FederatedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a contribution was rejected. */
  public enum Reason {
    /** The signed envelope did not decode (see the cause). */
    ENVELOPE,
    /** Wrong envelope type, truncated or trailing bytes. */
    MALFORMED,
    /** The vector length differs from the round's. */
    WRONG_DIMENSION,
    /** A field is out of range (non-finite value, zero samples, negative round). */
    INVALID,
    /** For another round. */
    WRONG_ROUND,
    /** Trained from a model version older than the staleness bound allows. */
    STALE,
    /** Below the quality threshold. */
    LOW_QUALITY,
    /** The round is already closed. */
    CLOSED,
    /** The round already holds its most participants and the agent is new (it may replace). */
    FULL
  }

  private final Reason reason;

  /**
   * A rejection.
   *
   * @param reason why
   * @param message details
   * @param cause the underlying exception, or null
   */
  public FederatedException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Why the contribution was rejected.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }
}
