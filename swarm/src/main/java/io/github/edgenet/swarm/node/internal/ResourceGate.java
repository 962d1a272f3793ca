package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.swarm.node.TaskId;
import java.util.Map;

/**
 * SEAM for optimize's resource allocator: whether this node takes on one more task of a type now.
 * The provider asks {@link #offer} before it offers for a request, {@link #award} before it runs an
 * award, and tells {@link #finished} when the run is over. {@link AlwaysAdmit} takes everything;
 * {@link AllocationGate} (the default the builder installs) gives each task type a fair share of
 * the node's execution slots.
 *
 * <p>Called under the engine's lock.
 */
public interface ResourceGate {

  /**
   * Whether to offer for / run a task of {@code type} (the simple form the defaults build on).
   *
   * @param type the task type
   * @return {@code true} to take it
   */
  boolean admit(String type);

  /**
   * Whether to offer for a request; an admitted offer may hold capacity until the award comes.
   *
   * @param id the task
   * @param type its type
   * @return {@code true} to offer
   */
  default boolean offer(TaskId id, String type) {
    return admit(type);
  }

  /**
   * Whether to run an award now; if so, {@link #finished} follows.
   *
   * @param id the task
   * @param type its type
   * @return {@code true} to run it
   */
  default boolean award(TaskId id, String type) {
    return admit(type);
  }

  /**
   * The run of an admitted award is over (whatever its result).
   *
   * @param id the task
   * @param type its type
   */
  default void finished(TaskId id, String type) {}

  /**
   * How long a submitter whose request was just declined should wait before asking again: when a
   * slot is likely to be free or the shares re-split.
   *
   * @param type the declined task's type
   * @return milliseconds, {@code >= 0}
   */
  default long retryAfterMillis(String type) {
    return 0;
  }

  /**
   * Decisions that admitted a task, by type (for metrics).
   *
   * @return counts by task type; empty if not counted
   */
  default Map<String, Long> admitted() {
    return Map.of();
  }

  /**
   * Decisions that declined a task, by type (for metrics).
   *
   * @return counts by task type; empty if not counted
   */
  default Map<String, Long> declined() {
    return Map.of();
  }
}
