package io.github.edgenet.economy.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AmmMathTest {

  // Uniswap V2 periphery test/UniswapV2Library.spec.ts: the published router cases.
  @Test
  void uniswapPublishedCases() {
    assertEquals(2, AmmMath.quote(1, 100, 200));
    assertEquals(1, AmmMath.quote(2, 200, 100));
    assertEquals(1, AmmMath.getAmountOut(2, 100, 100, 30));
    assertEquals(2, AmmMath.getAmountIn(1, 100, 100, 30));
  }

  @Test
  void uniswapReverts() {
    assertEquals(MarketException.Reason.INSUFFICIENT_AMOUNT,
        assertThrows(MarketException.class, () -> AmmMath.quote(0, 100, 200)).reason());
    assertEquals(MarketException.Reason.INSUFFICIENT_LIQUIDITY,
        assertThrows(MarketException.class, () -> AmmMath.quote(1, 0, 200)).reason());
    assertEquals(MarketException.Reason.INSUFFICIENT_AMOUNT,
        assertThrows(MarketException.class, () -> AmmMath.getAmountOut(0, 100, 100, 30)).reason());
    assertEquals(MarketException.Reason.INSUFFICIENT_LIQUIDITY,
        assertThrows(MarketException.class, () -> AmmMath.getAmountOut(2, 0, 100, 30)).reason());
    assertEquals(MarketException.Reason.INSUFFICIENT_AMOUNT,
        assertThrows(MarketException.class, () -> AmmMath.getAmountIn(-1, 100, 100, 30)).reason());
    assertEquals(MarketException.Reason.INSUFFICIENT_LIQUIDITY,
        assertThrows(MarketException.class, () -> AmmMath.getAmountIn(100, 100, 100, 30)).reason());
    assertThrows(IllegalArgumentException.class, () -> AmmMath.getAmountOut(1, 1, 1, -1));
    assertThrows(IllegalArgumentException.class, () -> AmmMath.getAmountOut(1, 1, 1, 1001));
  }

  /** Uniswap V2's formulas with its literal 997/1000, in BigInteger: the reference model. */
  static long refOut(long in, long rIn, long rOut) {
    BigInteger f = BigInteger.valueOf(in).multiply(BigInteger.valueOf(997));
    return f.multiply(BigInteger.valueOf(rOut))
        .divide(BigInteger.valueOf(rIn).multiply(BigInteger.valueOf(1000)).add(f)).longValueExact();
  }

  static BigInteger refIn(long out, long rIn, long rOut) {
    return BigInteger.valueOf(rIn).multiply(BigInteger.valueOf(out)).multiply(BigInteger.valueOf(1000))
        .divide(BigInteger.valueOf(rOut - out).multiply(BigInteger.valueOf(997))).add(BigInteger.ONE);
  }

  private static long draw(RandomSource r) {
    // Mix magnitudes so both the 64-bit fast path and the BigInteger path are exercised.
    int bits = 1 + r.nextInt(63);
    return 1 + (r.nextLong() >>> (64 - bits)) % (Long.MAX_VALUE >> 1);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void equalsBigIntegerUniswapModelAt30Bps(long seed) {
    RandomSource r = RandomSource.seeded(seed);
    for (int i = 0; i < 50_000; i++) {
      long rIn = draw(r);
      long rOut = 2 + draw(r);
      long in = draw(r);
      assertEquals(refOut(in, rIn, rOut), AmmMath.getAmountOut(in, rIn, rOut, 30),
          "seed " + seed + " out(" + in + "," + rIn + "," + rOut + ")");
      long out = 1 + Math.floorMod(draw(r), rOut - 1);
      BigInteger want = refIn(out, rIn, rOut);
      if (want.bitLength() <= 63) {
        assertEquals(want.longValueExact(), AmmMath.getAmountIn(out, rIn, rOut, 30),
            "seed " + seed + " in(" + out + "," + rIn + "," + rOut + ")");
      } else {
        assertEquals(MarketException.Reason.OVERFLOW, assertThrows(MarketException.class,
            () -> AmmMath.getAmountIn(out, rIn, rOut, 30)).reason());
      }
      BigInteger q = BigInteger.valueOf(in).multiply(BigInteger.valueOf(rOut))
          .divide(BigInteger.valueOf(rIn));
      if (q.bitLength() <= 63) {
        assertEquals(q.longValueExact(), AmmMath.quote(in, rIn, rOut));
      }
    }
  }

  @Test
  void amountInIsTheLeastInputThatBuysTheOutput() {
    RandomSource r = RandomSource.seeded(7);
    for (int i = 0; i < 20_000; i++) {
      long rIn = 1 + r.nextInt(1_000_000);
      long rOut = 2 + r.nextInt(1_000_000);
      long out = 1 + r.nextInt((int) rOut - 1);
      int fee = r.nextInt(AmmMath.MAX_FEE_BPS + 1);
      long in = AmmMath.getAmountIn(out, rIn, rOut, fee);
      assertTrue(AmmMath.getAmountOut(in, rIn, rOut, fee) >= out);
      if (in > 1) {
        // Uniswap's +1 may overshoot by one; never by more than that.
        assertTrue(in - 2 <= 0 || AmmMath.getAmountOut(in - 2, rIn, rOut, fee) < out);
      }
    }
  }

  @Test
  void productComparisonIsExactIn128Bits() {
    long big = Long.MAX_VALUE;
    assertTrue(AmmMath.productNotBelow(big, big, big, big));
    assertTrue(AmmMath.productNotBelow(big, big, big - 1, big));
    assertTrue(!AmmMath.productNotBelow(big - 1, big, big, big));
    assertTrue(AmmMath.productNotBelow(1L << 40, 1L << 40, 1L << 62, 1L << 18));
    assertTrue(!AmmMath.productNotBelow((1L << 40) - 1, 1L << 40, 1L << 62, 1L << 18));
  }
}
