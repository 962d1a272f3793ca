package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.node.Task;
import io.github.edgenet.swarm.node.TaskId;

/**
 * The honest default {@link OutcomeSink} until learning and stigmergy are wired in: outcomes teach
 * nothing and leave no trail. Stateless and thread-safe.
 */
public final class NoLearning implements OutcomeSink {
  @Override
  public void outcome(TaskId id, Task task, NodeId provider, byte[] result, long latencyNanos) {}
}
