package io.github.edgenet.learning.gossip;

import java.util.Objects;

/**
 * A peer's gossip message was rejected; {@link #reason()} says why. The receiver's state is
 * unchanged.
 */
public final class GossipException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a message was rejected. */
  public enum Reason {
    /** The signed envelope did not decode (see the cause, a core {@code EnvelopeException}). */
    ENVELOPE,
    /** Not of this protocol: unknown kind, wrong envelope type, truncated or trailing bytes. */
    MALFORMED,
    /** The announced dimension is above the receiver's bound (checked before allocating). */
    TOO_LARGE,
    /** The dimension differs from the receiver's. */
    WRONG_DIMENSION,
    /** A value is NaN or infinite, or the weight is negative. */
    NOT_FINITE,
    /** The message names another recipient (a replay of someone else's message). */
    WRONG_RECIPIENT,
    /** A running sum not newer than the last applied from this peer (reordered or duplicate). */
    STALE,
    /** A new peer while the link table is full. */
    TOO_MANY_LINKS,
    /**
     * A push-sum message of another {@link GossipAverager.Mode} than the receiver's (mixing plain
     * shares into running sums would add mass the links do not account for).
     */
    WRONG_MODE,
    /** A {@link RobustGossip} vector for a round this node has already finished. */
    STALE_ROUND,
    /** A {@link RobustGossip} vector for a round further ahead than the receiver buffers. */
    FUTURE_ROUND,
    /** A {@link RobustGossip} vector from a peer outside the receiver's neighbours that round. */
    NOT_NEIGHBOUR
  }

  private final Reason reason;

  /**
   * A rejection.
   *
   * @param reason why
   * @param message details for logs
   * @param cause the underlying exception, or null
   */
  public GossipException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Why the message was rejected.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }
}
