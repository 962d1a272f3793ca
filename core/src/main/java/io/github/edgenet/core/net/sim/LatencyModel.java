package io.github.edgenet.core.net.sim;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The distribution of one-way message latency on a simulated link, in nanoseconds of virtual time.
 *
 * <p>The factories cover the usual shapes: {@link #constant constant}, {@link #uniform uniform},
 * {@link #normal normal} (clamped at zero), {@link #logNormal log-normal} (heavy right tail, the
 * typical shape of internet round trips) and {@link #exponential shifted exponential} (a fixed
 * propagation delay plus queueing jitter). Any latency that is not constant reorders messages,
 * since each one draws its own.
 *
 * <p>Custom implementations are allowed. To keep runs reproducible they must be pure: draw every
 * random number from the generator passed in, and nothing else (no clocks, no global randomness,
 * no mutable state). They must return values {@code >= minNanos()} and {@code >= 0}; a negative
 * one makes the sending call throw {@link IllegalStateException}. Samples are taken on the
 * simulator's thread; the factories return immutable, thread-safe models.
 */
public interface LatencyModel {

  /**
   * Draws one latency.
   *
   * @param random the generator to draw from (the simulator passes the sending node's own stream)
   * @return a latency in nanoseconds, {@code >= minNanos()}
   */
  long sampleNanos(RandomGenerator random);

  /**
   * A lower bound of every sample, in nanoseconds: no message on the link arrives sooner.
   *
   * @return a lower bound of every sample, in nanoseconds
   */
  long minNanos();

  /**
   * Always {@code latency}.
   *
   * @param latency the latency of every message, {@code >= 0} and at most 2^62 ns
   * @return a model whose every sample is {@code latency}
   * @throws IllegalArgumentException if {@code latency} is negative
   */
  static LatencyModel constant(Duration latency) {
    return new LatencyModels.Constant(LatencyModels.nanos("latency", latency));
  }

  /**
   * Uniform on {@code [min, max]}, in whole nanoseconds.
   *
   * @param min the smallest latency, {@code >= 0}
   * @param max the largest latency, {@code >= min} and at most 2^62 ns
   * @return a model drawing whole nanoseconds uniformly from {@code [min, max]} (a constant one
   *     when they are equal)
   * @throws IllegalArgumentException if {@code min} is negative or {@code max < min}
   */
  static LatencyModel uniform(Duration min, Duration max) {
    long lo = LatencyModels.nanos("min", min);
    long hi = LatencyModels.nanos("max", max);
    if (hi < lo) {
      throw new IllegalArgumentException("max must be >= min, was max " + max + " < min " + min);
    }
    return lo == hi ? new LatencyModels.Constant(lo) : new LatencyModels.Uniform(lo, hi);
  }

  /**
   * Normal with the given mean and standard deviation, negative draws clamped to zero (so
   * {@link #minNanos()} is 0).
   *
   * @param mean the mean latency, {@code >= 0}
   * @param stdDev the standard deviation, {@code >= 0}
   * @return a model drawing from the normal distribution, clamped at zero
   * @throws IllegalArgumentException if {@code mean} or {@code stdDev} is negative
   */
  static LatencyModel normal(Duration mean, Duration stdDev) {
    return new LatencyModels.Normal(
        LatencyModels.nanos("mean", mean), LatencyModels.nanos("stdDev", stdDev));
  }

  /**
   * Log-normal: {@code median * exp(sigma * Z)} with {@code Z} standard normal. {@code sigma} of
   * 0.5 gives a 90th percentile near 1.9 times the median.
   *
   * @param median the median latency, {@code >= 0}
   * @param sigma the standard deviation of the underlying normal, finite and {@code >= 0} (0 gives
   *     a constant {@code median})
   * @return a model drawing {@code median * exp(sigma * Z)}
   * @throws IllegalArgumentException if {@code median} is negative or {@code sigma} is negative,
   *     infinite or NaN
   */
  static LatencyModel logNormal(Duration median, double sigma) {
    if (!(sigma >= 0) || Double.isInfinite(sigma)) {
      throw new IllegalArgumentException("sigma must be finite and >= 0, was " + sigma);
    }
    return new LatencyModels.LogNormal(LatencyModels.nanos("median", median), sigma);
  }

  /**
   * {@code base} plus an exponentially distributed jitter with mean {@code meanJitter}: the base is
   * the minimum, the mean is {@code base + meanJitter}.
   *
   * @param base the minimum latency, {@code >= 0}
   * @param meanJitter the mean of the exponential part added to it, {@code >= 0}
   * @return a model drawing {@code base} plus an exponential jitter
   * @throws IllegalArgumentException if {@code base} or {@code meanJitter} is negative
   */
  static LatencyModel exponential(Duration base, Duration meanJitter) {
    return new LatencyModels.Exponential(
        LatencyModels.nanos("base", base), LatencyModels.nanos("meanJitter", meanJitter));
  }
}
