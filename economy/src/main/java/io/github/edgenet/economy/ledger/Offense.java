package io.github.edgenet.economy.ledger;

/**
 * A slashable offense and its default slash rate, in basis points of the offender's bonded stake
 * (stake plus stake waiting to be withdrawn). {@link LedgerConfig} may override every rate.
 */
public enum Offense {
  /** A task result shown wrong by verification: 10%. */
  INCORRECT_RESULT(1, 1_000),
  /**
   * Two signed operations for one (account, sequence): 50%. Never slashed through a {@link
   * OperationBody.Slash} operation: holding both operations is the proof, and the ledger slashes by
   * itself.
   */
  EQUIVOCATION(2, 5_000),
  /** A challenge left unanswered past its deadline: 5%. */
  CHALLENGE_TIMEOUT(3, 500),
  /** Identities shown to be one operator's Sybils: 100%. */
  SYBIL(4, 10_000),
  /** Any other proven protocol violation: 20%. */
  PROTOCOL_VIOLATION(5, 2_000);

  private final int code;
  private final int defaultRateBps;

  Offense(int code, int defaultRateBps) {
    this.code = code;
    this.defaultRateBps = defaultRateBps;
  }

  /**
   * The byte that encodes this offense in a slash operation.
   *
   * @return the byte that encodes this offense in a slash operation
   */
  public int code() {
    return code;
  }

  /**
   * The default slash rate in basis points (1/10,000) of the bonded stake.
   *
   * @return the default slash rate in basis points (1/10,000) of the bonded stake
   */
  public int defaultRateBps() {
    return defaultRateBps;
  }

  /**
   * The offense encoded as {@code code}, or null if there is none.
   *
   * @param code the encoded byte
   * @return the offense, or null
   */
  public static Offense ofCode(int code) {
    for (Offense o : values()) {
      if (o.code == code) {
        return o;
      }
    }
    return null;
  }
}
