package io.github.edgenet.economy.ledger;

import java.util.Objects;

/**
 * An operation was rejected: it is not stored and nothing changed. {@link #reason()} names why.
 */
public final class LedgerException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why an operation was rejected. */
  public enum Reason {
    /** Longer than {@link Operation#MAX_BYTES}, or a length field over its bound. */
    OVERSIZED,
    /** Bytes that are not a well-formed operation (magic, version, kind, lengths, values). */
    MALFORMED,
    /** The signature does not verify under the account's key. */
    BAD_SIGNATURE,
    /** This very operation is already held: a replay. */
    DUPLICATE,
    /** The sequence number is not the next one: earlier operations of the chain are missing. */
    SEQUENCE_GAP,
    /** The previous-operation link does not name the operation held at the sequence before. */
    BAD_LINK,
    /** The account has equivocated below this sequence number: the rest of its chain is void. */
    CHAIN_VOID,
    /** The timestamp is before the previous operation's. */
    TIMESTAMP_REGRESSION,
    /** The timestamp is further ahead of this node's clock than the configured skew. */
    FROM_THE_FUTURE,
    /** An amount is zero or negative. */
    NON_POSITIVE_AMOUNT,
    /** A balance, stake or supply would leave the {@code long} range. */
    OVERFLOW,
    /** Not enough balance by the chain's own state. */
    INSUFFICIENT_BALANCE,
    /** Not enough stake (or unbonded stake) by the chain's own state. */
    INSUFFICIENT_STAKE,
    /** A withdrawal before the unbonding period ended. */
    LOCKED,
    /** A receive names an operation this node does not hold. */
    UNKNOWN_SOURCE,
    /** A receive names an operation that is not a send or release paying this account. */
    NOT_RECIPIENT,
    /** A receive names an operation this account already claimed. */
    ALREADY_CLAIMED,
    /** A release or refund names no escrow this account locked. */
    UNKNOWN_ESCROW,
    /** The escrow was already released or refunded. */
    ESCROW_CLOSED,
    /** A refund before the escrow's deadline. */
    BEFORE_DEADLINE,
    /** A mint by an account that is no mint authority, or a send to oneself. */
    NOT_AUTHORIZED,
    /** A slash whose proof does not verify, or by an adjudicator that is not configured. */
    INVALID_PROOF,
    /** A slash of an account this node has never seen an operation of. */
    UNKNOWN_ACCOUNT,
    /** A vesting grant whose end ({@code start + duration}) leaves the {@code long} range. */
    INVALID_SCHEDULE,
    /** A vesting claim at a time when nothing more has vested. */
    NOTHING_VESTED,
    /** A claw-back names no vesting grant the signing account funded. */
    UNKNOWN_GRANT,
    /** A claw-back or failure report names another account than the grant's or escrow's. */
    WRONG_RECIPIENT,
    /** The grant was clawed back already. */
    ALREADY_CLAWED_BACK,
    /** A task failure was already reported for this escrow. */
    ALREADY_REPORTED,
    /**
     * A governance operation broke a rule of the Governor; {@link #detail()} is the {@link
     * io.github.edgenet.economy.governance.GovernanceException.Reason}.
     */
    GOVERNANCE,
    /**
     * An auction operation broke a rule of the sealed auction; {@link #detail()} is the {@link
     * io.github.edgenet.economy.auction.AuctionException.Reason}.
     */
    AUCTION
  }

  private final Reason reason;
  private final Enum<?> detail;

  /**
   * A rejection.
   *
   * @param reason why
   * @param message details, naming the value that was wrong
   */
  public LedgerException(Reason reason, String message) {
    this(reason, null, message);
  }

  /**
   * A rejection by a governance or auction rule.
   *
   * @param reason {@link Reason#GOVERNANCE} or {@link Reason#AUCTION}
   * @param detail the rule's own reason (a {@code GovernanceException.Reason} or {@code
   *     AuctionException.Reason}), or null
   * @param message details, naming the value that was wrong
   */
  public LedgerException(Reason reason, Enum<?> detail, String message) {
    super(reason + (detail == null ? "" : "/" + detail) + ": " + message, null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.detail = detail;
  }

  /**
   * For {@link Reason#GOVERNANCE} and {@link Reason#AUCTION}: which rule of the governor or the
   * auction refused the operation; null otherwise.
   *
   * @return the rule's reason, or null
   */
  public Enum<?> detail() {
    return detail;
  }

  /**
   * Why the operation was rejected.
   *
   * @return why the operation was rejected
   */
  public Reason reason() {
    return reason;
  }
}
