package io.github.edgenet.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

/** The shared test helpers do what the other modules' tests rely on. */
class SharedHelpersTest {
  private static volatile Object sink;

  /** The probe sees a 1 MiB array, and sees nothing for a loop that allocates nothing. */
  @Test
  void allocationProbeCountsWhatTheThreadAllocates() {
    Allocations.assumeSupported();
    long least = Allocations.leastPerWindow(3, 1, () -> sink = new byte[1 << 20]);
    assertTrue(least >= 1 << 20 && least < (1 << 20) + 4096, "a 1 MiB array counted as " + least);
    int[] counter = new int[1];
    Runnable nothing = () -> counter[0]++;
    for (int i = 0; i < 20_000; i++) {
      nothing.run();
    }
    assertEquals(0, Allocations.leastPerWindow(10, 1000, nothing), "an allocation-free loop");
  }

  /** The digits: 1,797 samples, the class counts of scikit-learn's copy, pixels in [0, 1]. */
  @Test
  void digitsAreTheScikitLearnSet() {
    Digits d = Digits.load();
    assertEquals(Digits.SAMPLES, d.size());
    assertEquals(Digits.SAMPLES * Digits.PIXELS, d.x().length);
    int[] counts = new int[Digits.CLASSES];
    for (int label : d.y()) {
      counts[label]++;
    }
    assertArrayEquals(new int[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, counts);
    float max = 0;
    for (float v : d.x()) {
      assertTrue(v >= 0 && v <= 1, "pixel " + v);
      max = Math.max(max, v);
    }
    assertEquals(1f, max);
    assertEquals(0, d.y()[0], "the first sample is a 0");
    Digits again = Digits.load();
    assertEquals(d, again);
    assertNotSame(d.x(), again.x(), "fresh copies");
  }

  @Test
  void seededCasesEnumerateSeedsAndVariants() {
    assertEquals(List.of(5L, 6L, 7L), SeededCases.seeds(5, 3).toList());
    List<Arguments> cases = SeededCases.cross(SeededCases.seeds(1, 2), "a", "b").toList();
    assertEquals(4, cases.size());
    assertArrayEquals(new Object[] {2L, "a"}, cases.get(2).get());
    assertEquals(SeededCases.random("SharedHelpersTest", 9).nextLong(),
        io.github.edgenet.core.RandomSource.seeded(9).nextLong());
    assertEquals(-3L, SeededCases.seed("SharedHelpersTest", -3));
    assertThrows(IllegalArgumentException.class, () -> SeededCases.seeds(1, 0));
  }

  /**
   * A permutation of {@code [0, n)}, and a pinned one: the digits split and the ledger feeds of
   * other modules' tests depend on its order, which must not change silently.
   */
  @Test
  void permutationIsPinnedAndHoldsEachIndexOnce() {
    assertArrayEquals(new int[] {1, 7, 5, 0, 2, 3, 6, 4},
        SeededCases.permutation(io.github.edgenet.core.RandomSource.seeded(1), 8));
    assertArrayEquals(new int[0],
        SeededCases.permutation(io.github.edgenet.core.RandomSource.seeded(1), 0));
    int[] p = SeededCases.permutation(io.github.edgenet.core.RandomSource.seeded(2), 1797);
    boolean[] seen = new boolean[p.length];
    for (int i : p) {
      assertTrue(!seen[i], "index " + i + " twice");
      seen[i] = true;
    }
  }
}
