package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.learning.federated.Contribution;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The contributions one node holds for one round of one type's adapter, with learning's federated
 * rules ({@code FederatedRound}): at most one per agent, a re-submission replaces the earlier one
 * and never adds to it, and the vectors are aggregated in agent-id order, so every node holding the
 * same signed contributions computes the bit-identical aggregate. Bounded: a full round refuses
 * new agents. Not thread-safe (its {@link CollectiveLearning}'s lock).
 */
final class AdapterRound {
  private final long round;
  private final int maxAgents;
  private final TreeMap<NodeId, Contribution> byAgent = new TreeMap<>();

  AdapterRound(long round, int maxAgents) {
    this.round = round;
    this.maxAgents = maxAgents;
  }

  long round() {
    return round;
  }

  /**
   * Records a contribution.
   *
   * @return false if the round is full and the agent is new (nothing changes)
   */
  boolean put(Contribution c) {
    if (byAgent.size() >= maxAgents && !byAgent.containsKey(c.agent())) {
      return false;
    }
    byAgent.put(c.agent(), c);
    return true;
  }

  int size() {
    return byAgent.size();
  }

  /** The vectors in agent-id order. */
  List<float[]> vectors() {
    List<float[]> v = new ArrayList<>(byAgent.size());
    for (Contribution c : byAgent.values()) {
      v.add(c.vector());
    }
    return v;
  }

  /** The agents in id order. */
  List<NodeId> agents() {
    return List.copyOf(byAgent.keySet());
  }
}
