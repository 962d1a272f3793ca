package io.github.edgenet.swarm.allocation;

/**
 * A Normal-Gamma distribution over the unknown mean {@code mu} and precision {@code tau} of a
 * normal latency: {@code tau ~ Gamma(alpha, rate beta)}, {@code mu | tau ~ Normal(mu0, 1 / (lambda
 * tau))}. It is the conjugate prior of a normal with unknown mean and variance (Murphy, "Conjugate
 * Bayesian analysis of the Gaussian distribution", 2007, section 3). Latencies are in whatever unit
 * the caller records (seconds in the examples).
 *
 * <p>Immutable and thread-safe.
 *
 * @param mu the location of the mean
 * @param lambda the pseudo-count behind {@code mu}, {@code > 0}
 * @param alpha the shape of the precision, {@code > 0}
 * @param beta the rate of the precision, {@code > 0}
 */
public record NormalGamma(double mu, double lambda, double alpha, double beta) {

  /**
   * Validates the parameters.
   *
   * @throws IllegalArgumentException if {@code mu} is not finite or another parameter is not
   *     finite and positive, naming it
   */
  public NormalGamma {
    if (!Double.isFinite(mu)) {
      throw new IllegalArgumentException("mu must be finite, was " + mu);
    }
    positive("lambda", lambda);
    positive("alpha", alpha);
    positive("beta", beta);
  }

  private static void positive(String name, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " must be finite and > 0, was " + v);
    }
  }

  /**
   * The posterior after {@code n} observations of mean {@code mean} and sum of squared deviations
   * from that mean {@code m2}: {@code mu' = (lambda mu + n mean) / (lambda + n)}, {@code lambda' =
   * lambda + n}, {@code alpha' = alpha + n/2}, {@code beta' = beta + m2/2 + lambda n (mean - mu)^2 /
   * (2 (lambda + n))}. With {@code n == 0} this distribution itself.
   *
   * @param n the number of observations, {@code >= 0}
   * @param mean their mean (ignored when {@code n == 0})
   * @param m2 the sum of their squared deviations from {@code mean}, {@code >= 0}
   * @return the posterior
   * @throws IllegalArgumentException if {@code n < 0}, {@code m2 < 0} or a value is not finite
   */
  public NormalGamma update(long n, double mean, double m2) {
    if (n < 0 || !(m2 >= 0) || !Double.isFinite(mean) || Double.isInfinite(m2)) {
      throw new IllegalArgumentException(
          "need n >= 0, finite mean and m2 >= 0; was n=" + n + ", mean=" + mean + ", m2=" + m2);
    }
    if (n == 0) {
      return this;
    }
    double ln = lambda + n;
    double dm = mean - mu;
    return new NormalGamma(
        (lambda * mu + n * mean) / ln, ln, alpha + n / 2.0, beta + m2 / 2 + lambda * n * dm * dm / (2 * ln));
  }

  /**
   * The expected latency mean, {@code mu}.
   *
   * @return {@code mu}
   */
  public double meanOfMean() {
    return mu;
  }
}
