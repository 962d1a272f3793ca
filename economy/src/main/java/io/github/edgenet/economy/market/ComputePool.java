package io.github.edgenet.economy.market;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.internal.Canonical;
import io.github.edgenet.economy.internal.Int128;
import io.github.edgenet.economy.market.MarketException.Reason;
import java.math.BigInteger;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One provider's compute market: a constant-product pool of compute units against token
 * micro-units, after Uniswap V2's {@code UniswapV2Pair} with its router's checks
 * ({@code UniswapV2Router02}: deadlines, slippage limits, optimal liquidity amounts).
 *
 * <p><b>Semantics.</b> The fee ({@link #feeBps()}) is taken on the input side and stays in the pool,
 * so {@code k = reserveCompute * reserveTokens} never decreases (checked in 128 bits after every
 * trade). The first deposit mints {@code sqrt(compute * tokens)} shares of which
 * {@link #MINIMUM_LIQUIDITY} are locked for ever, so neither reserve can be withdrawn to zero; a
 * swap never pays out a whole reserve ({@link AmmMath#getAmountOut} is below it). The pool keeps
 * cumulative price accumulators for a time-weighted average price ({@link #observe}).
 *
 * <p><b>Inputs.</b> The pool moves no money itself: every method returns what the trader or
 * provider pays and receives, and the caller (the ledger) moves those amounts between accounts.
 * Times are the signed operation's epoch millis, never a clock read; an operation older than the
 * last one does not move the accumulators backwards. Folding the same operations in the same order
 * gives the same {@link #digest()} on every node.
 *
 * <p><b>Errors.</b> Every refusal is a {@link MarketException} with a {@link Reason}, thrown before
 * anything changes. Misuse (null arguments, negative limits) throws
 * {@link IllegalArgumentException}/{@link NullPointerException}, also before any change.
 *
 * <p><b>Thread-safety.</b> Thread-safe: every method holds this pool's one monitor and calls out to
 * nothing that locks, so no lock-ordering deadlock is possible.
 */
public final class ComputePool {
  /** LP shares locked for ever at the first deposit, as in Uniswap V2. */
  public static final long MINIMUM_LIQUIDITY = 1_000L;

  private static final BigInteger Q64 = BigInteger.ONE.shiftLeft(64);

  private final NodeId provider;
  private final int feeBps;
  private long reserveCompute;
  private long reserveTokens;
  private long totalShares;
  private final TreeMap<NodeId, Long> shares = new TreeMap<>();
  private long lastMillis = Long.MIN_VALUE;
  private BigInteger tokensPerComputeCumulative = BigInteger.ZERO;
  private BigInteger computePerTokenCumulative = BigInteger.ZERO;

  private ComputePool(NodeId provider, int feeBps) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.feeBps = AmmMath.checkFee(feeBps);
  }

  /**
   * An empty pool for {@code provider}'s compute; it trades once liquidity is added.
   *
   * @param provider the node whose compute this pool prices
   * @param feeBps the input-side fee in basis points, in [0, {@value AmmMath#MAX_FEE_BPS}]
   *     (30 = Uniswap V2's 0.3%)
   * @return a new, empty pool
   * @throws IllegalArgumentException if {@code feeBps} is out of range
   */
  public static ComputePool create(NodeId provider, int feeBps) {
    return new ComputePool(provider, feeBps);
  }

  /**
   * The node whose compute this pool prices.
   *
   * @return the node whose compute this pool prices
   */
  public NodeId provider() {
    return provider;
  }

  /**
   * The input-side fee in basis points.
   *
   * @return the input-side fee in basis points
   */
  public int feeBps() {
    return feeBps;
  }

  /**
   * The compute-unit reserve.
   *
   * @return the compute-unit reserve
   */
  public synchronized long reserveCompute() {
    return reserveCompute;
  }

  /**
   * The token reserve in micro-units.
   *
   * @return the token reserve in micro-units
   */
  public synchronized long reserveTokens() {
    return reserveTokens;
  }

  /**
   * All LP shares, including the {@link #MINIMUM_LIQUIDITY} locked ones.
   *
   * @return all LP shares, including the {@link #MINIMUM_LIQUIDITY} locked ones
   */
  public synchronized long totalShares() {
    return totalShares;
  }

  /**
   * The LP shares {@code holder} owns (0 if none).
   *
   * @param holder a liquidity provider
   * @return the LP shares {@code holder} owns (0 if none)
   */
  public synchronized long sharesOf(NodeId holder) {
    return shares.getOrDefault(holder, 0L);
  }

  /**
   * {@code k = reserveCompute * reserveTokens}, exact.
   *
   * @return {@code k = reserveCompute * reserveTokens}, exact
   */
  public synchronized BigInteger k() {
    return AmmMath.product(reserveCompute, reserveTokens);
  }

  /**
   * What an exact-in trade would pay now, without changing anything.
   *
   * @param direction which way
   * @param amountIn what the trader would pay, > 0
   * @return the trade, with the reserves it would leave
   * @throws MarketException as {@link AmmMath#getAmountOut}, or {@code INSUFFICIENT_OUTPUT_AMOUNT}
   *     if it would pay nothing, {@code OVERFLOW} if the input reserve would overflow
   */
  public synchronized SwapResult quoteExactIn(SwapDirection direction, long amountIn) {
    Objects.requireNonNull(direction, "direction");
    boolean buy = direction == SwapDirection.BUY_COMPUTE;
    long rIn = buy ? reserveTokens : reserveCompute;
    long rOut = buy ? reserveCompute : reserveTokens;
    long out = AmmMath.getAmountOut(amountIn, rIn, rOut, feeBps);
    if (out <= 0) {
      throw new MarketException(Reason.INSUFFICIENT_OUTPUT_AMOUNT,
          "amountIn=" + amountIn + " buys nothing at reserves " + rIn + "/" + rOut);
    }
    return result(direction, amountIn, out, rIn, rOut);
  }

  /**
   * What an exact-out trade would cost now, without changing anything.
   *
   * @param direction which way
   * @param amountOut what the trader wants, > 0 and below the output reserve
   * @return the trade, with the reserves it would leave
   * @throws MarketException as {@link AmmMath#getAmountIn}, or {@code OVERFLOW} if the input
   *     reserve
   *     would overflow
   */
  public synchronized SwapResult quoteExactOut(SwapDirection direction, long amountOut) {
    Objects.requireNonNull(direction, "direction");
    boolean buy = direction == SwapDirection.BUY_COMPUTE;
    long rIn = buy ? reserveTokens : reserveCompute;
    long rOut = buy ? reserveCompute : reserveTokens;
    long in = AmmMath.getAmountIn(amountOut, rIn, rOut, feeBps);
    return result(direction, in, amountOut, rIn, rOut);
  }

  private static SwapResult result(SwapDirection d, long in, long out, long rIn, long rOut) {
    long newIn;
    try {
      newIn = Math.addExact(rIn, in);
    } catch (ArithmeticException e) {
      throw new MarketException(Reason.OVERFLOW, "reserve " + rIn + " + input " + in);
    }
    long newOut = rOut - out;
    if (!AmmMath.productNotBelow(newIn, newOut, rIn, rOut)) {
      throw new IllegalStateException("k would decrease: " + rIn + "x" + rOut + " -> "
          + newIn + "x" + newOut);
    }
    return d == SwapDirection.BUY_COMPUTE
        ? new SwapResult(d, in, out, newOut, newIn)
        : new SwapResult(d, in, out, newIn, newOut);
  }

  /**
   * Swaps an exact input for at least {@code minAmountOut} (Uniswap's
   * {@code swapExactTokensForTokens}).
   *
   * @param direction which way
   * @param amountIn what the trader pays, > 0
   * @param minAmountOut the least the trader accepts, >= 0 (slippage limit)
   * @param deadlineMillis the operation is refused if {@code nowMillis > deadlineMillis}
   * @param nowMillis the signed operation's time, epoch millis
   * @return what moved; the caller debits {@code amountIn} and credits {@code amountOut}
   * @throws MarketException {@code EXPIRED}, {@code INSUFFICIENT_OUTPUT_AMOUNT} below the minimum,
   *     or as {@link #quoteExactIn}
   * @throws IllegalArgumentException if {@code minAmountOut < 0}
   */
  public synchronized SwapResult swapExactIn(
      SwapDirection direction, long amountIn, long minAmountOut, long deadlineMillis,
      long nowMillis) {
    checkLimit("minAmountOut", minAmountOut);
    checkDeadline(deadlineMillis, nowMillis);
    SwapResult r = quoteExactIn(direction, amountIn);
    if (r.amountOut() < minAmountOut) {
      throw new MarketException(Reason.INSUFFICIENT_OUTPUT_AMOUNT,
          "amountOut=" + r.amountOut() + " < minAmountOut=" + minAmountOut);
    }
    apply(r, nowMillis);
    return r;
  }

  /**
   * Swaps at most {@code maxAmountIn} for an exact output (Uniswap's
   * {@code swapTokensForExactTokens}).
   *
   * @param direction which way
   * @param amountOut what the trader receives, > 0 and below the output reserve
   * @param maxAmountIn the most the trader pays, >= 0 (slippage limit)
   * @param deadlineMillis the operation is refused if {@code nowMillis > deadlineMillis}
   * @param nowMillis the signed operation's time, epoch millis
   * @return what moved; the caller debits {@code amountIn} and credits {@code amountOut}
   * @throws MarketException {@code EXPIRED}, {@code EXCESSIVE_INPUT_AMOUNT} above the maximum, or
   *     as {@link #quoteExactOut}
   * @throws IllegalArgumentException if {@code maxAmountIn < 0}
   */
  public synchronized SwapResult swapExactOut(
      SwapDirection direction, long amountOut, long maxAmountIn, long deadlineMillis,
      long nowMillis) {
    checkLimit("maxAmountIn", maxAmountIn);
    checkDeadline(deadlineMillis, nowMillis);
    SwapResult r = quoteExactOut(direction, amountOut);
    if (r.amountIn() > maxAmountIn) {
      throw new MarketException(Reason.EXCESSIVE_INPUT_AMOUNT,
          "amountIn=" + r.amountIn() + " > maxAmountIn=" + maxAmountIn);
    }
    apply(r, nowMillis);
    return r;
  }

  private void apply(SwapResult r, long nowMillis) {
    accumulate(nowMillis);
    reserveCompute = r.reserveComputeAfter();
    reserveTokens = r.reserveTokensAfter();
  }

  /**
   * Adds liquidity in the pool's current proportion (Uniswap's {@code addLiquidity}): the first
   * deposit sets the price and mints {@code sqrt(compute*tokens) - MINIMUM_LIQUIDITY} shares;
   * later deposits use the desired amount of one side and the proportional amount of the other, and
   * mint {@code min(compute*total/reserveCompute, tokens*total/reserveTokens)} shares.
   *
   * @param holder who receives the shares
   * @param computeDesired compute units offered, > 0
   * @param tokensDesired token micro-units offered, > 0
   * @param computeMin the least compute the holder accepts to deposit, >= 0
   * @param tokensMin the least tokens the holder accepts to deposit, >= 0
   * @param deadlineMillis the operation is refused if {@code nowMillis > deadlineMillis}
   * @param nowMillis the signed operation's time, epoch millis
   * @return the amounts the caller must debit from {@code holder} and the shares minted
   * @throws MarketException {@code INSUFFICIENT_AMOUNT}, {@code EXPIRED},
   *     {@code INSUFFICIENT_A_OR_B_AMOUNT}, {@code INSUFFICIENT_LIQUIDITY_MINTED} or {@code OVERFLOW}
   */
  public synchronized LiquidityResult addLiquidity(
      NodeId holder, long computeDesired, long tokensDesired, long computeMin, long tokensMin,
      long deadlineMillis, long nowMillis) {
    Objects.requireNonNull(holder, "holder");
    checkLimit("computeMin", computeMin);
    checkLimit("tokensMin", tokensMin);
    if (computeDesired <= 0 || tokensDesired <= 0) {
      throw new MarketException(Reason.INSUFFICIENT_AMOUNT,
          "computeDesired=" + computeDesired + ", tokensDesired=" + tokensDesired);
    }
    checkDeadline(deadlineMillis, nowMillis);
    long c;
    long t;
    long minted;
    long locked = 0;
    if (totalShares == 0) {
      c = computeDesired;
      t = tokensDesired;
      long root = AmmMath.product(c, t).sqrt().longValueExact();
      if (root <= MINIMUM_LIQUIDITY) {
        throw new MarketException(Reason.INSUFFICIENT_LIQUIDITY_MINTED,
            "sqrt(" + c + " * " + t + ") = " + root + " <= " + MINIMUM_LIQUIDITY);
      }
      minted = root - MINIMUM_LIQUIDITY;
      locked = MINIMUM_LIQUIDITY;
    } else {
      long tOpt = AmmMath.quote(computeDesired, reserveCompute, reserveTokens);
      if (tOpt <= tokensDesired) {
        if (tOpt < tokensMin) {
          throw new MarketException(Reason.INSUFFICIENT_A_OR_B_AMOUNT,
              "tokens " + tOpt + " < tokensMin " + tokensMin);
        }
        c = computeDesired;
        t = tOpt;
      } else {
        long cOpt = AmmMath.quote(tokensDesired, reserveTokens, reserveCompute);
        if (cOpt < computeMin) {
          throw new MarketException(Reason.INSUFFICIENT_A_OR_B_AMOUNT,
              "compute " + cOpt + " < computeMin " + computeMin);
        }
        c = cOpt;
        t = tokensDesired;
      }
      long byCompute = mulDiv(c, totalShares, reserveCompute);
      long byTokens = mulDiv(t, totalShares, reserveTokens);
      minted = Math.min(byCompute, byTokens);
      if (minted <= 0) {
        throw new MarketException(Reason.INSUFFICIENT_LIQUIDITY_MINTED,
            "deposit " + c + "/" + t + " mints no share");
      }
    }
    if (c < computeMin || t < tokensMin) {
      throw new MarketException(Reason.INSUFFICIENT_A_OR_B_AMOUNT,
          "deposit " + c + "/" + t + " below minimum " + computeMin + "/" + tokensMin);
    }
    long newC;
    long newT;
    long newTotal;
    long newHolder;
    try {
      newC = Math.addExact(reserveCompute, c);
      newT = Math.addExact(reserveTokens, t);
      newTotal = Math.addExact(Math.addExact(totalShares, minted), locked);
      newHolder = Math.addExact(sharesOf(holder), minted);
    } catch (ArithmeticException e) {
      throw new MarketException(Reason.OVERFLOW, "deposit " + c + "/" + t + " overflows the pool");
    }
    accumulate(nowMillis);
    reserveCompute = newC;
    reserveTokens = newT;
    totalShares = newTotal;
    shares.put(holder, newHolder);
    return new LiquidityResult(c, t, minted);
  }

  /**
   * Burns {@code holder}'s shares for the proportional part of both reserves (Uniswap's
   * {@code removeLiquidity}), floored. Because {@link #MINIMUM_LIQUIDITY} shares are locked, no
   * withdrawal empties a reserve.
   *
   * @param holder whose shares
   * @param burn shares to burn, > 0
   * @param computeMin the least compute the holder accepts, >= 0
   * @param tokensMin the least tokens the holder accepts, >= 0
   * @param deadlineMillis the operation is refused if {@code nowMillis > deadlineMillis}
   * @param nowMillis the signed operation's time, epoch millis
   * @return the amounts the caller must credit to {@code holder} and the shares burned
   * @throws MarketException {@code INSUFFICIENT_AMOUNT}, {@code EXPIRED}, {@code
   *     INSUFFICIENT_SHARES},
   *     {@code INSUFFICIENT_LIQUIDITY_BURNED} or {@code INSUFFICIENT_A_OR_B_AMOUNT}
   */
  public synchronized LiquidityResult removeLiquidity(
      NodeId holder, long burn, long computeMin, long tokensMin, long deadlineMillis,
      long nowMillis) {
    Objects.requireNonNull(holder, "holder");
    checkLimit("computeMin", computeMin);
    checkLimit("tokensMin", tokensMin);
    if (burn <= 0) {
      throw new MarketException(Reason.INSUFFICIENT_AMOUNT, "burn=" + burn);
    }
    checkDeadline(deadlineMillis, nowMillis);
    long held = sharesOf(holder);
    if (held < burn) {
      throw new MarketException(Reason.INSUFFICIENT_SHARES,
          holder + " holds " + held + " shares, asked to burn " + burn);
    }
    long c = mulDiv(burn, reserveCompute, totalShares);
    long t = mulDiv(burn, reserveTokens, totalShares);
    if (c <= 0 || t <= 0) {
      throw new MarketException(Reason.INSUFFICIENT_LIQUIDITY_BURNED,
          "burning " + burn + " of " + totalShares + " shares pays " + c + "/" + t);
    }
    if (c < computeMin || t < tokensMin) {
      throw new MarketException(Reason.INSUFFICIENT_A_OR_B_AMOUNT,
          "withdrawal " + c + "/" + t + " below minimum " + computeMin + "/" + tokensMin);
    }
    accumulate(nowMillis);
    reserveCompute -= c;
    reserveTokens -= t;
    totalShares -= burn;
    if (held == burn) {
      shares.remove(holder);
    } else {
      shares.put(holder, held - burn);
    }
    return new LiquidityResult(c, t, burn);
  }

  /**
   * Applies the adaptive-liquidity policy for the provider (who must hold shares to thin): under
   * high utilization it deepens the pool by {@code policy.stepBps()} of the compute reserve (at most
   * to {@code maxReserveCompute}), depositing the proportional tokens; when idle it burns the
   * provider's shares worth up to {@code stepBps} of the pool (never below
   * {@code minReserveCompute}). Both go through {@link #addLiquidity}/{@link #removeLiquidity}, so
   * the price is preserved up to one unit of rounding. Between the thresholds nothing changes.
   *
   * @param policy the bounds
   * @param utilizationBps how busy the provider was, in basis points of its capacity, in [0, 10000]
   * @param nowMillis the signed operation's time, epoch millis
   * @return the change: positive amounts the caller moves from (deepen) or to (thin) the provider,
   *     and which of the two happened
   * @throws IllegalArgumentException if {@code utilizationBps} is out of range
   * @throws MarketException as {@link #addLiquidity}/{@link #removeLiquidity}
   */
  public synchronized AdaptiveLiquidityPolicy.Adaptation adapt(
      AdaptiveLiquidityPolicy policy, int utilizationBps, long nowMillis) {
    Objects.requireNonNull(policy, "policy");
    if (utilizationBps < 0 || utilizationBps > AmmMath.BPS) {
      throw new IllegalArgumentException("utilizationBps must be in [0, 10000], got "
          + utilizationBps);
    }
    if (totalShares == 0) {
      return AdaptiveLiquidityPolicy.Adaptation.none();
    }
    if (utilizationBps >= policy.highUtilizationBps()) {
      long room = policy.maxReserveCompute() - reserveCompute;
      long dc = Math.min(room, mulDiv(reserveCompute, policy.stepBps(), AmmMath.BPS));
      if (dc <= 0) {
        return AdaptiveLiquidityPolicy.Adaptation.none();
      }
      long dt = AmmMath.quote(dc, reserveCompute, reserveTokens);
      if (dt <= 0) {
        return AdaptiveLiquidityPolicy.Adaptation.none();
      }
      LiquidityResult r = addLiquidity(provider, dc, dt, 0, 0, nowMillis, nowMillis);
      return new AdaptiveLiquidityPolicy.Adaptation(AdaptiveLiquidityPolicy.Action.DEEPEN, r);
    }
    if (utilizationBps <= policy.lowUtilizationBps()) {
      long room = reserveCompute - policy.minReserveCompute();
      long dc = Math.min(room, mulDiv(reserveCompute, policy.stepBps(), AmmMath.BPS));
      if (dc <= 0) {
        return AdaptiveLiquidityPolicy.Adaptation.none();
      }
      long burn = Math.min(sharesOf(provider), mulDiv(dc, totalShares, reserveCompute));
      if (burn <= 0 || mulDiv(burn, reserveCompute, totalShares) <= 0
          || mulDiv(burn, reserveTokens, totalShares) <= 0) {
        return AdaptiveLiquidityPolicy.Adaptation.none();
      }
      LiquidityResult r = removeLiquidity(provider, burn, 0, 0, nowMillis, nowMillis);
      return new AdaptiveLiquidityPolicy.Adaptation(AdaptiveLiquidityPolicy.Action.THIN, r);
    }
    return AdaptiveLiquidityPolicy.Adaptation.none();
  }

  /**
   * The cumulative price accumulators extrapolated to {@code nowMillis} (as Uniswap's
   * {@code UniswapV2OracleLibrary.currentCumulativePrices}), without changing the pool. Two
   * observations give a TWAP through {@link PriceObservation#twapTokensPerCompute}.
   *
   * @param nowMillis the reading's time, epoch millis
   * @return the observation
   */
  public synchronized PriceObservation observe(long nowMillis) {
    BigInteger a = tokensPerComputeCumulative;
    BigInteger b = computePerTokenCumulative;
    if (reserveCompute > 0 && lastMillis != Long.MIN_VALUE && nowMillis > lastMillis) {
      BigInteger dt = BigInteger.valueOf(nowMillis - lastMillis);
      a = a.add(spot(reserveTokens, reserveCompute).multiply(dt));
      b = b.add(spot(reserveCompute, reserveTokens).multiply(dt));
    }
    return new PriceObservation(nowMillis, a, b);
  }

  /**
   * The spot price in token micro-units per compute unit, floored (0 before any liquidity).
   *
   * @return the spot price in token micro-units per compute unit, floored (0 before any liquidity)
   */
  public synchronized long spotTokensPerCompute() {
    return reserveCompute == 0 ? 0 : reserveTokens / reserveCompute;
  }

  private static BigInteger spot(long num, long den) {
    return BigInteger.valueOf(num).shiftLeft(64).divide(BigInteger.valueOf(den));
  }

  private void accumulate(long nowMillis) {
    if (lastMillis == Long.MIN_VALUE) {
      lastMillis = nowMillis;
      return;
    }
    if (nowMillis <= lastMillis) {
      return;
    }
    if (reserveCompute > 0) {
      BigInteger dt = BigInteger.valueOf(nowMillis - lastMillis);
      tokensPerComputeCumulative =
          tokensPerComputeCumulative.add(spot(reserveTokens, reserveCompute).multiply(dt));
      computePerTokenCumulative =
          computePerTokenCumulative.add(spot(reserveCompute, reserveTokens).multiply(dt));
    }
    lastMillis = nowMillis;
  }

  /**
   * SHA-256 over the pool's canonical encoding (provider, fee, reserves, shares sorted by holder,
   * accumulators): equal on two nodes exactly when their pools are in the same state.
   *
   * @return 64 hex digits
   */
  public synchronized String digest() {
    Canonical c = Canonical.of("edgenet.market.pool.v1").id(provider).u64(feeBps)
        .u64(reserveCompute).u64(reserveTokens).u64(totalShares).u64(shares.size());
    for (Map.Entry<NodeId, Long> e : shares.entrySet()) {
      c.id(e.getKey()).u64(e.getValue());
    }
    return c.u64(lastMillis).big(tokensPerComputeCumulative).big(computePerTokenCumulative)
        .finishHex();
  }

  private static long mulDiv(long a, long b, long c) {
    long q = Int128.mulDiv(a, b, c);
    if (q < 0) {
      throw new MarketException(Reason.OVERFLOW, a + " * " + b + " / " + c + " does not fit a long");
    }
    return q;
  }

  private static void checkLimit(String name, long v) {
    if (v < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + v);
    }
  }

  private static void checkDeadline(long deadlineMillis, long nowMillis) {
    if (nowMillis > deadlineMillis) {
      throw new MarketException(Reason.EXPIRED,
          "now " + nowMillis + " is after the deadline " + deadlineMillis);
    }
  }

  @Override
  public synchronized String toString() {
    return "ComputePool[" + provider + ", " + reserveCompute + " compute / " + reserveTokens
        + " tokens, fee " + feeBps + " bps, " + totalShares + " shares]";
  }
}
