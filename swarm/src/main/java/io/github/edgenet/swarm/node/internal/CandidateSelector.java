package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.node.Task;
import java.util.List;

/**
 * SEAM for the swarm module (Thompson-sampling allocation, pheromone trails, reputation): decides
 * which of the providers that sent a sealed bid for a task are asked to reveal it. It runs
 * <em>before any price is known</em>: the sealed auction among the shortlist then picks the winner
 * and the price ({@link TaskAuction}). When the shortlist yields no usable bid, or its bidders all
 * fail, the engine asks again among the committers not shortlisted yet.
 *
 * <p>Called on the submitting node's network thread. Implementations must be deterministic given
 * their inputs and the node's own seeded state, and may only use data every node can check (signed
 * commitments, signed outcomes, the replicated ledger). The default is {@link FirstCommitters}.
 */
public interface CandidateSelector {

  /**
   * Chooses whom to ask for a reveal.
   *
   * @param task the task
   * @param committers the providers that committed and were not shortlisted yet (at least one),
   *     in arrival order
   * @param size how many to choose, {@code >= 1}
   * @return between 1 and {@code size} distinct members of {@code committers}
   */
  List<NodeId> shortlist(Task task, List<NodeId> committers, int size);

  /**
   * Providers of {@code type} known from the swarm's shared observations rather than from their
   * own announcements: a request round asks them when the node knows too few announced ones. The
   * default knows none.
   *
   * @param type the task type
   * @param limit how many at most
   * @return the providers, best first, at most {@code limit}
   */
  default List<NodeId> knownWorkers(String type, int limit) {
    return List.of();
  }
}
