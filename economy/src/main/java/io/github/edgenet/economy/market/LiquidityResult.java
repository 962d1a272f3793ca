package io.github.edgenet.economy.market;

/**
 * What a liquidity change moved: compute units and tokens into the pool (add) or out of it (remove),
 * and the LP shares minted or burned. All values are non-negative magnitudes.
 *
 * @param compute compute units deposited or withdrawn
 * @param tokens token micro-units deposited or withdrawn
 * @param shares LP shares minted (add) or burned (remove)
 */
public record LiquidityResult(long compute, long tokens, long shares) {
  /** Nothing moved. */
  public static final LiquidityResult NONE = new LiquidityResult(0, 0, 0);
}
