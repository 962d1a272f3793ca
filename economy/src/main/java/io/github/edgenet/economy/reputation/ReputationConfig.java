package io.github.edgenet.economy.reputation;

/**
 * How reputation is computed. Immutable; {@link #defaults()} gives the network's defaults, which
 * governance may change (half-life and minimum stake are governable parameters).
 *
 * @param halfLifeMillis after this long without news, the evidence for and against a node weighs
 *     half as much, > 0
 * @param confidenceMicros the task value a node must accumulate to reach a score of 1/2 with no
 *     failures; keeps a single small success from earning a high score, > 0
 * @param maxDiscountBps the price discount of a perfect score, in [0, 5000] (2000 = 20%)
 * @param minStakeMicros the least stake a node needs to have reputation, > 0
 */
public record ReputationConfig(
    long halfLifeMillis, long confidenceMicros, int maxDiscountBps, long minStakeMicros) {

  /**
   * Seven days, 10 tokens, 20%, 100 tokens.
   *
   * @return the defaults: seven days of half-life, 10 tokens of confidence, 20% maximum discount,
   *     100 tokens of minimum stake
   */
  public static ReputationConfig defaults() {
    return new ReputationConfig(7L * 24 * 3_600_000, 10_000_000L, 2_000, 100_000_000L);
  }

  /**
   * Validates the values.
   *
   * @throws IllegalArgumentException naming the first value out of range
   */
  public ReputationConfig {
    if (halfLifeMillis <= 0) {
      throw new IllegalArgumentException("halfLifeMillis must be > 0, got " + halfLifeMillis);
    }
    if (confidenceMicros <= 0) {
      throw new IllegalArgumentException("confidenceMicros must be > 0, got " + confidenceMicros);
    }
    if (maxDiscountBps < 0 || maxDiscountBps > 5_000) {
      throw new IllegalArgumentException("maxDiscountBps must be in [0, 5000], got " + maxDiscountBps);
    }
    if (minStakeMicros <= 0) {
      throw new IllegalArgumentException("minStakeMicros must be > 0, got " + minStakeMicros);
    }
  }
}
