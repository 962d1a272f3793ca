package io.github.edgenet.benchmarks;

import io.github.edgenet.core.RandomSource;

/** Small helpers shared by the benchmarks: seeded inputs so every run measures the same data. */
final class Benchmarks {
  private Benchmarks() {}

  /** {@code n} standard normal floats from {@code random}. */
  static float[] gaussian(RandomSource random, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }
}
