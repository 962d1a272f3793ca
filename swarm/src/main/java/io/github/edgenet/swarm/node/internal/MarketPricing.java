package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.market.AmmMath;
import io.github.edgenet.economy.market.ComputePool;
import io.github.edgenet.economy.market.MarketException;
import io.github.edgenet.economy.market.SwapDirection;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * {@link ProviderPricing} from economy's compute market: each task type this provider runs has its
 * own constant-product {@link ComputePool} (fee {@value #FEE_BPS} bps, Uniswap V2's 0.3%) of
 * compute units against token micro-units.
 *
 * <ul>
 *   <li><b>Idle price.</b> The pool holds {@value #RESERVE_COMPUTE} compute units; one task buys
 *       {@code RESERVE_COMPUTE / capacityTasks} of them. Its token reserve is the least for which
 *       the exact-out quote of one task ({@code AmmMath.getAmountIn}) is the price the host
 *       registered, so an idle provider asks exactly that price.
 *   <li><b>Load.</b> Each execution buys one task's compute from the pool ({@code swapExactOut
 *       BUY_COMPUTE}): the compute reserve shrinks and the quote rises along the curve.
 *   <li><b>Relaxing.</b> Idle capacity flows back at {@code recoveryTasksPerSecond} tasks per
 *       second of the node's {@link Clock}: the provider sells the recovered compute back to the
 *       pool ({@code swapExactIn SELL_COMPUTE}) and the quote falls. Once all of it is back, the
 *       pool is reset to its initial reserves (dropping the fees the round trips left in it), so
 *       the idle price is again exactly the registered one.
 * </ul>
 *
 * <p>The pools are this provider's local price curves: their trades are not ledger operations (the
 * ledger has no market operation kinds). The quote is the provider's ask in the sealed auction
 * ({@link SealedBids} keeps it binding for the task); the payment itself is the escrow the
 * submitter locks at the auction's price. A fully loaded pool (it cannot sell another task's
 * compute) quotes nothing, so the provider makes no bid until compute flows back. A price of 0
 * stays 0 (no pool; the provider then asks economy's least price, 1 micro-unit).
 *
 * <p>Not thread-safe on its own: the engine calls it under its lock.
 */
public final class MarketPricing implements ProviderPricing {
  private static final System.Logger LOG = System.getLogger(MarketPricing.class.getName());
  /** The pool fee, basis points. */
  public static final int FEE_BPS = 30;
  /** Compute units in each pool when idle. */
  public static final long RESERVE_COMPUTE = 1_000_000_000L;

  private final NodeId self;
  private final Clock clock;
  private final long unitsPerTask;
  private final double recoveryPerMilli;
  private final Map<String, Curve> curves = new TreeMap<>();

  private final class Curve {
    final long idlePrice;
    final long idleTokens;
    ComputePool pool;
    long outstanding; // compute units bought and not yet recovered
    long lastMillis;
    double carry; // fractional recovered units

    Curve(long idlePrice) {
      this.idlePrice = idlePrice;
      this.idleTokens = idlePrice == 0 ? 0 : tokensFor(idlePrice, unitsPerTask);
      this.lastMillis = clock.epochMillis();
      reset();
    }

    void reset() {
      outstanding = 0;
      carry = 0;
      if (idlePrice == 0) {
        return;
      }
      pool = ComputePool.create(self, FEE_BPS);
      long now = clock.epochMillis();
      pool.addLiquidity(self, RESERVE_COMPUTE, idleTokens, 0, 0, Long.MAX_VALUE, now);
    }

    long price() {
      if (idlePrice == 0) {
        return 0;
      }
      relax();
      try {
        return pool.quoteExactOut(SwapDirection.BUY_COMPUTE, unitsPerTask).amountIn();
      } catch (MarketException e) {
        return -1; // the pool cannot sell another task's compute: fully loaded, no offer
      }
    }

    void relax() {
      long now = clock.epochMillis();
      long elapsed = Math.max(0, now - lastMillis);
      lastMillis = Math.max(lastMillis, now);
      if (outstanding == 0 || elapsed == 0) {
        return;
      }
      double back = carry + elapsed * recoveryPerMilli;
      long units = (long) Math.min(back, (double) outstanding);
      carry = back - units;
      if (units >= outstanding) {
        reset();
        return;
      }
      if (units > 0) {
        try {
          pool.swapExactIn(SwapDirection.SELL_COMPUTE, units, 0, Long.MAX_VALUE, now);
          outstanding -= units;
        } catch (MarketException e) { // too small to buy a token: keep it for the next time
          carry += units;
        }
      }
    }

    void buy() {
      if (idlePrice == 0) {
        return;
      }
      relax();
      try {
        pool.swapExactOut(SwapDirection.BUY_COMPUTE, unitsPerTask, Long.MAX_VALUE, Long.MAX_VALUE,
            clock.epochMillis());
        outstanding += unitsPerTask;
      } catch (MarketException e) { // the pool cannot sell another task: the price is at its top
        LOG.log(Level.DEBUG, () -> "compute pool of " + self + " exhausted: " + e.getMessage());
      }
    }
  }

  /**
   * Prices for this provider's task types.
   *
   * @param self the provider (the pools' owner)
   * @param clock its clock (recovery and binding times)
   * @param prices the registered (idle) price per task type, micro-units, {@code >= 0}
   * @param capacityTasks tasks of load that would take all of a pool's compute, {@code >= 2}
   * @param recoveryTasksPerSecond how many tasks' compute flows back per second, {@code > 0}
   * @throws IllegalArgumentException if a number is out of range, naming it
   */
  public MarketPricing(NodeId self, Clock clock, Map<String, Long> prices, int capacityTasks,
      double recoveryTasksPerSecond) {
    this.self = Objects.requireNonNull(self, "self");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (capacityTasks < 2) {
      throw new IllegalArgumentException("capacityTasks must be >= 2, was " + capacityTasks);
    }
    if (!(recoveryTasksPerSecond > 0) || Double.isInfinite(recoveryTasksPerSecond)) {
      throw new IllegalArgumentException(
          "recoveryTasksPerSecond must be > 0 and finite, was " + recoveryTasksPerSecond);
    }
    this.unitsPerTask = RESERVE_COMPUTE / capacityTasks;
    this.recoveryPerMilli = recoveryTasksPerSecond * unitsPerTask / 1000.0;
    Map<String, Long> copy = new HashMap<>(prices);
    for (Map.Entry<String, Long> e : new TreeMap<>(copy).entrySet()) {
      if (e.getValue() < 0) {
        throw new IllegalArgumentException("price of " + e.getKey() + " must be >= 0, was "
            + e.getValue());
      }
      curves.put(e.getKey(), new Curve(e.getValue()));
    }
  }

  /**
   * The defaults: a capacity of 10 tasks, one task's compute back per second.
   *
   * @param self the provider
   * @param clock its clock
   * @param prices the registered price per task type
   * @return the pricing
   */
  public static MarketPricing withDefaults(NodeId self, Clock clock, Map<String, Long> prices) {
    return new MarketPricing(self, clock, prices, 10, 1.0);
  }

  /**
   * The least token reserve whose exact-out quote for {@code units} of {@link #RESERVE_COMPUTE}
   * is {@code price}.
   */
  static long tokensFor(long price, long units) {
    // getAmountIn = floor(t * units * 1e4 / ((R - units) * (1e4 - fee))) + 1: search the least t.
    long lo = 1;
    long hi = 1;
    while (quoteAt(hi, units) < price) {
      hi = Math.multiplyExact(hi, 2);
    }
    while (lo < hi) {
      long mid = lo + (hi - lo) / 2;
      if (quoteAt(mid, units) < price) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    if (quoteAt(lo, units) != price) {
      throw new IllegalArgumentException("no token reserve quotes exactly " + price
          + " micros for a task; use a larger price");
    }
    return lo;
  }

  private static long quoteAt(long tokens, long units) {
    return AmmMath.getAmountIn(units, tokens, RESERVE_COMPUTE, FEE_BPS);
  }

  @Override
  public OptionalLong quote(String type) {
    Curve c = curves.get(type);
    if (c == null) {
      return OptionalLong.empty();
    }
    long p = c.price();
    if (p < 0) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(p);
  }

  @Override
  public void executed(String type, long priceMicros) {
    Curve c = curves.get(type);
    if (c != null) {
      c.buy();
    }
  }

  /**
   * The compute units of {@code type} bought and not yet flowed back (for tests).
   *
   * @param type a task type
   * @return the units, 0 if idle or unknown
   */
  long outstanding(String type) {
    Curve c = curves.get(type);
    return c == null ? 0 : c.outstanding;
  }
}
