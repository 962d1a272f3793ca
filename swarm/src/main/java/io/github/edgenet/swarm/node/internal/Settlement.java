package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.node.TaskId;

/**
 * SEAM for economy's ledger: moves the submitter's money. {@link #escrow} when a task is awarded,
 * {@link #release} when its result is accepted (a vesting reward to the provider), {@link #failed}
 * when the provider failed it (executor failure, wrong result), {@link #refund} when it is not
 * needed any more. Each call happens at most once per task and provider on the submitting node (the
 * task's terminal state is stored before the call). The default, {@link NoPayment}, moves nothing:
 * prices are agreed but never paid.
 */
public interface Settlement {

  /** Holds {@code priceMicros} of the submitter's funds for {@code provider}. */
  void escrow(TaskId task, NodeId provider, long priceMicros);

  /** Pays the escrowed amount to {@code provider}. */
  void release(TaskId task, NodeId provider, long priceMicros);

  /** Returns the escrowed amount to the submitter. */
  void refund(TaskId task, NodeId provider, long priceMicros);

  /**
   * The provider failed the task: report it (its reputation's failure record) and refund. The
   * default only refunds.
   */
  default void failed(TaskId task, NodeId provider, long priceMicros) {
    refund(task, provider, priceMicros);
  }

  /**
   * The task reached its terminal state (after its own releases and refunds): whatever an earlier
   * run of this node still holds for it is returned. The default does nothing.
   */
  default void ended(TaskId task) {}
}
