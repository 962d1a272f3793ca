package io.github.edgenet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RandomSourceTest {

  /** SplitMix64 is the generator of SplittableRandom(seed): the JDK is the reference. */
  @ParameterizedTest
  @ValueSource(longs = {0L, 1L, 42L, -1L, 1234567L, Long.MIN_VALUE})
  void matchesSplittableRandomSequence(long seed) {
    RandomSource ours = RandomSource.seeded(seed);
    SplittableRandom reference = new SplittableRandom(seed);
    for (int i = 0; i < 1000; i++) {
      assertEquals(reference.nextLong(), ours.nextLong(), "draw " + i + " for seed " + seed);
    }
  }

  /** Published SplitMix64 outputs for seed 1234567 (Vigna's splitmix64.c), printed unsigned. */
  @Test
  void matchesPublishedSplitMix64Vector() {
    RandomSource r = RandomSource.seeded(1234567L);
    for (String expected :
        new String[] {
          "6457827717110365317", "3203168211198807973", "9817491932198370423",
          "4593380528125082431", "16408922859458223821"
        }) {
      assertEquals(Long.parseUnsignedLong(expected), r.nextLong());
    }
  }

  @Test
  void derivedStreamsDependOnSeedAndKeyOnly() {
    RandomSource a = RandomSource.seeded(7);
    RandomSource b = RandomSource.seeded(7);
    for (int i = 0; i < 100; i++) {
      b.nextLong(); // drawing from the parent must not change what it derives
    }
    assertEquals(a.derive(17).nextLong(), b.derive(17).nextLong());
    assertEquals(a.derive("latency").nextLong(), b.derive("latency").nextLong());
    assertNotEquals(a.derive(17).nextLong(), a.derive(18).nextLong());
    assertNotEquals(a.derive("latency").nextLong(), a.derive("loss").nextLong());
    assertNotEquals(a.derive(17).nextLong(), RandomSource.seeded(8).derive(17).nextLong());
  }

  @Test
  void splitAdvancesTheParentDeterministically() {
    RandomSource a = RandomSource.seeded(99);
    RandomSource b = RandomSource.seeded(99);
    assertEquals(a.split().nextLong(), b.split().nextLong());
    assertEquals(a.nextLong(), b.nextLong());
  }

  @Test
  void boundedDrawsStayInRangeAndCoverIt() {
    RandomSource r = RandomSource.seeded(3);
    int[] counts = new int[10];
    for (int i = 0; i < 100_000; i++) {
      counts[r.nextInt(10)]++;
    }
    for (int c : counts) {
      // Binomial(100000, 0.1): mean 10000, sd ~95; 6 sd is a bound a broken generator would miss.
      assertEquals(10_000, c, 600);
    }
  }
}
