package io.github.edgenet.economy.market;

import io.github.edgenet.economy.market.MarketException.Reason;
import io.github.edgenet.economy.internal.Int128;
import java.math.BigInteger;

/**
 * The constant-product formulas of Uniswap V2's {@code UniswapV2Library}, generalized from its fixed
 * 0.3% fee to a fee of {@code feeBps} basis points taken on the input side. With {@code feeBps = 30}
 * every result equals Uniswap's exactly: {@code getAmountOut} floors, {@code getAmountIn} floors and
 * adds one. (Uniswap multiplies by 997/1000; this class by 9970/10000, the same ratio, and a floor of
 * a fraction does not change when numerator and denominator are scaled by the same factor.)
 *
 * <p>All amounts are non-negative {@code long}s. Intermediate products are computed exactly: in
 * 128 bits without allocation ({@link Math#multiplyHigh} and a 128-by-64-bit division) whenever
 * the fee-scaled terms fit 63 bits (amounts below 2^48, about 2.8 * 10^8 tokens), else with
 * {@link BigInteger}, so no input can overflow silently. Stateless and thread-safe.
 */
public final class AmmMath {
  /** One whole in basis points. */
  public static final long BPS = 10_000L;
  /** The largest fee accepted, 10%. */
  public static final int MAX_FEE_BPS = 1_000;

  private AmmMath() {}

  private static int bits(long v) {
    return 64 - Long.numberOfLeadingZeros(v);
  }

  /**
   * Uniswap's {@code quote}: the amount of B worth {@code amountA} of A at the reserves' price,
   * {@code floor(amountA * reserveB / reserveA)}. No fee; used to add liquidity in proportion.
   *
   * @param amountA the amount of A, > 0
   * @param reserveA the reserve of A, > 0
   * @param reserveB the reserve of B, > 0
   * @return the equivalent amount of B (may be 0 for a tiny {@code amountA})
   * @throws MarketException {@code INSUFFICIENT_AMOUNT} if {@code amountA <= 0},
   *     {@code INSUFFICIENT_LIQUIDITY} if a reserve is {@code <= 0}, {@code OVERFLOW} if the result
   *     does not fit a long
   */
  public static long quote(long amountA, long reserveA, long reserveB) {
    if (amountA <= 0) {
      throw new MarketException(Reason.INSUFFICIENT_AMOUNT, "amountA=" + amountA);
    }
    requireReserves(reserveA, reserveB);
    long q = Int128.mulDiv(amountA, reserveB, reserveA);
    if (q < 0) {
      throw new MarketException(Reason.OVERFLOW,
          "quote(" + amountA + ", " + reserveA + ", " + reserveB + ") does not fit a long");
    }
    return q;
  }

  /**
   * Uniswap's {@code getAmountOut}: the output an exact input buys,
   * {@code floor(in*(1-fee)*reserveOut / (reserveIn + in*(1-fee)))}. Always below
   * {@code reserveOut}, so a swap never drains a reserve.
   *
   * @param amountIn the input, > 0
   * @param reserveIn the input-side reserve, > 0
   * @param reserveOut the output-side reserve, > 0
   * @param feeBps the fee on the input in basis points, in [0, {@value #MAX_FEE_BPS}]
   * @return the output amount, in [0, reserveOut)
   * @throws MarketException {@code INSUFFICIENT_AMOUNT} if {@code amountIn <= 0},
   *     {@code INSUFFICIENT_LIQUIDITY} if a reserve is {@code <= 0}
   * @throws IllegalArgumentException if {@code feeBps} is out of range
   */
  public static long getAmountOut(long amountIn, long reserveIn, long reserveOut, int feeBps) {
    if (amountIn <= 0) {
      throw new MarketException(Reason.INSUFFICIENT_AMOUNT, "amountIn=" + amountIn);
    }
    requireReserves(reserveIn, reserveOut);
    long keep = BPS - checkFee(feeBps);
    if (bits(amountIn) + 14 <= 62 && bits(reserveIn) + 14 <= 62) {
      // both terms of the denominator below 2^62, so it fits; the quotient is below reserveOut
      long inWithFee = amountIn * keep;
      return Int128.mulDiv(inWithFee, reserveOut, reserveIn * BPS + inWithFee);
    }
    BigInteger inWithFee = BigInteger.valueOf(amountIn).multiply(BigInteger.valueOf(keep));
    BigInteger num = inWithFee.multiply(BigInteger.valueOf(reserveOut));
    BigInteger den = BigInteger.valueOf(reserveIn).multiply(BigInteger.valueOf(BPS)).add(inWithFee);
    return num.divide(den).longValueExact();
  }

