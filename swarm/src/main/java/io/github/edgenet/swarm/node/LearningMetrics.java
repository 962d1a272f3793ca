package io.github.edgenet.swarm.node;

import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of what a node's learned task types did, part of {@link NodeMetrics}. Counts are
 * since the node object was built. Immutable and thread-safe.
 *
 * @param versionByType the version of each learned type's shared adapter (rounds aggregated into
 *     it; 0 = the initial adapter)
 * @param trainedSamples executed tasks that gave a training step
 * @param skippedSamples executed or replayed tasks whose objective gave no usable loss
 * @param replayedSamples tasks drawn again from the replay buffer, their gradients recomputed
 * @param consolidations EWC consolidations (one per detected shift of a type's embeddings)
 * @param contributionsSent signed contributions this node sent (one per peer)
 * @param contributionsAccepted peers' contributions that entered a round
 * @param rejectedByReason peers' learning messages dropped, by reason (every reason present)
 * @param roundsAggregated rounds whose contributions replaced a type's shared adapter
 * @param roundsSkipped rounds with fewer contributions than the minimum, or a non-finite aggregate
 * @param disagreement the relative distance {@code |own - aggregate| / |aggregate|} of this node's
 *     last contribution from the round's aggregate, averaged over the learned types (0 before any
 *     round): how far the providers' adapters drift apart between rounds
 */
public record LearningMetrics(
    Map<String, Long> versionByType,
    long trainedSamples,
    long skippedSamples,
    long replayedSamples,
    long consolidations,
    long contributionsSent,
    long contributionsAccepted,
    Map<Rejection, Long> rejectedByReason,
    long roundsAggregated,
    long roundsSkipped,
    double disagreement) {

  /** Why a peer's learning message was dropped (nothing else changes). */
  public enum Rejection {
    /** The envelope failed core's checks (signature, freshness, replay, size). */
    ENVELOPE,
    /** The payload does not parse or has trailing bytes. */
    MALFORMED,
    /** A task type this node does not learn. */
    NOT_LEARNED,
    /** The parameter count differs from this node's adapter of the type. */
    WRONG_DIMENSION,
    /** A NaN or infinite parameter, or an out-of-range field. */
    INVALID,
    /** A round that is not the current or the previous one. */
    WRONG_ROUND,
    /** Computed from a version more than {@code maxStaleness} behind this node's, or ahead of
     * the round. */
    STALE,
    /** The round already holds the most contributions it keeps. */
    ROUND_FULL
  }

  /** No learning at all. */
  public static final LearningMetrics NONE = new LearningMetrics(Map.of(), 0, 0, 0, 0, 0, 0,
      zeroRejections(), 0, 0, 0);

  /**
   * Copies the maps (unmodifiable).
   *
   * @throws NullPointerException if a map is null
   */
  public LearningMetrics {
    versionByType = Map.copyOf(Objects.requireNonNull(versionByType, "versionByType"));
    rejectedByReason = Map.copyOf(Objects.requireNonNull(rejectedByReason, "rejectedByReason"));
  }

  /**
   * Learning messages rejected for any reason.
   *
   * @return the sum of {@link #rejectedByReason()} over every reason, 0 or more
   */
  public long rejectedTotal() {
    return rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Learning messages rejected for {@code reason}.
   *
   * @param reason the rejection reason
   * @return how many messages were rejected for it, 0 if none
   */
  public long rejected(Rejection reason) {
    return rejectedByReason.getOrDefault(reason, 0L);
  }

  private static Map<Rejection, Long> zeroRejections() {
    Map<Rejection, Long> m = new java.util.EnumMap<>(Rejection.class);
    for (Rejection r : Rejection.values()) {
      m.put(r, 0L);
    }
    return m;
  }
}
