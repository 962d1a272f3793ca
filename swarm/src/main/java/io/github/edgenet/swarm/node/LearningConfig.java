package io.github.edgenet.swarm.node;

import java.time.Duration;
import java.util.Objects;

/**
 * How the task types that learn (those registered with a {@link TaskObjective}) train and share
 * their adapter; set with {@link EdgeNode.Builder#learning(LearningConfig)}. Every node of a
 * network that learns a type should use the same values for it, in particular the round length
 * (rounds are cut from the nodes' clocks) and the aggregation rule. Immutable and thread-safe.
 *
 * @param learningRate plain SGD step size of local training (default 0.05)
 * @param maxGradientNorm global gradient-norm clipping of each step (default 5)
 * @param replayCapacity tasks kept in the prioritized replay buffer per type (default 1024; 0
 *     turns replay off)
 * @param replayBatch tasks replayed per replay step (default 8)
 * @param replaySteps replay steps after each new task (default 4)
 * @param replayAlpha priority exponent of the replay buffer (default 0.6)
 * @param replayBeta initial importance-sampling exponent, annealed to 1 over 10,000 replay
 *     draws (default 0.4)
 * @param ewcLambda stiffness of elastic weight consolidation, relative to the most important
 *     parameter (the Fisher is normalized to a largest value of 1; keep {@code learningRate *
 *     ewcLambda < 2}); default 0: off, since with the default replay buffer replay protects old
 *     tasks better and EWC costs new ones (measured in docs/learning.md)
 * @param ewcGamma online EWC's decay of the earlier Fisher at each consolidation (default 0.9)
 * @param shiftWindow tasks per window of the embedding-shift test that triggers consolidation
 *     (default 64)
 * @param shiftThreshold the test's statistic above which two consecutive windows count as a shift
 *     (default 2; about 1 without a shift, see docs/learning.md)
 * @param roundMillis length of a sharing round on the node's clock (default 5 s; a round should
 *     hold several tasks per provider, or the robust rules see mostly unchanged adapters)
 * @param collectMillis how long after a round's end contributions are collected before they are
 *     aggregated (default 500 ms; less than {@code roundMillis})
 * @param rule how a round's contributions are combined (default {@link Rule#TRIMMED_MEAN})
 * @param trimFraction the fraction cut from each side by {@link Rule#TRIMMED_MEAN} (default 0.25)
 * @param clippingRadius the radius of {@link Rule#CENTERED_CLIPPING}, in parameter units
 *     (default 1)
 * @param minParticipants the fewest contributions (this node's included) a round needs to be
 *     aggregated (default 1)
 * @param maxStaleness how many versions behind this node's a contribution's base may be
 *     (default 2)
 * @param maxPeers how many of the type's providers each contribution is sent to (default 16)
 */
