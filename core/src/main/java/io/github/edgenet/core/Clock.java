package io.github.edgenet.core;

/**
 * The only source of time for edgenet code. Library classes never read the machine's clocks
 * themselves: they are handed a {@code Clock}, so that a simulation or a test driven by a
 * {@link VirtualClock} replays exactly from its seed.
 *
 * <p>Two readings are offered because they answer different questions: {@link #nanos()} measures
 * elapsed time (monotonic, arbitrary origin), {@link #epochMillis()} stamps messages and records
 * (wall time, milliseconds since 1970-01-01T00:00Z, may jump on a real machine).
 *
 * <p>Implementations must be thread-safe.
 */
public interface Clock {

  /**
   * Monotonic time in nanoseconds from an arbitrary origin; only differences are meaningful.
   * Successive calls never go backwards.
   *
   * @return the current monotonic time, in nanoseconds
   */
  long nanos();

  /**
   * Wall-clock time in milliseconds since the Unix epoch.
   *
   * @return the current wall-clock time, in milliseconds since 1970-01-01T00:00Z
   */
  long epochMillis();

  /**
   * The machine's clock. This is the one place in the library that reads real time.
   *
   * @return the machine's clock
   */
  static Clock system() {
    return SystemClock.INSTANCE;
  }
}
