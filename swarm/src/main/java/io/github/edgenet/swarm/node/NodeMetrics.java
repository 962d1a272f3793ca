package io.github.edgenet.swarm.node;

import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of one node's counters, as returned by {@link EdgeNode#metrics()}. Counts are since the
 * node object was built (a restarted node starts again from zero; its task records persist).
 *
 * <p>Immutable and thread-safe.
 *
 * @param tasksByState tasks this node submitted, by state (every state present, possibly 0)
 * @param failuresByReason failed submitted tasks by reason (every reason present)
 * @param executions tasks this node ran for submitters (as primary or cross-check)
 * @param executionsFromStore repeated awards answered from storage without running again
 * @param latencyP50Nanos median time from submit to accepted result, in nanoseconds of the
 *     node's clock (0 before the first completion); HdrHistogram, 3 significant digits
 * @param latencyP99Nanos 99th percentile of the same
 * @param latencyMaxNanos largest of the same
 * @param messagesIn messages that arrived (before any check)
 * @param messagesOut messages this node sent (each gossip copy counts)
 * @param bytesIn bytes that arrived
 * @param bytesOut bytes sent
 * @param rejectedByReason messages dropped, by reason (every reason present)
 * @param misbehaviourRecords pieces of misbehaviour evidence recorded (failed verification,
 *     mismatching cross-checks)
 * @param adapterHits task embeddings routed to an existing adapter
 * @param adapterMisses task embeddings that needed a new adapter
 * @param knownProviders peers whose capability announcement this node holds
 * @param admittedByType offers and awards the node's allocator admitted, by task type (empty
 *     without an allocator)
 * @param declinedByType offers and awards it declined because the type was at its share of the
 *     node's execution slots or the node was full, by task type
 * @param learning what the node's learned task types did ({@link LearningMetrics#NONE} without
 *     any)
 * @param economy prices paid, auctions, adjudication and slashes
 */
public record NodeMetrics(
    Map<TaskState, Long> tasksByState,
    Map<TaskFailedException.Reason, Long> failuresByReason,
    long executions,
    long executionsFromStore,
    long latencyP50Nanos,
    long latencyP99Nanos,
    long latencyMaxNanos,
    long messagesIn,
    long messagesOut,
    long bytesIn,
    long bytesOut,
    Map<RejectionReason, Long> rejectedByReason,
    long misbehaviourRecords,
    long adapterHits,
    long adapterMisses,
    int knownProviders,
    Map<String, Long> admittedByType,
    Map<String, Long> declinedByType,
    LearningMetrics learning,
    EconomyMetrics economy) {

  /**
   * Copies the maps (unmodifiable).
   *
   * @throws NullPointerException if a map or {@code economy} is null
   */
  public NodeMetrics {
    tasksByState = Map.copyOf(Objects.requireNonNull(tasksByState, "tasksByState"));
    failuresByReason = Map.copyOf(Objects.requireNonNull(failuresByReason, "failuresByReason"));
    rejectedByReason = Map.copyOf(Objects.requireNonNull(rejectedByReason, "rejectedByReason"));
    admittedByType = Map.copyOf(Objects.requireNonNull(admittedByType, "admittedByType"));
    declinedByType = Map.copyOf(Objects.requireNonNull(declinedByType, "declinedByType"));
    Objects.requireNonNull(learning, "learning");
    Objects.requireNonNull(economy, "economy");
  }

  /**
   * Messages rejected for any reason.
   *
   * @return the sum of {@link #rejectedByReason()} over every reason, 0 or more
   */
  public long rejectedTotal() {
    return rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Tasks submitted here that are in {@code state} now.
   *
   * @param state the task state
   * @return how many tasks submitted here are in it, 0 if none
   */
  public long tasks(TaskState state) {
    return tasksByState.getOrDefault(state, 0L);
  }

  /**
   * Messages rejected for {@code reason}.
   *
   * @param reason the rejection reason
   * @return how many messages were rejected for it, 0 if none
   */
  public long rejected(RejectionReason reason) {
    return rejectedByReason.getOrDefault(reason, 0L);
  }
}
