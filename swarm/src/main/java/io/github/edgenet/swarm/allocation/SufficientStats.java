package io.github.edgenet.swarm.allocation;

/**
 * The sufficient statistics of one origin's observations of one (worker, task type): count, mean
 * and sum of squared deviations of the latencies (Welford), and the number of successes.
 *
 * <p>Immutable and thread-safe.
 *
 * @param n observations, {@code >= 0}
 * @param mean mean latency (0 when {@code n == 0})
 * @param m2 sum of squared deviations from the mean, {@code >= 0}
 * @param successes successful observations, in {@code [0, n]}
 */
public record SufficientStats(long n, double mean, double m2, long successes) {
  /** No observations. */
  public static final SufficientStats EMPTY = new SufficientStats(0, 0, 0, 0);

  /**
   * Validates the components.
   *
   * @throws IllegalArgumentException if a count is out of range or a value not finite
   */
  public SufficientStats {
    if (n < 0 || successes < 0 || successes > n || !Double.isFinite(mean) || !(m2 >= 0)
        || Double.isInfinite(m2)) {
      throw new IllegalArgumentException(
          "invalid statistics n=" + n + ", mean=" + mean + ", m2=" + m2 + ", successes=" + successes);
    }
  }

  /**
   * These statistics with one more observation (Welford's update).
   *
   * @param latency the observed latency, finite
   * @param success whether the task succeeded
   * @return the new statistics
   */
  public SufficientStats add(double latency, boolean success) {
    long n1 = n + 1;
    double delta = latency - mean;
    double mean1 = mean + delta / n1;
    return new SufficientStats(n1, mean1, m2 + delta * (latency - mean1), successes + (success ? 1 : 0));
  }

  /**
   * The statistics of the union of two disjoint sets of observations (Chan, Golub and LeVeque's
   * pairwise formula).
   *
   * @param o the other statistics
   * @return the combined statistics
   */
  public SufficientStats combine(SufficientStats o) {
    if (o.n == 0) {
      return this;
    }
    if (n == 0) {
      return o;
    }
    long nn = Math.addExact(n, o.n);
    double delta = o.mean - mean;
    double m = mean + delta * o.n / nn;
    double q = m2 + o.m2 + delta * delta * ((double) n * o.n / nn);
    return new SufficientStats(nn, m, q, successes + o.successes);
  }

  /** Total order used to settle two different statistics of the same count from one origin. */
  int compareContent(SufficientStats o) {
    int c = Long.compare(n, o.n);
    if (c == 0) {
      c = Double.compare(mean, o.mean);
    }
    if (c == 0) {
      c = Double.compare(m2, o.m2);
    }
    if (c == 0) {
      c = Long.compare(successes, o.successes);
    }
    return c;
  }
}
