package io.github.edgenet.economy.market;

import static io.github.edgenet.economy.market.Ids.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.market.MarketException.Reason;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ComputePoolTest {
  private static final NodeId PROVIDER = id(1);
  private static final NodeId LP = id(2);
  private static final long FAR = Long.MAX_VALUE;

  private static ComputePool seeded(long compute, long tokens) {
    ComputePool p = ComputePool.create(PROVIDER, 30);
    p.addLiquidity(PROVIDER, compute, tokens, 0, 0, FAR, 0);
    return p;
  }

  private static void refused(ComputePool p, Reason reason, Executable op) {
    String before = p.digest();
    MarketException e = assertThrows(MarketException.class, op);
    assertEquals(reason, e.reason(), e.getMessage());
    assertEquals(before, p.digest(), "a refused operation changed the pool");
  }

  @Test
  void firstDepositLocksMinimumLiquidity() {
    ComputePool p = seeded(1_000_000, 4_000_000);
    assertEquals(2_000_000, p.totalShares());
    assertEquals(2_000_000 - ComputePool.MINIMUM_LIQUIDITY, p.sharesOf(PROVIDER));
    ComputePool tiny = ComputePool.create(PROVIDER, 30);
    refused(tiny, Reason.INSUFFICIENT_LIQUIDITY_MINTED,
        () -> tiny.addLiquidity(PROVIDER, 1000, 1000, 0, 0, FAR, 0));
    // Burning every unlocked share leaves the locked part: reserves never reach zero.
    LiquidityResult out = p.removeLiquidity(PROVIDER, p.sharesOf(PROVIDER), 0, 0, FAR, 1);
    assertEquals(999_500, out.compute());
    assertEquals(3_998_000, out.tokens());
    assertEquals(500, p.reserveCompute());
    assertEquals(2_000, p.reserveTokens());
    assertEquals(ComputePool.MINIMUM_LIQUIDITY, p.totalShares());
  }

  @Test
  void swapsMatchUniswapMathInBothDirections() {
    ComputePool p = seeded(1_000_000, 5_000_000);
    SwapResult buy = p.swapExactIn(SwapDirection.BUY_COMPUTE, 100_000, 0, FAR, 1);
    assertEquals(AmmMath.getAmountOut(100_000, 5_000_000, 1_000_000, 30), buy.amountOut());
    assertEquals(5_100_000, p.reserveTokens());
    assertEquals(1_000_000 - buy.amountOut(), p.reserveCompute());
    long rc = p.reserveCompute();
    long rt = p.reserveTokens();
    SwapResult sell = p.swapExactOut(SwapDirection.SELL_COMPUTE, 50_000, FAR, FAR, 2);
    assertEquals(AmmMath.getAmountIn(50_000, rc, rt, 30), sell.amountIn());
    assertEquals(rc + sell.amountIn(), p.reserveCompute());
    assertEquals(rt - 50_000, p.reserveTokens());
  }

  @Test
  void badTradesAreRefusedAndChangeNothing() {
    ComputePool p = seeded(1_000_000, 5_000_000);
    refused(p, Reason.INSUFFICIENT_AMOUNT, () -> p.swapExactIn(SwapDirection.BUY_COMPUTE, 0, 0, FAR, 1));
    refused(p, Reason.INSUFFICIENT_AMOUNT,
        () -> p.swapExactIn(SwapDirection.BUY_COMPUTE, -5, 0, FAR, 1));
    refused(p, Reason.INSUFFICIENT_LIQUIDITY,
        () -> p.swapExactOut(SwapDirection.BUY_COMPUTE, 1_000_000, FAR, FAR, 1));
    refused(p, Reason.INSUFFICIENT_LIQUIDITY,
        () -> p.swapExactOut(SwapDirection.BUY_COMPUTE, 2_000_000, FAR, FAR, 1));
    refused(p, Reason.EXPIRED, () -> p.swapExactIn(SwapDirection.BUY_COMPUTE, 10, 0, 5, 6));
    refused(p, Reason.INSUFFICIENT_OUTPUT_AMOUNT,
        () -> p.swapExactIn(SwapDirection.BUY_COMPUTE, 100_000, 20_000, FAR, 1));
    refused(p, Reason.INSUFFICIENT_OUTPUT_AMOUNT,
        () -> p.swapExactIn(SwapDirection.BUY_COMPUTE, 1, 0, FAR, 1));
    refused(p, Reason.EXCESSIVE_INPUT_AMOUNT,
        () -> p.swapExactOut(SwapDirection.BUY_COMPUTE, 10_000, 50_000, FAR, 1));
    refused(p, Reason.OVERFLOW,
        () -> p.swapExactIn(SwapDirection.BUY_COMPUTE, Long.MAX_VALUE - 10, 0, FAR, 1));
    refused(p, Reason.INSUFFICIENT_SHARES, () -> p.removeLiquidity(LP, 1, 0, 0, FAR, 1));
    refused(p, Reason.INSUFFICIENT_AMOUNT, () -> p.removeLiquidity(PROVIDER, 0, 0, 0, FAR, 1));
    refused(p, Reason.INSUFFICIENT_AMOUNT, () -> p.addLiquidity(LP, 0, 10, 0, 0, FAR, 1));
    refused(p, Reason.INSUFFICIENT_A_OR_B_AMOUNT,
        () -> p.addLiquidity(LP, 1000, 100_000, 0, 10_000, FAR, 1));
    refused(p, Reason.OVERFLOW,
        () -> p.addLiquidity(LP, Long.MAX_VALUE / 4, Long.MAX_VALUE, 0, 0, FAR, 1));
    String before = p.digest();
    assertThrows(IllegalArgumentException.class,
        () -> p.swapExactIn(SwapDirection.BUY_COMPUTE, 10, -1, FAR, 1));
    assertEquals(before, p.digest());
    ComputePool empty = ComputePool.create(PROVIDER, 30);
    refused(empty, Reason.INSUFFICIENT_LIQUIDITY,
        () -> empty.swapExactIn(SwapDirection.SELL_COMPUTE, 10, 0, FAR, 1));
  }

  @Test
  void secondDepositUsesTheRoutersOptimalAmounts() {
    ComputePool p = seeded(1_000_000, 4_000_000);
    LiquidityResult r = p.addLiquidity(LP, 10_000, 1_000_000, 0, 0, FAR, 1);
    assertEquals(10_000, r.compute());
    assertEquals(40_000, r.tokens());
    assertEquals(20_000, r.shares());
    LiquidityResult r2 = p.addLiquidity(LP, 1_000_000, 40_000, 0, 0, FAR, 1);
    assertEquals(10_000, r2.compute());
    assertEquals(40_000, r2.tokens());
    assertEquals(40_000, p.sharesOf(LP));
  }

  @Test
  void twapWeightsEachPriceByHowLongItHeld() {
    ComputePool p = seeded(1_000_000, 2_000_000); // price 2
    PriceObservation a = p.observe(1_000);
    // price 2 for 1000 ms, then move the price up and hold it for 3000 ms
    p.swapExactIn(SwapDirection.BUY_COMPUTE, 2_000_000, 0, FAR, 1_000);
    long after = p.reserveTokens() / p.reserveCompute();
    PriceObservation b = p.observe(4_000);
    assertEquals(after, PriceObservation.twapTokensPerCompute(p.observe(1_000), b));
    PriceObservation start = new PriceObservation(0, BigInteger.ZERO, BigInteger.ZERO);
    long twap = PriceObservation.twapTokensPerCompute(start, b);
    // (2 * 1000 + exactSpot * 3000) / 4000, floored; exact spot ~7.98
    BigInteger exact = BigInteger.valueOf(p.reserveTokens()).shiftLeft(64)
        .divide(BigInteger.valueOf(p.reserveCompute())).multiply(BigInteger.valueOf(3000))
        .add(BigInteger.TWO.shiftLeft(64).multiply(BigInteger.valueOf(1000)))
        .divide(BigInteger.valueOf(4000)).shiftRight(64);
    assertEquals(exact.longValueExact(), twap);
    assertTrue(twap > 2 && twap < after, "twap " + twap);
    assertEquals(a.atMillis(), 1_000);
    assertThrows(IllegalArgumentException.class, () -> PriceObservation.twapTokensPerCompute(b, a));
  }

  @Test
  void adaptivePolicyIsBoundedAndKeepsThePrice() {
    ComputePool p = seeded(1_000_000, 3_000_000);
    AdaptiveLiquidityPolicy policy = new AdaptiveLiquidityPolicy(8_000, 2_000, 1_000, 500_000, 1_500_000);
    for (int step = 0; step < 20; step++) {
      long c = p.reserveCompute();
      long t = p.reserveTokens();
      AdaptiveLiquidityPolicy.Adaptation a = p.adapt(policy, 9_500, step);
      if (step < 5) {
        assertEquals(AdaptiveLiquidityPolicy.Action.DEEPEN, a.action());
        assertTrue(a.change().compute() <= c / 10, "step bound");
      }
      assertTrue(p.reserveCompute() <= 1_500_000);
      assertPriceKept(c, t, p);
    }
    assertEquals(1_500_000, p.reserveCompute());
    assertEquals(AdaptiveLiquidityPolicy.Action.NONE, p.adapt(policy, 5_000, 30).action());
    for (int step = 0; step < 30; step++) {
      long c = p.reserveCompute();
      long t = p.reserveTokens();
      p.adapt(policy, 100, 40 + step);
      assertTrue(p.reserveCompute() >= 500_000);
      assertPriceKept(c, t, p);
    }
    assertTrue(p.reserveCompute() < 560_000, "thinned to near the floor: " + p.reserveCompute());
    assertThrows(IllegalArgumentException.class, () -> new AdaptiveLiquidityPolicy(1, 2, 3, 4, 5));
  }

  private static void assertPriceKept(long c, long t, ComputePool p) {
    BigInteger lhs = AmmMath.product(p.reserveTokens(), c);
    BigInteger rhs = AmmMath.product(t, p.reserveCompute());
    assertTrue(lhs.subtract(rhs).abs().compareTo(BigInteger.valueOf(Math.max(c, t))) <= 0,
        "price moved: " + t + "/" + c + " -> " + p.reserveTokens() + "/" + p.reserveCompute());
  }

  @Test
  void sameOperationsGiveTheSameDigest() {
    ComputePool a = seeded(1_000_000, 2_000_000);
    ComputePool b = seeded(1_000_000, 2_000_000);
    assertEquals(a.digest(), b.digest());
    a.swapExactIn(SwapDirection.BUY_COMPUTE, 1000, 0, FAR, 5);
    assertNotEquals(a.digest(), b.digest());
    b.swapExactIn(SwapDirection.BUY_COMPUTE, 1000, 0, FAR, 5);
    assertEquals(a.digest(), b.digest());
  }

  /** Four threads trade both ways while a fifth adds and removes liquidity: no deadlock, k never
   * falls on a trade (the pool checks every trade in 128 bits and would throw), and compute and
   * tokens are conserved. */
  @Test
  void concurrentSwapsConserveTokensAndNeverLowerK() throws Exception {
    ComputePool p = seeded(10_000_000, 10_000_000);
    long c0 = p.reserveCompute();
    long t0 = p.reserveTokens();
    AtomicLong traderCompute = new AtomicLong();
    AtomicLong traderTokens = new AtomicLong();
    int threads = 4;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> ts = new ArrayList<>();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < threads; i++) {
      int me = i;
      Thread th = new Thread(() -> {
        try {
          go.await();
          for (int j = 0; j < 20_000; j++) {
            SwapDirection d = (j + me) % 2 == 0 ? SwapDirection.BUY_COMPUTE : SwapDirection.SELL_COMPUTE;
            SwapResult r = (j % 3 == 0)
                ? p.swapExactOut(d, 100 + j % 50, FAR, FAR, j)
                : p.swapExactIn(d, 100 + j % 70, 0, FAR, j);
            if (d == SwapDirection.BUY_COMPUTE) {
              traderTokens.addAndGet(-r.amountIn());
              traderCompute.addAndGet(r.amountOut());
            } else {
              traderCompute.addAndGet(-r.amountIn());
              traderTokens.addAndGet(r.amountOut());
            }
          }
        } catch (Throwable t) {
          errors.add(t);
        }
      });
      ts.add(th);
      th.start();
    }
    // A liquidity provider adds and removes at the same time through the same lock.
    Thread lp = new Thread(() -> {
      try {
        go.await();
        for (int j = 0; j < 5_000; j++) {
          if (j % 2 == 0) {
            LiquidityResult r = p.addLiquidity(LP, 10_000, 20_000, 0, 0, FAR, j);
            traderCompute.addAndGet(-r.compute());
            traderTokens.addAndGet(-r.tokens());
          } else {
            LiquidityResult r = p.removeLiquidity(LP, p.sharesOf(LP), 0, 0, FAR, j);
            traderCompute.addAndGet(r.compute());
            traderTokens.addAndGet(r.tokens());
          }
        }
      } catch (Throwable t) {
        errors.add(t);
      }
    });
    ts.add(lp);
    lp.start();
    go.countDown();
    for (Thread th : ts) {
      th.join(60_000);
      assertTrue(!th.isAlive(), "a trader thread is stuck");
    }
    assertTrue(errors.isEmpty(), () -> errors.get(0).toString());
    assertEquals(c0, p.reserveCompute() + traderCompute.get(), "compute conserved");
    assertEquals(t0, p.reserveTokens() + traderTokens.get(), "tokens conserved");
    assertEquals(0, p.sharesOf(LP), "the provider's last step removed everything it added");
    assertTrue(p.k().compareTo(AmmMath.product(c0, t0)) > 0, "fees raised k");
  }
}
