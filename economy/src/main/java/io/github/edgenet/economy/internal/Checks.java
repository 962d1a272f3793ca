package io.github.edgenet.economy.internal;

/** Argument checks shared by the market machines: messages name the parameter and its value. */
public final class Checks {
  private Checks() {}

  /** Returns {@code v} if {@code v >= 0}, else throws naming {@code name}. */
  public static long nonNegative(String name, long v) {
    if (v < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + v);
    }
    return v;
  }

  /** Returns {@code v} if {@code v > 0}, else throws naming {@code name}. */
  public static long positive(String name, long v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + v);
    }
    return v;
  }

  /** Returns {@code v} if {@code 0 <= v <= max}, else throws naming {@code name}. */
  public static long inRange(String name, long v, long min, long max) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(
          name + " must be in [" + min + ", " + max + "], got " + v);
    }
    return v;
  }
}
