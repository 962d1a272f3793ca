package io.github.edgenet.economy.governance;

import io.github.edgenet.core.identity.NodeId;
import java.util.Objects;
import java.util.Set;

/**
 * The fixed rules of a {@link Governor} (OpenZeppelin's {@code votingDelay}, {@code votingPeriod},
 * {@code GovernorVotesQuorumFraction}, {@code proposalThreshold}, the timelock's delay and grace
 * period) and the guardian keys the host configures. Immutable.
 *
 * @param votingDelayMillis from proposal to snapshot (voting opens just after it), >= 0
 * @param votingPeriodMillis from snapshot to deadline (voting closes just after it), > 0
 * @param quorumBps the share of the total stake at the snapshot that For + Abstain must reach,
 *     in [0, 10000]
 * @param proposalThresholdMicros the stake a proposer needs, >= 0
 * @param timelockDelayMillis from queueing to the earliest execution, >= 0
 * @param gracePeriodMillis how long after its eta a queued proposal stays executable, > 0
 * @param guardians the nodes allowed to cancel a succeeded or queued proposal (copied)
 */
public record GovernorSettings(
    long votingDelayMillis, long votingPeriodMillis, int quorumBps, long proposalThresholdMicros,
    long timelockDelayMillis, long gracePeriodMillis, Set<NodeId> guardians) {

  /** The most parameters one proposal may change. */
  public static final int MAX_CHANGES = NetworkParameter.values().length;
  /** The longest description, in characters. */
  public static final int MAX_DESCRIPTION_CHARS = 2_000;

  /**
   * Validates the values.
   *
   * @throws IllegalArgumentException naming the first value out of range
   */
  public GovernorSettings {
    guardians = Set.copyOf(Objects.requireNonNull(guardians, "guardians"));
    if (votingDelayMillis < 0) {
      throw new IllegalArgumentException("votingDelayMillis must be >= 0, got " + votingDelayMillis);
    }
    if (votingPeriodMillis <= 0) {
      throw new IllegalArgumentException("votingPeriodMillis must be > 0, got " + votingPeriodMillis);
    }
    if (quorumBps < 0 || quorumBps > 10_000) {
      throw new IllegalArgumentException("quorumBps must be in [0, 10000], got " + quorumBps);
    }
    if (proposalThresholdMicros < 0) {
      throw new IllegalArgumentException(
          "proposalThresholdMicros must be >= 0, got " + proposalThresholdMicros);
    }
    if (timelockDelayMillis < 0) {
      throw new IllegalArgumentException(
          "timelockDelayMillis must be >= 0, got " + timelockDelayMillis);
    }
    if (gracePeriodMillis <= 0) {
      throw new IllegalArgumentException("gracePeriodMillis must be > 0, got " + gracePeriodMillis);
    }
  }
}
