package io.github.edgenet.economy.governance;

import io.github.edgenet.core.identity.NodeId;

/**
 * Historical stake, as the ledger computes it from signed operations: the voting-power source of a
 * {@link Governor} (OpenZeppelin's {@code IVotes.getPastVotes}/{@code getPastTotalSupply}).
 *
 * <p>Contract: for a time in the past the answer never changes (it depends only on operations
 * dated at or before it). The governor also caches every answer it uses, so a stake operation that
 * arrives late or back-dated cannot change a counted vote or a quorum. Implementations must be
 * thread-safe.
 */
public interface StakeHistory {
  /**
   * {@code node}'s stake at {@code atMillis}, micro-units, >= 0.
   *
   * @param node whose stake
   * @param atMillis the time, epoch millis
   * @return the stake
   */
  long stakeAt(NodeId node, long atMillis);

  /**
   * The total stake at {@code atMillis}, micro-units, >= 0.
   *
   * @param atMillis the time, epoch millis
   * @return the total
   */
  long totalStakeAt(long atMillis);
}
