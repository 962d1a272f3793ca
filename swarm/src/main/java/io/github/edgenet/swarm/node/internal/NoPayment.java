package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.node.TaskId;

/**
 * The honest default {@link Settlement} until the ledger is wired in: no money moves. Stateless and
 * thread-safe.
 */
public final class NoPayment implements Settlement {
  @Override
  public void escrow(TaskId task, NodeId provider, long priceMicros) {}

  @Override
  public void release(TaskId task, NodeId provider, long priceMicros) {}

  @Override
  public void refund(TaskId task, NodeId provider, long priceMicros) {}
}
