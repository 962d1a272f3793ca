package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.swarm.node.Task;
import java.util.List;

/**
 * SEAM for the swarm module (consensus, Thompson-sampling allocation, pheromone trails): decides
 * which of the providers that offered within the price limit get the task, in order. The first is
 * awarded the task; the next ones are used when it fails, times out, or a cross-check is drawn.
 *
 * <p>Called on the submitting node's network thread. Implementations must be deterministic given
 * their inputs and the node's own seeded state, and may only use data every node can check (signed
 * offers, signed outcomes). The default is {@link LowestPriceCandidates}.
 */
public interface CandidateSelector {

  /**
   * Orders the candidates for one task.
   *
   * @param task the task
   * @param offers the offers within the task's price limit (at least one), in arrival order
   * @return the providers to try, best first: a sub-list or permutation of {@code offers}
   */
  List<Offer> rank(Task task, List<Offer> offers);
}
