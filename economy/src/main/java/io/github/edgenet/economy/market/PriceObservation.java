package io.github.edgenet.economy.market;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A reading of a pool's cumulative price accumulators at a time, as Uniswap V2's
 * {@code price0CumulativeLast}/{@code price1CumulativeLast}: the sums over time of the spot price
 * (a Q64.64 fixed-point number: the price times 2^64) multiplied by the milliseconds it held. Two
 * observations give the time-weighted average price between them ({@link #twapTokensPerCompute}).
 * Unlike Uniswap's 224-bit accumulators these are unbounded integers, so nothing wraps.
 *
 * @param atMillis when the reading was taken, epoch millis
 * @param tokensPerComputeCumulative sum of (tokens/compute as Q64.64) x millis
 * @param computePerTokenCumulative sum of (compute/tokens as Q64.64) x millis
 */
public record PriceObservation(
    long atMillis, BigInteger tokensPerComputeCumulative, BigInteger computePerTokenCumulative) {

  /** Validates non-null accumulators. */
  public PriceObservation {
    Objects.requireNonNull(tokensPerComputeCumulative, "tokensPerComputeCumulative");
    Objects.requireNonNull(computePerTokenCumulative, "computePerTokenCumulative");
  }

  /**
   * The time-weighted average price in token micro-units per compute unit between {@code earlier}
   * and {@code later}, floored.
   *
   * @param earlier the first observation
   * @param later the second observation, strictly later
   * @return the average tokens per compute unit over the interval
   * @throws IllegalArgumentException if {@code later} is not after {@code earlier}
   */
  public static long twapTokensPerCompute(PriceObservation earlier, PriceObservation later) {
    long dt = later.atMillis - earlier.atMillis;
    if (dt <= 0) {
      throw new IllegalArgumentException(
          "observations must be in time order, got " + earlier.atMillis + " then " + later.atMillis);
    }
    return later.tokensPerComputeCumulative.subtract(earlier.tokensPerComputeCumulative)
        .divide(BigInteger.valueOf(dt)).shiftRight(64).longValueExact();
  }
}
