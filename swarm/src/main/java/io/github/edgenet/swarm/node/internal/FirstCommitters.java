package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.node.Task;
import java.util.List;

/**
 * The plain {@link CandidateSelector}: the first committers in arrival order. No learning from
 * history, no pheromones. Stateless and thread-safe.
 */
public final class FirstCommitters implements CandidateSelector {

  @Override
  public List<NodeId> shortlist(Task task, List<NodeId> committers, int size) {
    return List.copyOf(committers.subList(0, Math.min(size, committers.size())));
  }
}
