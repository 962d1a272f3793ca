package io.github.edgenet.swarm.node;

/**
 * The training signal of a task type whose adapter learns: registered beside the type's executor
 * with {@link EdgeNode.Builder#executor(String, long, TaskExecutor, TaskObjective)}.
 *
 * <p>The executor of such a type gets the type's shared adapter (a frozen snapshot of its current
 * version, see {@link TaskContext}); after each successful execution the node computes this
 * objective on the task with its trainable copy of that adapter, takes a gradient step, stores the
 * task in its replay buffer and, later, recomputes the objective for the stored task at the
 * adapter's then current weights whenever the buffer replays it. So the objective must be a pure,
 * deterministic function of its arguments: no state carried between calls, no randomness.
 *
 * <p>Called on the node's network thread, one call at a time per node, possibly many times per
 * task (once per replay). It should not allocate: it runs on the learning path of every task.
 */
@FunctionalInterface
public interface TaskObjective {

  /**
   * The loss of one task at the adapter being trained, and its gradient with respect to the
   * adapted embedding.
   *
   * @param payload the task's bytes as the submitter sent them (read only)
   * @param adapted {@code embedding + adapter(embedding)} under the trainable adapter (read only)
   * @param gradient receives {@code dLoss/dAdapted}, same length as {@code adapted}; zeroed before
   *     the call
   * @return the loss, finite and {@code >= 0} (it is also the sample's replay priority); a NaN, an
   *     infinite or a negative value, a non-finite gradient or a thrown exception skips the sample
   *     (counted in {@link LearningMetrics#skippedSamples()}), with no other effect
   */
  float loss(byte[] payload, float[] adapted, float[] gradient);
}
