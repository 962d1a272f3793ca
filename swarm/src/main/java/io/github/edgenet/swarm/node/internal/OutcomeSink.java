package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.node.Task;
import io.github.edgenet.swarm.node.TaskId;

/**
 * SEAM for learning (replay buffer, adapter gradients, gossiped deltas, EWC) and for the swarm's
 * stigmergy and collective memory (pheromone deposit, pattern storage): hears the outcome of every
 * task this node submitted, once, after its terminal state is stored. The default, {@link
 * NoLearning}, ignores it.
 *
 * <p>Called on the submitting node's network thread.
 */
public interface OutcomeSink {

  /**
   * A task ended.
   *
   * @param id the task
   * @param task the task as submitted
   * @param provider the provider whose result was accepted, or null if it failed
   * @param result the accepted result, or null if it failed
   * @param latencyNanos submit to outcome, in nanoseconds of the node's clock
   */
  void outcome(TaskId id, Task task, NodeId provider, byte[] result, long latencyNanos);

  /**
   * A provider's result for a task this node submitted was not accepted: its executor failed, the
   * verifier rejected it, or a cross-check outvoted it. Called before {@link #outcome}, possibly
   * several times per task (once per failing provider). The default does nothing.
   *
   * @param id the task
   * @param task the task as submitted
   * @param provider the provider whose result failed
   * @param latencyNanos submit to the failure, in nanoseconds of the node's clock
   */
  default void providerFailed(TaskId id, Task task, NodeId provider, long latencyNanos) {}
}
