package io.github.edgenet.swarm.node.internal;

import java.util.OptionalLong;

/**
 * SEAM for economy's compute market: the price this node asks for a task type, announced to peers
 * and offered on requests. An award at any other price is refused. The default is {@link
 * FixedAdvertisedPrice}: the price the host registered with the executor. A market curve or a
 * sealed commit-reveal auction replaces it (an auction also changes the offer messages: see the
 * report).
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
}
