package io.github.edgenet.swarm.allocation;

/**
 * A Beta distribution over a success probability: the conjugate prior of Bernoulli outcomes.
 *
 * <p>Immutable and thread-safe.
 *
 * @param a the pseudo-count of successes, finite and {@code > 0}
 * @param b the pseudo-count of failures, finite and {@code > 0}
 */
public record BetaPosterior(double a, double b) {

  /**
   * Validates the parameters.
   *
   * @throws IllegalArgumentException if {@code a} or {@code b} is not finite and positive
   */
  public BetaPosterior {
    if (!(a > 0) || Double.isInfinite(a) || !(b > 0) || Double.isInfinite(b)) {
      throw new IllegalArgumentException("a and b must be finite and > 0, were " + a + ", " + b);
    }
  }

  /**
   * The posterior after {@code successes} successes and {@code failures} failures.
   *
   * @param successes {@code >= 0}
   * @param failures {@code >= 0}
   * @return {@code Beta(a + successes, b + failures)}
   * @throws IllegalArgumentException if a count is negative
   */
  public BetaPosterior update(long successes, long failures) {
    if (successes < 0 || failures < 0) {
      throw new IllegalArgumentException(
          "counts must be >= 0, were successes=" + successes + ", failures=" + failures);
    }
    return new BetaPosterior(a + successes, b + failures);
  }

  /**
   * The posterior mean success probability.
   *
   * @return {@code a / (a + b)}
   */
  public double mean() {
    return a / (a + b);
  }
}
