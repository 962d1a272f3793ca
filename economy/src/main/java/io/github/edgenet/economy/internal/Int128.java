package io.github.edgenet.economy.internal;

/**
 * Exact {@code floor(a * b / d)} for non-negative longs through a 128-bit intermediate, without
 * allocating: {@link Math#multiplyHigh} for the product and Knuth's algorithm D for two 32-bit
 * digits (Hacker's Delight, {@code divlu}) for the division. The hot paths of the market use it
 * where a {@link java.math.BigInteger} would allocate. Stateless and thread-safe.
 */
public final class Int128 {
  private static final long B = 1L << 32;
  private static final long MASK = B - 1;

  private Int128() {}

  /**
   * {@code floor(a * b / d)}, or -1 if the quotient does not fit in 63 bits.
   *
   * @param a a factor, >= 0
   * @param b a factor, >= 0
   * @param d the divisor, > 0
   * @return the quotient, or -1 on overflow
   */
  public static long mulDiv(long a, long b, long d) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    if (hi == 0 && lo >= 0) {
      return lo / d;
    }
    if (Long.compareUnsigned(hi, d) >= 0) {
      return -1;
    }
    long q = divide(hi, lo, d);
    return q < 0 ? -1 : q;
  }

  /**
   * The unsigned quotient of the 128-bit {@code hi:lo} by {@code d}; requires
   * {@code hi <u d} (so the quotient fits 64 bits).
   */
  static long divide(long hi, long lo, long d) {
    int s = Long.numberOfLeadingZeros(d);
    d <<= s;
    long un32 = s == 0 ? hi : (hi << s) | (lo >>> (64 - s));
    long un10 = lo << s;
    long vn1 = d >>> 32;
    long vn0 = d & MASK;
    long un1 = un10 >>> 32;
    long un0 = un10 & MASK;
    long q1 = Long.divideUnsigned(un32, vn1);
    long rhat = un32 - q1 * vn1;
    while (Long.compareUnsigned(q1, B) >= 0
        || Long.compareUnsigned(q1 * vn0, (rhat << 32) | un1) > 0) {
      q1--;
      rhat += vn1;
      if (Long.compareUnsigned(rhat, B) >= 0) {
        break;
      }
    }
    long un21 = (un32 << 32) + un1 - q1 * d;
    long q0 = Long.divideUnsigned(un21, vn1);
    rhat = un21 - q0 * vn1;
    while (Long.compareUnsigned(q0, B) >= 0
        || Long.compareUnsigned(q0 * vn0, (rhat << 32) | un0) > 0) {
      q0--;
      rhat += vn1;
      if (Long.compareUnsigned(rhat, B) >= 0) {
        break;
      }
    }
    return (q1 << 32) | q0;
  }
}