  /**
   * Uniswap's {@code getAmountIn}: the input an exact output costs,
   * {@code floor(reserveIn*out / ((reserveOut-out)*(1-fee))) + 1}.
   *
   * @param amountOut the wanted output, > 0
   * @param reserveIn the input-side reserve, > 0
   * @param reserveOut the output-side reserve, > {@code amountOut}
   * @param feeBps the fee on the input in basis points, in [0, {@value #MAX_FEE_BPS}]
   * @return the input amount, > 0
   * @throws MarketException {@code INSUFFICIENT_AMOUNT} if {@code amountOut <= 0},
   *     {@code INSUFFICIENT_LIQUIDITY} if a reserve is {@code <= 0} or {@code amountOut >= reserveOut},
   *     {@code OVERFLOW} if the input does not fit a long
   * @throws IllegalArgumentException if {@code feeBps} is out of range
   */
  public static long getAmountIn(long amountOut, long reserveIn, long reserveOut, int feeBps) {
    if (amountOut <= 0) {
      throw new MarketException(Reason.INSUFFICIENT_AMOUNT, "amountOut=" + amountOut);
    }
    requireReserves(reserveIn, reserveOut);
    if (amountOut >= reserveOut) {
      throw new MarketException(Reason.INSUFFICIENT_LIQUIDITY,
          "amountOut=" + amountOut + " >= reserveOut=" + reserveOut);
    }
    long keep = BPS - checkFee(feeBps);
    long rest = reserveOut - amountOut;
    if (bits(amountOut) + 14 <= 63 && bits(rest) + 14 <= 63) {
      long q = Int128.mulDiv(reserveIn, amountOut * BPS, rest * keep);
      if (q < 0 || q == Long.MAX_VALUE) {
        throw new MarketException(Reason.OVERFLOW, "getAmountIn(" + amountOut + ", " + reserveIn
            + ", " + reserveOut + ") does not fit a long");
      }
      return q + 1;
    }
    BigInteger num = BigInteger.valueOf(reserveIn).multiply(BigInteger.valueOf(amountOut))
        .multiply(BigInteger.valueOf(BPS));
    BigInteger den = BigInteger.valueOf(rest).multiply(BigInteger.valueOf(keep));
    return fitLong(num.divide(den).add(BigInteger.ONE),
        "getAmountIn(" + amountOut + ", " + reserveIn + ", " + reserveOut + ")");
  }

  /**
   * Whether {@code a1 * b1 >= a0 * b0}, compared exactly in 128 bits (all operands >= 0). This is
   * the pool's invariant check: k after a trade is never below k before it.
   *
   * @param a1 the first reserve after the trade
   * @param b1 the second reserve after the trade
   * @param a0 the first reserve before the trade
   * @param b0 the second reserve before the trade
   * @return true if {@code a1 * b1 >= a0 * b0}
   */
  public static boolean productNotBelow(long a1, long b1, long a0, long b0) {
    long hi1 = Math.multiplyHigh(a1, b1);
    long hi0 = Math.multiplyHigh(a0, b0);
    if (hi1 != hi0) {
      return hi1 > hi0;
    }
    return Long.compareUnsigned(a1 * b1, a0 * b0) >= 0;
  }

  /**
   * The exact product {@code a * b} of two longs as a big integer (for digests and reports).
   *
   * @param a a factor
   * @param b the other factor
   * @return {@code a * b}, never wrapped
   */
  public static BigInteger product(long a, long b) {
    return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
  }

  static int checkFee(int feeBps) {
    if (feeBps < 0 || feeBps > MAX_FEE_BPS) {
      throw new IllegalArgumentException(
          "feeBps must be in [0, " + MAX_FEE_BPS + "], got " + feeBps);
    }
    return feeBps;
  }

  private static void requireReserves(long a, long b) {
    if (a <= 0 || b <= 0) {
      throw new MarketException(Reason.INSUFFICIENT_LIQUIDITY, "reserves " + a + ", " + b);
    }
  }

  private static long fitLong(BigInteger v, String what) {
    if (v.bitLength() > 63) {
      throw new MarketException(Reason.OVERFLOW, what + " = " + v + " does not fit a long");
    }
    return v.longValue();
  }
}
