package io.github.edgenet.economy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.edgenet.core.RandomSource;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class Int128Test {
  private static long ref(long a, long b, long d) {
    BigInteger q = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b))
        .divide(BigInteger.valueOf(d));
    return q.bitLength() <= 63 ? q.longValueExact() : -1;
  }

  private static long draw(RandomSource r) {
    int bits = 1 + r.nextInt(63);
    return r.nextLong() >>> (64 - bits);
  }

  @Test
  void mulDivEqualsBigIntegerOverEveryMagnitude() {
    RandomSource r = RandomSource.seeded(3);
    for (int i = 0; i < 300_000; i++) {
      long a = draw(r);
      long b = draw(r);
      long d = Math.max(1, draw(r));
      assertEquals(ref(a, b, d), Int128.mulDiv(a, b, d), a + " * " + b + " / " + d);
    }
  }

  @Test
  void edgeCases() {
    long m = Long.MAX_VALUE;
    assertEquals(m, Int128.mulDiv(m, m, m));
    assertEquals(m - 1, Int128.mulDiv(m - 1, m, m));
    assertEquals(-1, Int128.mulDiv(m, m, m - 1));
    assertEquals(1L << 62, Int128.mulDiv(1L << 62, 1L << 62, 1L << 62));
    assertEquals(0, Int128.mulDiv(0, m, 1));
    assertEquals(-1, Int128.mulDiv(m, 2, 1));
    assertEquals(ref(m, 3, 5), Int128.mulDiv(m, 3, 5));
    assertEquals(ref(0xFFFFFFFFFFFFL, 0x7FFFFFFFFFFFL, 0x80000001L),
        Int128.mulDiv(0xFFFFFFFFFFFFL, 0x7FFFFFFFFFFFL, 0x80000001L));
  }
}
