package io.github.edgenet.economy.governance;

/**
 * The network parameters governance can change, each with its unit, bounds and default. A value
 * outside {@code [min(), max()]} is refused at proposal time and can never become live.
 */
public enum NetworkParameter {
  /** Least stake for reputation, bidding and voting power, token micro-units. */
  MIN_STAKE_MICROS(Unit.MICROS, 1_000_000L, 1_000_000_000_000_000L, 100_000_000L),
  /** Reputation half-life (decay rate), milliseconds: one hour to one year. */
  REPUTATION_HALF_LIFE_MILLIS(Unit.MILLIS, 3_600_000L, 365L * 86_400_000L, 7L * 86_400_000L),
  /** Vesting period of task rewards, milliseconds: zero to four years. */
  VESTING_DURATION_MILLIS(Unit.MILLIS, 0L, 4L * 365 * 86_400_000L, 30L * 86_400_000L),
  /** Slash for an incorrect result, basis points of stake. */
  SLASH_INCORRECT_RESULT_BPS(Unit.BPS, 0L, 10_000L, 1_000L),
  /** Slash for equivocation (double spending), basis points of stake. */
  SLASH_EQUIVOCATION_BPS(Unit.BPS, 0L, 10_000L, 5_000L),
  /** Slash for a challenge timeout, basis points of stake. */
  SLASH_CHALLENGE_TIMEOUT_BPS(Unit.BPS, 0L, 10_000L, 500L),
  /** Slash for a Sybil identity, basis points of stake. */
  SLASH_SYBIL_BPS(Unit.BPS, 0L, 10_000L, 10_000L),
  /** Slash for a protocol violation, basis points of stake. */
  SLASH_PROTOCOL_VIOLATION_BPS(Unit.BPS, 0L, 10_000L, 2_000L),
  /** The compute market's input-side fee, basis points (30 = Uniswap V2's 0.3%). */
  MARKET_FEE_BPS(Unit.BPS, 0L, 1_000L, 30L),
  /** The reputation price discount at a perfect score, basis points. */
  MAX_REPUTATION_DISCOUNT_BPS(Unit.BPS, 0L, 5_000L, 2_000L);

  /** What a parameter's value counts. */
  public enum Unit {
    /** Token micro-units. */
    MICROS,
    /** Milliseconds. */
    MILLIS,
    /** Basis points (1/10000). */
    BPS
  }

  private final Unit unit;
  private final long min;
  private final long max;
  private final long defaultValue;

  NetworkParameter(Unit unit, long min, long max, long defaultValue) {
    this.unit = unit;
    this.min = min;
    this.max = max;
    this.defaultValue = defaultValue;
  }

  /**
   * The unit of the value.
   *
   * @return the unit of the value
   */
  public Unit unit() {
    return unit;
  }

  /**
   * The smallest allowed value.
   *
   * @return the smallest allowed value
   */
  public long min() {
    return min;
  }

  /**
   * The largest allowed value.
   *
   * @return the largest allowed value
   */
  public long max() {
    return max;
  }

  /**
   * The genesis value.
   *
   * @return the genesis value
   */
  public long defaultValue() {
    return defaultValue;
  }

  /**
   * The byte that encodes this parameter in a ledger proposal: its declaration position plus one
   * (new parameters are only ever appended).
   *
   * @return the code, from 1
   */
  public int code() {
    return ordinal() + 1;
  }

  /**
   * The parameter encoded as {@code code}, or null.
   *
   * @param code the encoded byte
   * @return the parameter or null
   */
  public static NetworkParameter ofCode(int code) {
    NetworkParameter[] all = values();
    return code >= 1 && code <= all.length ? all[code - 1] : null;
  }

  /**
   * Returns {@code value} if it is within bounds.
   *
   * @param value a proposed value, in this parameter's unit
   * @return {@code value} if it is within bounds
   * @throws GovernanceException {@code PARAMETER_OUT_OF_BOUNDS} naming the parameter and bounds
   */
  public long check(long value) {
    if (value < min || value > max) {
      throw new GovernanceException(GovernanceException.Reason.PARAMETER_OUT_OF_BOUNDS,
          this + " = " + value + " outside [" + min + ", " + max + "] " + unit);
    }
    return value;
  }
}
