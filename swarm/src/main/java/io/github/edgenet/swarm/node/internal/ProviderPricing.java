package io.github.edgenet.swarm.node.internal;

import java.util.OptionalLong;

/**
 * SEAM for economy's compute market: the price this node asks for a task type, announced to peers
 * and offered on requests. An award at a price this node did not offer is refused ({@link
 * #accepts}). {@link Seams#standard} uses {@link MarketPricing} (economy's compute pools, starting
 * at the registered price); {@link FixedAdvertisedPrice} keeps the registered price forever. A
 * sealed commit-reveal auction would also change the offer messages.
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
   * Whether an award of {@code type} at {@code priceMicros} is one this node's offers bind it to.
   * The default: only the current quote. A price that moves with load remembers its recent quotes,
   * so that an offer stays binding after the price moved on.
   *
   * @param type a task type
   * @param priceMicros the awarded price, micro-units
   * @return whether to run the award at that price
   */
  default boolean accepts(String type, long priceMicros) {
    OptionalLong q = quote(type);
    return q.isPresent() && q.getAsLong() == priceMicros;
  }

  /**
   * This node ran one award of {@code type} at {@code priceMicros} (after {@link #accepts}); a
   * market curve buys the compute here. The default does nothing.
   *
   * @param type a task type
   * @param priceMicros the awarded price, micro-units
   */
  default void executed(String type, long priceMicros) {}
}
