package io.github.edgenet.optimize.search;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.testing.Digits;
import io.github.edgenet.core.testing.SeededCases;

/**
 * The scikit-learn digits of core's test helper {@link Digits} (1,797 8x8 images, pixels scaled
 * to [0, 1]), split at random (seeded) into train, validation and test sets.
 */
public final class DigitsSplit {
  public static final int PIXELS = 64;
  public static final int CLASSES = 10;

  /** Samples: {@code x} is {@code n x 64} row-major, {@code y} the labels. */
  public record Set(float[] x, int[] y) {
    public int size() {
      return y.length;
    }
  }

  /** A split. */
  public record Split(Set train, Set valid, Set test) {}

  private static final Set ALL = load();

  private DigitsSplit() {}

  /**
   * 1,000 train, 397 validation, 400 test samples, in the order of {@link
   * SeededCases#permutation} drawn from {@code RandomSource.seeded(seed)}.
   */
  public static Split split(long seed) {
    int n = ALL.size();
    int[] p = SeededCases.permutation(RandomSource.seeded(seed), n);
    return new Split(subset(p, 0, 1000), subset(p, 1000, n - 400), subset(p, n - 400, n));
  }

  private static Set subset(int[] p, int from, int to) {
    float[] x = new float[(to - from) * PIXELS];
    int[] y = new int[to - from];
    for (int k = from; k < to; k++) {
      System.arraycopy(ALL.x, p[k] * PIXELS, x, (k - from) * PIXELS, PIXELS);
      y[k - from] = ALL.y[p[k]];
    }
    return new Set(x, y);
  }

  private static Set load() {
    Digits d = Digits.load();
    return new Set(d.x(), d.y());
  }
}
