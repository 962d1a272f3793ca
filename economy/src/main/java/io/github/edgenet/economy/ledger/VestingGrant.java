package io.github.edgenet.economy.ledger;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.rewards.VestingSchedule;

/**
 * A snapshot of one vesting grant as the ledger's fold sees it (immutable). The grant's money is
 * held by the ledger (it counts in {@link Ledger#circulating()}), not by either account's balance.
 *
 * @param id the id of the {@link OperationBody.EscrowVest} that created it
 * @param funder who released the escrow as a grant, and may claw back its unvested part
 * @param recipient the escrow's worker, who claims it
 * @param total the allocation in micro-units; after a claw-back, what had vested by then (or
 *     what had been claimed, if a claim later in time was folded before the claw-back)
 * @param released what the recipient has claimed so far
 * @param clawedBack what went back to the funder (0 unless clawed back)
 * @param schedule start (the vest operation's timestamp), cliff and duration
 * @param clawedBackAtMillis when it was clawed back, or -1
 */
public record VestingGrant(
    OperationId id, NodeId funder, NodeId recipient, long total, long released, long clawedBack,
    VestingSchedule schedule, long clawedBackAtMillis) {

  /**
   * VestingWallet's {@code vestedAmount(timestamp)}.
   *
   * @param atMillis epoch milliseconds
   * @return the vested amount in [0, total]; the whole (reduced) total once clawed back
   */
  public long vestedAt(long atMillis) {
    return clawedBackAtMillis >= 0 ? total : schedule.vestedAt(total, atMillis);
  }

  /**
   * VestingWallet's {@code releasable()}: what a claim at {@code atMillis} would pay.
   *
   * @param atMillis epoch milliseconds
   * @return vested less released, never negative
   */
  public long releasableAt(long atMillis) {
    return Math.max(0, vestedAt(atMillis) - released);
  }

  /** What the grant still holds: neither claimed nor clawed back. */
  public long outstanding() {
    return total - released;
  }
}
