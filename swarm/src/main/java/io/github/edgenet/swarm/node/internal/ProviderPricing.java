package io.github.edgenet.swarm.node.internal;

import java.util.OptionalLong;

/**
 * SEAM for economy's compute market: the price this node asks for a task type, announced to peers
 * and sealed into its bid on a request (the award must not pay less). {@link Seams#standard} uses
 * {@link MarketPricing} (economy's compute pools, starting at the registered price); {@link
 * FixedAdvertisedPrice} keeps the registered price forever.
 *
 * <p>Called on the node's network thread.
 */
public interface ProviderPricing {

  /**
   * The current price for one execution of {@code type}, in micro-units.
   *
   * @param type a task type
   * @return the price, or empty if this node does not run {@code type}
   */
  OptionalLong quote(String type);

  /**
   * This node ran one award of {@code type} at {@code priceMicros}; a market curve buys the
   * compute here. The default does nothing.
   *
   * @param type a task type
   * @param priceMicros the awarded price, micro-units
   */
  default void executed(String type, long priceMicros) {}
}
