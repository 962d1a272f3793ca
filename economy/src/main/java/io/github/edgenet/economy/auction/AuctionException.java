package io.github.edgenet.economy.auction;

import java.util.Objects;

/**
 * An auction operation that was refused; {@link #reason()} says why. A refused operation changes
 * nothing: the auction's {@link SealedReverseAuction#digest() digest} is the same before and after.
 */
public final class AuctionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why an auction operation was refused. */
  public enum Reason {
    /** A commitment arrived after the commit deadline. */
    COMMIT_CLOSED,
    /** The bidder committed already. */
    DUPLICATE_COMMIT,
    /** The deposit is not the one the terms require. */
    WRONG_DEPOSIT,
    /** A commitment is not 32 bytes or a salt is not 32 bytes. */
    MALFORMED,
    /** The auction already holds its maximum number of commitments. */
    TOO_MANY_BIDDERS,
    /** A reveal arrived before (or at) the commit deadline. */
    REVEAL_TOO_EARLY,
    /** A reveal arrived after the reveal deadline. */
    LATE_REVEAL,
    /** A reveal or claim from a bidder that never committed. */
    UNKNOWN_BIDDER,
    /** The bidder revealed already. */
    DUPLICATE_REVEAL,
    /** The revealed bid and salt do not hash to the bidder's commitment. */
    REVEAL_MISMATCH,
    /** Settlement was asked for before the reveal deadline passed. */
    NOT_CLOSED,
    /** The auction was settled already. */
    ALREADY_SETTLED,
    /** On the ledger: a commitment or settlement names no auction (or not this buyer's). */
    UNKNOWN_AUCTION,
    /**
     * On the ledger: a deposit claimed as forfeited was revealed, was forfeited already, or the
     * named witness does not prove the bidder moved on past the reveal deadline without revealing.
     */
    NOT_FORFEITABLE
  }

  private final Reason reason;

  /**
   * A refusal.
   *
   * @param reason why, for code
   * @param message the values involved, for people
   */
  public AuctionException(Reason reason, String message) {
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
