package io.github.edgenet.swarm.consensus;

import java.time.Duration;
import java.util.Objects;

/**
 * The parameters of {@link EntropyConsensus}; {@link #defaults(int)} and {@link #builder(int)}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param options the number of options {@code k}, in [2, 65535]
 * @param period the time between two rounds of one node (default 100 ms)
 * @param fanout how many random peers each round's opinion is gossiped to (default 3)
 * @param initialRate the learning rate {@code eta0} of round 0, in (0, 1] (default 0.5)
 * @param annealingRounds {@code T} in {@code eta_r = eta0 / (1 + r / T)}, {@code > 0} (default 10)
 * @param qualityExponent {@code beta}: a vote for option {@code o} is weighted by {@code
 *     quality[o]^beta} (default 2; 0 ignores qualities)
 * @param neighbourTimeout how long a neighbour's last opinion counts without news (default 3
 *     periods): crashed or silent neighbours drop out after it
 * @param maxNeighbours the most neighbours whose opinions are held (default 256)
 * @param entropyThreshold converged when {@code H(p) / ln k} is below this, in (0, 1) (default 0.1)
 * @param delta converged also when the top preference exceeds {@code 1 - delta}, in (0, 1) (default
 *     0.02)
 */
public record ConsensusConfig(
    int options,
    Duration period,
    int fanout,
    double initialRate,
    double annealingRounds,
    double qualityExponent,
    Duration neighbourTimeout,
    int maxNeighbours,
    double entropyThreshold,
    double delta) {

  /**
   * Validates every component.
   *
   * @throws IllegalArgumentException naming the first component out of range and its value
   */
  public ConsensusConfig {
    if (options < 2 || options > 65535) {
      throw new IllegalArgumentException("options must be in [2, 65535], was " + options);
    }
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(neighbourTimeout, "neighbourTimeout");
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be > 0, was " + period);
    }
    if (neighbourTimeout.isNegative() || neighbourTimeout.isZero()) {
      throw new IllegalArgumentException("neighbourTimeout must be > 0, was " + neighbourTimeout);
    }
    if (fanout < 1) {
      throw new IllegalArgumentException("fanout must be >= 1, was " + fanout);
    }
    if (!(initialRate > 0 && initialRate <= 1)) {
      throw new IllegalArgumentException("initialRate must be in (0, 1], was " + initialRate);
    }
    if (!(annealingRounds > 0) || Double.isInfinite(annealingRounds)) {
      throw new IllegalArgumentException("annealingRounds must be finite and > 0, was " + annealingRounds);
    }
    if (!(qualityExponent >= 0) || Double.isInfinite(qualityExponent)) {
      throw new IllegalArgumentException("qualityExponent must be finite and >= 0, was " + qualityExponent);
    }
    if (maxNeighbours < 1) {
      throw new IllegalArgumentException("maxNeighbours must be >= 1, was " + maxNeighbours);
    }
    if (!(entropyThreshold > 0 && entropyThreshold < 1)) {
      throw new IllegalArgumentException("entropyThreshold must be in (0, 1), was " + entropyThreshold);
    }
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("delta must be in (0, 1), was " + delta);
    }
  }

  /**
   * The defaults for {@code options} options.
   *
   * @param options {@code k}
   * @return the default configuration
   */
  public static ConsensusConfig defaults(int options) {
    return builder(options).build();
  }

  /**
   * A builder starting from the defaults.
   *
   * @param options {@code k}
   * @return a builder
   */
  public static Builder builder(int options) {
    return new Builder(options);
  }

  /**
   * Builds a {@link ConsensusConfig}; unset values keep their defaults. The setters store their
   * argument as is; {@link #build()} checks the ranges. Not thread-safe.
   */
  public static final class Builder {
    private final int options;
    private Duration period = Duration.ofMillis(100);
    private int fanout = 3;
    private double initialRate = 0.5;
    private double annealingRounds = 10;
    private double qualityExponent = 2;
    private Duration neighbourTimeout;
    private int maxNeighbours = 256;
    private double entropyThreshold = 0.1;
    private double delta = 0.02;

    private Builder(int options) {
      this.options = options;
    }

    /**
     * Sets the time between two rounds of one node (default 100 ms).
     *
     * @param period the round period, positive
     * @return this builder
     */
    public Builder period(Duration period) {
      this.period = period;
      return this;
    }

    /**
     * Sets how many random peers each round's opinion is gossiped to (default 3).
     *
     * @param fanout peers per round, {@code >= 1}
     * @return this builder
     */
    public Builder fanout(int fanout) {
      this.fanout = fanout;
      return this;
    }

    /**
     * Sets the learning rate {@code eta0} of round 0 (default 0.5).
     *
     * @param rate {@code eta0}, in (0, 1]
     * @return this builder
     */
    public Builder initialRate(double rate) {
      this.initialRate = rate;
      return this;
    }

    /**
     * Sets the annealing constant {@code T} in {@code eta_r = eta0 / (1 + r / T)} (default 10).
     *
     * @param rounds {@code T}, finite and {@code > 0}
     * @return this builder
     */
    public Builder annealingRounds(double rounds) {
      this.annealingRounds = rounds;
      return this;
    }

    /**
     * Sets the quality exponent {@code beta} (default 2; 0 ignores qualities).
     *
     * @param beta the quality exponent, finite and {@code >= 0}
     * @return this builder
     */
    public Builder qualityExponent(double beta) {
      this.qualityExponent = beta;
      return this;
    }

    /**
     * Sets how long a neighbour's last opinion counts without news (default 3 periods).
     *
     * @param timeout the neighbour timeout, positive
     * @return this builder
     */
    public Builder neighbourTimeout(Duration timeout) {
      this.neighbourTimeout = timeout;
      return this;
    }

    /**
     * Sets the most neighbours whose opinions are held (default 256).
     *
     * @param max the most neighbours held, {@code >= 1}
     * @return this builder
     */
    public Builder maxNeighbours(int max) {
      this.maxNeighbours = max;
      return this;
    }

    /**
     * Sets the normalised entropy {@code H(p) / ln k} below which a node has converged (default
     * 0.1).
     *
     * @param threshold the threshold, in (0, 1)
     * @return this builder
     */
    public Builder entropyThreshold(double threshold) {
      this.entropyThreshold = threshold;
      return this;
    }

    /**
     * Sets the slack {@code delta}: converged also when the top preference exceeds {@code 1 -
     * delta} (default 0.02).
     *
     * @param delta the slack, in (0, 1)
     * @return this builder
     */
    public Builder delta(double delta) {
      this.delta = delta;
      return this;
    }

    /**
     * The configuration; the neighbour timeout defaults to three periods.
     *
     * @return the configuration
     * @throws IllegalArgumentException naming the first value out of range
     */
    public ConsensusConfig build() {
      Duration timeout = neighbourTimeout != null ? neighbourTimeout : period.multipliedBy(3);
      return new ConsensusConfig(options, period, fanout, initialRate, annealingRounds,
          qualityExponent, timeout, maxNeighbours, entropyThreshold, delta);
    }
  }
}
