package io.github.edgenet.economy.market;

/** Which way a trade goes through a provider's pool. */
public enum SwapDirection {
  /** The trader pays tokens and receives compute units: buying compute. */
  BUY_COMPUTE,
  /** The trader pays compute units and receives tokens: selling compute back. */
  SELL_COMPUTE
}
