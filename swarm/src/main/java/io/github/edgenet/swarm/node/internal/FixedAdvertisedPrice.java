package io.github.edgenet.swarm.node.internal;

import java.util.Map;
import java.util.OptionalLong;

/**
 * The honest default {@link ProviderPricing}: each task type at the fixed price the host registered
 * with its executor, never changing with load or demand. Immutable and thread-safe.
 */
public final class FixedAdvertisedPrice implements ProviderPricing {
  private final Map<String, Long> prices;

  /**
   * Prices per task type, copied.
   *
   * @param prices task type to price in micro-units
   */
  public FixedAdvertisedPrice(Map<String, Long> prices) {
    this.prices = Map.copyOf(prices);
  }

  @Override
  public OptionalLong quote(String type) {
    Long p = prices.get(type);
    return p == null ? OptionalLong.empty() : OptionalLong.of(p);
  }
}
