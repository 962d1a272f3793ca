package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.identity.NodeId;
import java.util.Objects;

/**
 * A provider's signed offer to run a task at a price, as a submitter holds it.
 *
 * @param provider the node that signed the offer
 * @param priceMicros its price in micro-units
 */
public record Offer(NodeId provider, long priceMicros) {

  /** Checks the components. */
  public Offer {
    Objects.requireNonNull(provider, "provider");
    if (priceMicros < 0) {
      throw new IllegalArgumentException("priceMicros must be >= 0, was " + priceMicros);
    }
  }
}
