package io.github.edgenet.economy.rewards;

import io.github.edgenet.economy.rewards.RewardException.Reason;
import io.github.edgenet.economy.internal.Int128;

/**
 * A linear vesting schedule with a cliff, with the semantics of OpenZeppelin's
 * {@code VestingWallet} and {@code VestingWalletCliff} (contracts 5.x), in epoch millis instead of
 * seconds: nothing is vested before {@code start + cliff}; from then on the vested amount is
 * {@code total * (t - start) / duration} (floored), and everything from {@code start + duration}.
 * A cliff longer than the duration is refused ({@code InvalidCliffDuration}); a zero duration vests
 * everything at {@code start}. Immutable.
 *
 * @param startMillis when vesting starts, epoch millis, >= 0
 * @param cliffMillis how long after the start nothing is vested, in [0, durationMillis]
 * @param durationMillis how long linear vesting takes, >= 0
 */
public record VestingSchedule(long startMillis, long cliffMillis, long durationMillis) {

  /**
   * Validates the schedule.
   *
   * @throws RewardException {@code INVALID_SCHEDULE} if a value is negative, the cliff exceeds the
   *     duration or the end overflows
   */
  public VestingSchedule {
    if (startMillis < 0 || cliffMillis < 0 || durationMillis < 0) {
      throw new RewardException(Reason.INVALID_SCHEDULE, "start=" + startMillis + " cliff="
          + cliffMillis + " duration=" + durationMillis + ": all must be >= 0");
    }
    if (cliffMillis > durationMillis) {
      throw new RewardException(Reason.INVALID_SCHEDULE,
          "cliff " + cliffMillis + " > duration " + durationMillis);
    }
    if (startMillis > Long.MAX_VALUE - durationMillis) {
      throw new RewardException(Reason.INVALID_SCHEDULE,
          "start " + startMillis + " + duration " + durationMillis + " overflows");
    }
  }

  /**
   * {@code start + duration}: when everything is vested.
   *
   * @return {@code start + duration}: when everything is vested
   */
  public long endMillis() {
    return startMillis + durationMillis;
  }

  /**
   * {@code start + cliff}: the first instant anything is vested.
   *
   * @return {@code start + cliff}: the first instant anything is vested
   */
  public long cliffEndMillis() {
    return startMillis + cliffMillis;
  }

  /**
   * OpenZeppelin's {@code _vestingSchedule(totalAllocation, timestamp)}: how much of {@code total}
   * is vested at {@code atMillis}.
   *
   * @param total the whole allocation, >= 0
   * @param atMillis the time, epoch millis
   * @return the vested amount, in [0, total], non-decreasing in {@code atMillis}
   * @throws IllegalArgumentException if {@code total < 0}
   */
  public long vestedAt(long total, long atMillis) {
    if (total < 0) {
      throw new IllegalArgumentException("total must be >= 0, got " + total);
    }
    if (atMillis < cliffEndMillis()) {
      return 0;
    }
    if (atMillis >= endMillis()) {
      return total;
    }
    // elapsed < duration, so the quotient is below total and always fits
    return Int128.mulDiv(total, atMillis - startMillis, durationMillis);
  }
}
