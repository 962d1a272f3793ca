package io.github.edgenet.economy.rewards;

import io.github.edgenet.core.identity.NodeId;

/**
 * A snapshot of one vesting grant (immutable; {@link VestingBook#lookup} returns a fresh one).
 *
 * @param id the grant's id, unique in its book
 * @param recipient who may claim it
 * @param funder who funded it and may claw back its unvested part
 * @param total the allocation in micro-units; after a claw-back, what had vested by then
 * @param released what the recipient has claimed so far
 * @param clawedBack what was returned to the funder (0 unless clawed back)
 * @param schedule how it vests
 * @param clawedBackAtMillis when it was clawed back, or -1
 */
public record Grant(
    long id, NodeId recipient, NodeId funder, long total, long released, long clawedBack,
    VestingSchedule schedule, long clawedBackAtMillis) {

  /**
   * Whether the grant was clawed back.
   *
   * @return true if the grant was clawed back
   */
  public boolean isClawedBack() {
    return clawedBackAtMillis >= 0;
  }

  /**
   * VestingWallet's {@code vestedAmount(timestamp)}: vested at {@code atMillis}, in [0, total].
   *
   * @param atMillis the time, epoch millis
   * @return the vested amount in micro-units, in [0, total]; the whole total once clawed back
   */
  public long vestedAt(long atMillis) {
    return isClawedBack() ? total : schedule.vestedAt(total, atMillis);
  }

  /**
   * VestingWallet's {@code releasable()}: vested but not yet claimed, never negative.
   *
   * @param atMillis the time, epoch millis
   * @return what a release at {@code atMillis} would pay, micro-units
   */
  public long releasableAt(long atMillis) {
    return Math.max(0, vestedAt(atMillis) - released);
  }
}
