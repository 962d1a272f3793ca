/**
 * The compute market: one constant-product pool per provider ({@link
 * io.github.edgenet.economy.market.ComputePool}) pricing compute units against token micro-units,
 * with Uniswap V2's exact integer formulas ({@link io.github.edgenet.economy.market.AmmMath}),
 * LP shares, a TWAP and a bounded adaptive-liquidity policy.
 */
package io.github.edgenet.economy.market;
