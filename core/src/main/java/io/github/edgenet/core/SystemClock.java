package io.github.edgenet.core;

/** The machine's clock: {@link System#nanoTime()} and {@link System#currentTimeMillis()}. */
final class SystemClock implements Clock {
  static final SystemClock INSTANCE = new SystemClock();

  private SystemClock() {}

  @Override
  public long nanos() {
    return System.nanoTime();
  }

  @Override
  public long epochMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public String toString() {
    return "Clock.system()";
  }
}
