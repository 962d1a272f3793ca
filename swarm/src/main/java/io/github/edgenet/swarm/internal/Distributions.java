package io.github.edgenet.swarm.internal;

import io.github.edgenet.core.RandomSource;

/**
 * Draws from the distributions Thompson sampling needs, driven only by a {@link RandomSource}.
 * Stateless and thread-safe (the source is not: one per thread).
 */
public final class Distributions {
  private Distributions() {}

  /**
   * A Gamma(shape, 1) draw by Marsaglia and Tsang's method ("A simple method for generating gamma
   * variables", ACM TOMS 2000); shapes below 1 use {@code Gamma(shape + 1) * U^(1/shape)}.
   */
  public static double gamma(RandomSource r, double shape) {
    if (!(shape > 0) || Double.isInfinite(shape)) {
      throw new IllegalArgumentException("shape must be finite and > 0, was " + shape);
    }
    if (shape < 1) {
      double u = r.nextDouble();
      while (u == 0) {
        u = r.nextDouble();
      }
      return gamma(r, shape + 1) * StrictMath.pow(u, 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = r.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = r.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x || StrictMath.log(u) < 0.5 * x * x + d * (1 - v + StrictMath.log(v))) {
        return d * v;
      }
    }
  }

  /** A Beta(a, b) draw as {@code X / (X + Y)} with {@code X ~ Gamma(a)}, {@code Y ~ Gamma(b)}. */
  public static double beta(RandomSource r, double a, double b) {
    double x = gamma(r, a);
    double y = gamma(r, b);
    double s = x + y;
    return s == 0 ? 0.5 : x / s;
  }
}
