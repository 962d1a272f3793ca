package io.github.edgenet.core.net.sim;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** The built-in {@link LatencyModel}s. Package-private: reached through the factories. */
final class LatencyModels {
  /** Samples are capped here (about 146 years) so that {@code now + latency} cannot overflow. */
  static final long CAP_NANOS = 1L << 62;

  private LatencyModels() {}

  static long nanos(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must be >= 0, was " + d);
    }
    try {
      long n = d.toNanos();
      if (n > CAP_NANOS) {
        throw new IllegalArgumentException(name + " must be <= 2^62 ns, was " + d);
      }
      return n;
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(name + " must be <= 2^62 ns, was " + d, e);
    }
  }

  static long clamp(double nanos) {
    if (!(nanos > 0)) {
      return 0;
    }
    return nanos >= CAP_NANOS ? CAP_NANOS : (long) nanos;
  }

  record Constant(long nanos) implements LatencyModel {
    @Override
    public long sampleNanos(RandomGenerator random) {
      return nanos;
    }

    @Override
    public long minNanos() {
      return nanos;
    }

    @Override
    public String toString() {
      return "constant(" + Duration.ofNanos(nanos) + ")";
    }
  }

  record Uniform(long min, long max) implements LatencyModel {
    @Override
    public long sampleNanos(RandomGenerator random) {
      return min + random.nextLong(max - min + 1);
    }

    @Override
    public long minNanos() {
      return min;
    }

    @Override
    public String toString() {
      return "uniform(" + Duration.ofNanos(min) + ", " + Duration.ofNanos(max) + ")";
    }
  }

  record Normal(long mean, long stdDev) implements LatencyModel {
    @Override
    public long sampleNanos(RandomGenerator random) {
      return clamp(mean + stdDev * random.nextGaussian());
    }

    @Override
    public long minNanos() {
      return stdDev == 0 ? mean : 0;
    }

    @Override
    public String toString() {
      return "normal(" + Duration.ofNanos(mean) + ", " + Duration.ofNanos(stdDev) + ")";
    }
  }

  record LogNormal(long median, double sigma) implements LatencyModel {
    @Override
    public long sampleNanos(RandomGenerator random) {
      return clamp(median * StrictMath.exp(sigma * random.nextGaussian()));
    }

    @Override
    public long minNanos() {
      return sigma == 0 ? median : 0;
    }

    @Override
    public String toString() {
      return "logNormal(" + Duration.ofNanos(median) + ", " + sigma + ")";
    }
  }

  record Exponential(long base, long meanJitter) implements LatencyModel {
    @Override
    public long sampleNanos(RandomGenerator random) {
      return base + Math.min(CAP_NANOS - base, clamp(meanJitter * random.nextExponential()));
    }

    @Override
    public long minNanos() {
      return base;
    }

    @Override
    public String toString() {
      return "exponential(" + Duration.ofNanos(base) + ", " + Duration.ofNanos(meanJitter) + ")";
    }
  }
}
