package io.github.edgenet.economy.market;

import java.util.Objects;

/**
 * The bounded, price-preserving adaptive-liquidity rule of {@link ComputePool#adapt}: a provider
 * that is busy (utilization at or above {@code highUtilizationBps}) deepens its pool by
 * {@code stepBps} of the compute reserve, so large buyers move its price less; an idle one (at or
 * below {@code lowUtilizationBps}) thins it by the same step, freeing its capital. The compute
 * reserve stays within {@code [minReserveCompute, maxReserveCompute]}; both sides change in the
 * pool's proportion, so the spot price moves by at most one unit of rounding. Immutable.
 *
 * @param highUtilizationBps deepen at or above this utilization, in (lowUtilizationBps, 10000]
 * @param lowUtilizationBps thin at or below this utilization, in [0, highUtilizationBps)
 * @param stepBps the largest change per application, in (0, 5000] basis points of the reserve
 * @param minReserveCompute never thin below this compute reserve, > 0
 * @param maxReserveCompute never deepen above this compute reserve, >= minReserveCompute
 */
public record AdaptiveLiquidityPolicy(
    int highUtilizationBps, int lowUtilizationBps, int stepBps, long minReserveCompute,
    long maxReserveCompute) {

  /** Validates the bounds. */
  public AdaptiveLiquidityPolicy {
    if (lowUtilizationBps < 0 || highUtilizationBps > AmmMath.BPS
        || lowUtilizationBps >= highUtilizationBps) {
      throw new IllegalArgumentException("need 0 <= lowUtilizationBps < highUtilizationBps <= 10000,"
          + " got " + lowUtilizationBps + ", " + highUtilizationBps);
    }
    if (stepBps <= 0 || stepBps > 5_000) {
      throw new IllegalArgumentException("stepBps must be in (0, 5000], got " + stepBps);
    }
    if (minReserveCompute <= 0 || maxReserveCompute < minReserveCompute) {
      throw new IllegalArgumentException("need 0 < minReserveCompute <= maxReserveCompute, got "
          + minReserveCompute + ", " + maxReserveCompute);
    }
  }

  /** What {@link ComputePool#adapt} did. */
  public enum Action {
    /** Liquidity was added from the provider. */
    DEEPEN,
    /** Liquidity was returned to the provider. */
    THIN,
    /** Nothing changed. */
    NONE
  }

  /**
   * One application of the policy.
   *
   * @param action what happened
   * @param change the amounts and shares moved (all zero for {@link Action#NONE})
   */
  public record Adaptation(Action action, LiquidityResult change) {
    /** Validates non-null fields. */
    public Adaptation {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(change, "change");
    }

    static Adaptation none() {
      return new Adaptation(Action.NONE, LiquidityResult.NONE);
    }
  }
}
