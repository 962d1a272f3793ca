package io.github.edgenet.core;

import java.time.Duration;

/**
 * A clock that moves only when told to: the time base of simulations and tests.
 *
 * <p>Virtual time is one counter of nanoseconds starting at zero; {@link #epochMillis()} is that
 * counter added to a fixed epoch given at construction, so both readings advance together and a run
 * is reproducible. Time never goes backwards: {@link #advanceTo(long)} with an earlier instant is an
 * error.
 *
 * <p>Thread-safe: readings are volatile reads, advances are atomic with respect to each other.
 */
public final class VirtualClock implements Clock {
  /** 2026-01-01T00:00:00Z, the default epoch of virtual time, so stamps look like real dates. */
  public static final long DEFAULT_EPOCH_MILLIS = 1_767_225_600_000L;

  private final long epochMillisAtZero;
  private volatile long nanos;

  /** A virtual clock at time zero whose wall time starts at {@link #DEFAULT_EPOCH_MILLIS}. */
  public VirtualClock() {
    this(DEFAULT_EPOCH_MILLIS);
  }

  /**
   * A virtual clock at time zero whose wall time starts at {@code epochMillisAtZero}.
   *
   * @param epochMillisAtZero the wall time at virtual time zero, in milliseconds since the epoch
   * @throws IllegalArgumentException if {@code epochMillisAtZero} is negative
   */
  public VirtualClock(long epochMillisAtZero) {
    if (epochMillisAtZero < 0) {
      throw new IllegalArgumentException("epochMillisAtZero must be >= 0, was " + epochMillisAtZero);
    }
    this.epochMillisAtZero = epochMillisAtZero;
  }

  @Override
  public long nanos() {
    return nanos;
  }

  @Override
  public long epochMillis() {
    return epochMillisAtZero + nanos / 1_000_000L;
  }

  /**
   * Moves time forward by {@code delta}.
   *
   * @param delta how far to move, not negative
   * @throws IllegalArgumentException if {@code delta} is negative
   * @throws ArithmeticException if virtual time would overflow a {@code long} of nanoseconds
   */
  public void advance(Duration delta) {
    advanceNanos(delta.toNanos());
  }

  /**
   * Moves time forward by {@code deltaNanos} nanoseconds.
   *
   * @param deltaNanos how far to move, in nanoseconds, not negative
   * @throws IllegalArgumentException if {@code deltaNanos} is negative
   */
  public synchronized void advanceNanos(long deltaNanos) {
    if (deltaNanos < 0) {
      throw new IllegalArgumentException("deltaNanos must be >= 0, was " + deltaNanos);
    }
    nanos = Math.addExact(nanos, deltaNanos);
  }

  /**
   * Sets time to {@code instantNanos}, which must not be earlier than now.
   *
   * @param instantNanos the new virtual time, in nanoseconds
   * @throws IllegalArgumentException if {@code instantNanos < nanos()}
   */
  public synchronized void advanceTo(long instantNanos) {
    if (instantNanos < nanos) {
      throw new IllegalArgumentException(
          "virtual time cannot go backwards: now " + nanos + " ns, asked for " + instantNanos + " ns");
    }
    nanos = instantNanos;
  }

  @Override
  public String toString() {
    return "VirtualClock[" + nanos + " ns]";
  }
}
