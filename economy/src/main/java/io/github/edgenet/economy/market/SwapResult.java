package io.github.edgenet.economy.market;

/**
 * What a swap (or a quote) moved: the trader pays {@code amountIn} of the direction's input side and
 * receives {@code amountOut} of the output side. For {@link SwapDirection#BUY_COMPUTE} the input is
 * tokens (micro-units) and the output compute units; the reverse for {@code SELL_COMPUTE}. The
 * reserves are the pool's after the trade (for a quote: what they would be).
 *
 * @param direction the trade's direction
 * @param amountIn what the trader pays, > 0
 * @param amountOut what the trader receives, > 0
 * @param reserveComputeAfter compute reserve after the trade
 * @param reserveTokensAfter token reserve after the trade, micro-units
 */
public record SwapResult(
    SwapDirection direction, long amountIn, long amountOut,
    long reserveComputeAfter, long reserveTokensAfter) {}
