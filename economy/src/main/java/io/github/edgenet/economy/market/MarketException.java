package io.github.edgenet.economy.market;

import java.util.Objects;

/**
 * A market operation that was refused. The {@link #reason()} says why in a form code can branch
 * on; the message names the values. A refused operation changes nothing: the pool's
 * {@link ComputePool#digest() digest} is the same before and after.
 */
public final class MarketException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a market operation was refused. The names follow Uniswap V2's revert strings. */
  public enum Reason {
    /** An amount that must be positive was zero or negative. */
    INSUFFICIENT_AMOUNT,
    /** The pool has no liquidity yet, or the trade would take all (or more) of a reserve. */
    INSUFFICIENT_LIQUIDITY,
    /** An exact-in swap would pay out less than the trader's minimum (or nothing). */
    INSUFFICIENT_OUTPUT_AMOUNT,
    /** An exact-out swap would cost more than the trader's maximum. */
    EXCESSIVE_INPUT_AMOUNT,
    /** A liquidity change would use less than the caller's minimum of one side. */
    INSUFFICIENT_A_OR_B_AMOUNT,
    /** The operation's deadline was before its own timestamp. */
    EXPIRED,
    /** A reserve, a product or a share count would not fit the 64-bit state. */
    OVERFLOW,
    /** The first deposit's geometric mean does not exceed the locked minimum liquidity. */
    INSUFFICIENT_LIQUIDITY_MINTED,
    /** Burning these shares would pay out nothing on one side. */
    INSUFFICIENT_LIQUIDITY_BURNED,
    /** The provider holds fewer LP shares than it asked to burn. */
    INSUFFICIENT_SHARES
  }

  private final Reason reason;

  /**
   * A refusal.
   *
   * @param reason why, for code
   * @param message the values involved, for people
   */
  public MarketException(Reason reason, String message) {
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