public record LearningConfig(
    double learningRate,
    float maxGradientNorm,
    int replayCapacity,
    int replayBatch,
    int replaySteps,
    double replayAlpha,
    double replayBeta,
    float ewcLambda,
    float ewcGamma,
    int shiftWindow,
    double shiftThreshold,
    long roundMillis,
    long collectMillis,
    Rule rule,
    double trimFraction,
    float clippingRadius,
    int minParticipants,
    int maxStaleness,
    int maxPeers) {

  /** How the contributions of one round are combined (learning's aggregation rules). */
  public enum Rule {
    /** The coordinate-wise mean: not robust, one contribution moves it arbitrarily. */
    MEAN,
    /** The coordinate-wise median: tolerates fewer than half Byzantine contributions. */
    MEDIAN,
    /** The coordinate-wise mean after cutting {@code trimFraction} from each side. */
    TRIMMED_MEAN,
    /** Centered clipping (Karimireddy et al. 2021) from the median, radius {@code
     * clippingRadius}. */
    CENTERED_CLIPPING
  }

  private static final LearningConfig DEFAULTS = builder().build();

  /**
   * Validates every component.
   *
   * @throws IllegalArgumentException naming the first component out of range and its value
   * @throws NullPointerException if {@code rule} is null
   */
  public LearningConfig {
    positive("learningRate", learningRate);
    positive("maxGradientNorm", maxGradientNorm);
    range("replayCapacity", replayCapacity, 0, 1 << 20);
    range("replayBatch", replayBatch, 0, 1024);
    range("replaySteps", replaySteps, 0, 64);
    if (!(replayAlpha >= 0 && replayAlpha <= 1)) {
      throw new IllegalArgumentException("replayAlpha must be in [0, 1], was " + replayAlpha);
    }
    if (!(replayBeta >= 0 && replayBeta <= 1)) {
      throw new IllegalArgumentException("replayBeta must be in [0, 1], was " + replayBeta);
    }
    if (!(ewcLambda >= 0 && Float.isFinite(ewcLambda))) {
      throw new IllegalArgumentException("ewcLambda must be finite and >= 0, was " + ewcLambda);
    }
    if (!(ewcGamma >= 0 && ewcGamma <= 1)) {
      throw new IllegalArgumentException("ewcGamma must be in [0, 1], was " + ewcGamma);
    }
    range("shiftWindow", shiftWindow, 2, 1 << 16);
    positive("shiftThreshold", shiftThreshold);
    range("roundMillis", roundMillis, 10, 86_400_000);
    range("collectMillis", collectMillis, 1, roundMillis - 1);
    Objects.requireNonNull(rule, "rule");
    if (!(trimFraction >= 0 && trimFraction < 0.5)) {
      throw new IllegalArgumentException("trimFraction must be in [0, 0.5), was " + trimFraction);
    }
    positive("clippingRadius", clippingRadius);
    range("minParticipants", minParticipants, 1, 1024);
    range("maxStaleness", maxStaleness, 0, 1 << 20);
    range("maxPeers", maxPeers, 0, 1024);
  }

  /**
   * The default configuration, as listed with each component.
   *
   * @return the default configuration (one shared instance)
   */
  public static LearningConfig defaults() {
    return DEFAULTS;
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  private static void range(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be in [" + min + ", " + max + "], was " + value);
    }
  }

  private static void positive(String name, double value) {
    if (!(value > 0 && Double.isFinite(value))) {
      throw new IllegalArgumentException(name + " must be finite and > 0, was " + value);
    }
  }

  /**
   * Builds a {@link LearningConfig}; unset values keep their defaults. The setters store their
   * arguments as is; {@link #build()} checks the ranges. Not thread-safe.
   */
  public static final class Builder {
    private double learningRate = 0.05;
    private float maxGradientNorm = 5f;
    private int replayCapacity = 1024;
    private int replayBatch = 8;
    private int replaySteps = 4;
    private double replayAlpha = 0.6;
    private double replayBeta = 0.4;
    private float ewcLambda = 0f;
    private float ewcGamma = 0.9f;
    private int shiftWindow = 64;
    private double shiftThreshold = 2.0;
    private long roundMillis = 5_000;
    private long collectMillis = 500;
    private Rule rule = Rule.TRIMMED_MEAN;
    private double trimFraction = 0.25;
    private float clippingRadius = 1f;
    private int minParticipants = 1;
    private int maxStaleness = 2;
    private int maxPeers = 16;

    private Builder() {}

    /**
     * Sets the plain SGD step size of local training (default 0.05).
     *
     * @param rate the step size, finite and {@code > 0}
     * @return this builder
     */
    public Builder learningRate(double rate) {
      this.learningRate = rate;
      return this;
    }

    /**
     * Sets the global gradient-norm clipping of each local step (default 5).
     *
     * @param norm the largest gradient L2 norm, finite and {@code > 0}
     * @return this builder
     */
    public Builder maxGradientNorm(float norm) {
      this.maxGradientNorm = norm;
      return this;
    }

    /**
     * Sets how many tasks the prioritized replay buffer keeps per type (default 1024).
     *
     * @param tasks the capacity, in [0, 2^20]; 0 turns replay off
     * @return this builder
     */
    public Builder replayCapacity(int tasks) {
      this.replayCapacity = tasks;
      return this;
    }

    /**
     * Sets the tasks per replay step (default 8) and the replay steps after each new task
     * (default 4).
     *
     * @param batch tasks replayed per step, in [0, 1024]
     * @param steps replay steps after each new task, in [0, 64]
     * @return this builder
     */
    public Builder replay(int batch, int steps) {
      this.replayBatch = batch;
      this.replaySteps = steps;
      return this;
    }

    /**
     * Sets the replay buffer's priority exponent (default 0.6) and initial importance-sampling
     * exponent, annealed to 1 (default 0.4).
     *
     * @param alpha the priority exponent, in [0, 1]; 0 replays uniformly
     * @param beta the initial importance-sampling exponent, in [0, 1]
     * @return this builder
     */
    public Builder replayExponents(double alpha, double beta) {
      this.replayAlpha = alpha;
      this.replayBeta = beta;
      return this;
    }

    /**
     * Sets elastic weight consolidation: its stiffness (default 0: off) and online decay of the
     * earlier Fisher (default 0.9).
     *
     * @param lambda the stiffness relative to the most important parameter, finite and {@code
     *     >= 0}; keep {@code learningRate * lambda < 2}
     * @param gamma the decay at each consolidation, in [0, 1]
     * @return this builder
     */
    public Builder ewc(float lambda, float gamma) {
      this.ewcLambda = lambda;
      this.ewcGamma = gamma;
      return this;
    }

    /**
     * Sets the embedding-shift test that triggers consolidation (default: 64 tasks, threshold 2).
     *
     * @param window tasks per window, in [2, 65536]
     * @param threshold the statistic above which two consecutive windows count as a shift,
     *     finite and {@code > 0}
     * @return this builder
     */
    public Builder shiftTest(int window, double threshold) {
      this.shiftWindow = window;
      this.shiftThreshold = threshold;
      return this;
    }

    /**
     * Sets the sharing round's length (default 5 s) and how long after a round's end contributions
     * are collected (default 500 ms), each truncated to whole milliseconds.
     *
     * @param round the round length, 10 ms to 24 h
     * @param collect the collection window, at least 1 ms and shorter than {@code round}
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder rounds(Duration round, Duration collect) {
      this.roundMillis = Objects.requireNonNull(round, "round").toMillis();
      this.collectMillis = Objects.requireNonNull(collect, "collect").toMillis();
      return this;
    }

    /**
     * Sets how a round's contributions are combined (default {@link Rule#TRIMMED_MEAN}).
     *
     * @param rule the aggregation rule
     * @return this builder
     * @throws NullPointerException if {@code rule} is null
     */
    public Builder rule(Rule rule) {
      this.rule = Objects.requireNonNull(rule, "rule");
      return this;
    }

    /**
     * Sets the fraction {@link Rule#TRIMMED_MEAN} cuts from each side (default 0.25).
     *
     * @param fraction the fraction per side, in [0, 0.5)
     * @return this builder
     */
    public Builder trimFraction(double fraction) {
      this.trimFraction = fraction;
      return this;
    }

    /**
     * Sets the radius of {@link Rule#CENTERED_CLIPPING} (default 1).
     *
     * @param radius the radius in parameter units, finite and {@code > 0}
     * @return this builder
     */
    public Builder clippingRadius(float radius) {
      this.clippingRadius = radius;
      return this;
    }

    /**
     * Sets the fewest contributions, this node's included, a round needs to be aggregated
     * (default 1).
     *
     * @param count the fewest contributions, in [1, 1024]
     * @return this builder
     */
    public Builder minParticipants(int count) {
      this.minParticipants = count;
      return this;
    }

    /**
     * Sets how many versions behind this node's a contribution's base may be (default 2).
     *
     * @param versions the most versions behind, in [0, 2^20]; 0 takes only contributions based on
     *     this node's current version
     * @return this builder
     */
    public Builder maxStaleness(int versions) {
      this.maxStaleness = versions;
      return this;
    }

    /**
     * Sets how many of the type's providers each contribution is sent to (default 16).
     *
     * @param peers the most peers per contribution, in [0, 1024]; 0 shares with no one
     * @return this builder
     */
    public Builder maxPeers(int peers) {
      this.maxPeers = peers;
      return this;
    }

    /**
     * The configuration.
     *
     * @return the configuration with the values set and the defaults for the rest
     * @throws IllegalArgumentException if a value is out of range, naming it
     */
    public LearningConfig build() {
      return new LearningConfig(learningRate, maxGradientNorm, replayCapacity, replayBatch,
          replaySteps, replayAlpha, replayBeta, ewcLambda, ewcGamma, shiftWindow, shiftThreshold,
          roundMillis, collectMillis, rule, trimFraction, clippingRadius, minParticipants,
          maxStaleness, maxPeers);
    }
  }
}
