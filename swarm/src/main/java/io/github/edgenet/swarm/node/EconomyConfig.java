package io.github.edgenet.swarm.node;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.reputation.ReputationConfig;
import java.time.Duration;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The economy's settings of an {@link EdgeNode}: the sealed auction's timing and shortlist, the
 * adjudicators of the network, stake, vesting and reputation. Set with {@link
 * EdgeNode.Builder#economy}; {@link #defaults()} otherwise. Times are in milliseconds of the
 * node's clock, amounts in micro-units. Immutable and thread-safe.
 *
 * <p>{@link #adjudicators()}, the vesting schedule and {@link #reputation()} are network
 * parameters, like the genesis map: every node of one network must be given the same values, or
 * their ledgers disagree on which slashes are valid, or their nodes on who is reputable. Stake,
 * vesting, audits and reputation only act on a node with a {@linkplain EdgeNode.Builder#genesis
 * genesis} (a replicated ledger).
 *
 * @param shortlistSize how many of the providers that sent a sealed bid are asked to reveal it, in
 *     [1, 64] (default 3)
 * @param revealWindowMillis the least time the shortlisted get to reveal, {@code >= 1} (default
 *     100 ms); the window grows to twice the slowest shortlisted provider's measured round trip,
 *     and closes as soon as every one of them revealed
 * @param adjudicators the nodes whose signed verdicts slash on the replicated ledger (default
 *     none), kept in node-id order; a node in the set re-executes the tasks of the misbehaviour
 *     evidence it receives and signs a verdict when the accused result is wrong
 * @param challengeTimeoutMillis how long an adjudicator waits for a shortlisted provider that never
 *     revealed to answer its challenge before it slashes it, {@code >= 1} (default 10 s)
 * @param stakeMicros the stake a provider keeps bonded, topped up from its balance (its genesis
 *     amount, its claimed rewards) whenever the balance allows, {@code >= 0} (default 1,000; 0
 *     never stakes). Only staked providers have reputation and can be slashed
 * @param vestingCliffMillis how long after a task's payment nothing of it vests, in [0, duration]
 *     (default 30 s: longer than the adjudication of an audit, so a liar proven wrong loses all of
 *     that task's reward)
 * @param vestingDurationMillis how long a task's payment takes to vest linearly, {@code >= 0}
 *     (default 5 min; 0 pays at once)
 * @param vestingClaimIntervalMillis how often a provider claims what has vested, {@code >= 1}
 *     (default 10 s)
 * @param auditFraction the fraction of accepted results a submitter sends to the adjudicators for
 *     re-execution after paying, in [0, 1] (default 0.05); a result proven wrong claws back the
 *     unvested part of its reward
 * @param reputation how reputation is folded from the ledger (default: half-life 1 h, 1,000
 *     micro-units of work to reach 1/2, 20% maximum discount, minimum stake 1,000 micro-units:
 *     sized for task prices of tens of micro-units; economy's own defaults are sized for tokens)
 */
public record EconomyConfig(
    int shortlistSize,
    long revealWindowMillis,
    Set<NodeId> adjudicators,
    long challengeTimeoutMillis,
    long stakeMicros,
    long vestingCliffMillis,
    long vestingDurationMillis,
    long vestingClaimIntervalMillis,
    double auditFraction,
    ReputationConfig reputation) {

  private static final EconomyConfig DEFAULTS = builder().build();

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException naming the first component out of range and its value
   * @throws NullPointerException if {@code adjudicators} or {@code reputation} is null
   */
  public EconomyConfig {
    range("shortlistSize", shortlistSize, 1, 64);
    range("revealWindowMillis", revealWindowMillis, 1, 3_600_000);
    // In id order: nodes send evidence and scan for slashes in this order, and Set.copyOf's order
    // changes from one JVM to the next, which made simulator runs differ between launches.
    adjudicators = Collections.unmodifiableSortedSet(
        new TreeSet<>(Objects.requireNonNull(adjudicators, "adjudicators")));
    range("challengeTimeoutMillis", challengeTimeoutMillis, 1, 86_400_000);
    range("stakeMicros", stakeMicros, 0, Long.MAX_VALUE);
    range("vestingDurationMillis", vestingDurationMillis, 0, 10L * 365 * 86_400_000);
    range("vestingCliffMillis", vestingCliffMillis, 0, vestingDurationMillis);
    range("vestingClaimIntervalMillis", vestingClaimIntervalMillis, 1, 86_400_000);
    if (!(auditFraction >= 0 && auditFraction <= 1)) {
      throw new IllegalArgumentException("auditFraction must be in [0, 1], was " + auditFraction);
    }
    Objects.requireNonNull(reputation, "reputation");
  }

  private static void range(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be in [" + min + ", " + max + "], was " + value);
    }
  }

  /**
   * The defaults, as listed with each component.
   *
   * @return the default configuration (one shared instance)
   */
  public static EconomyConfig defaults() {
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

  /** Builds an {@link EconomyConfig}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private int shortlistSize = 3;
    private long revealWindowMillis = 100;
    private Set<NodeId> adjudicators = Set.of();
    private long challengeTimeoutMillis = 10_000;
    private long stakeMicros = 1_000;
    private long vestingCliffMillis = 30_000;
    private long vestingDurationMillis = 300_000;
    private long vestingClaimIntervalMillis = 10_000;
    private double auditFraction = 0.05;
    private ReputationConfig reputation = new ReputationConfig(3_600_000, 1_000, 2_000, 1_000);

    private Builder() {}

    /**
     * Sets how many of the sealed bidders are asked to reveal per task (default 3).
     *
     * @param size the shortlist size, in [1, 64]
     * @return this builder
     */
    public Builder shortlistSize(int size) {
      this.shortlistSize = size;
      return this;
    }

    /**
     * Sets the least time the shortlisted get to reveal (default 100 ms), truncated to whole
     * milliseconds.
     *
     * @param window the least reveal window, 1 ms to 1 h
     * @return this builder
     * @throws NullPointerException if {@code window} is null
     */
    public Builder revealWindow(Duration window) {
      this.revealWindowMillis = Objects.requireNonNull(window, "window").toMillis();
      return this;
    }

    /**
     * Sets the network's adjudicators (default none); every node of a network is given the same
     * set.
     *
     * @param nodes the adjudicators' node ids, possibly empty (copied by {@link #build()})
     * @return this builder
     * @throws NullPointerException if {@code nodes} is null
     */
    public Builder adjudicators(Set<NodeId> nodes) {
      this.adjudicators = Objects.requireNonNull(nodes, "nodes");
      return this;
    }

    /**
     * Sets how long a challenged provider has to reveal before an adjudicator slashes it (default
     * 10 s), truncated to whole milliseconds.
     *
     * @param timeout the challenge timeout, 1 ms to 24 h
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     */
    public Builder challengeTimeout(Duration timeout) {
      this.challengeTimeoutMillis = Objects.requireNonNull(timeout, "timeout").toMillis();
      return this;
    }

    /**
     * Sets the stake a provider keeps bonded (default 1,000 micro-units).
     *
     * @param micros the stake in micro-units, {@code >= 0}; 0 never stakes
     * @return this builder
     */
    public Builder stake(long micros) {
      this.stakeMicros = micros;
      return this;
    }

    /**
     * Sets the vesting schedule of task payments (default: 30 s cliff, 5 min), each truncated to
     * whole milliseconds.
     *
     * @param cliff how long after a payment nothing of it vests, from 0 to {@code duration}
     * @param duration how long a payment takes to vest linearly, 0 (pays at once) to 10 years
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder vesting(Duration cliff, Duration duration) {
      this.vestingCliffMillis = Objects.requireNonNull(cliff, "cliff").toMillis();
      this.vestingDurationMillis = Objects.requireNonNull(duration, "duration").toMillis();
      return this;
    }

    /**
     * Sets how often a provider claims its vested rewards (default 10 s), truncated to whole
     * milliseconds.
     *
     * @param interval the claim interval, 1 ms to 24 h
     * @return this builder
     * @throws NullPointerException if {@code interval} is null
     */
    public Builder vestingClaimInterval(Duration interval) {
      this.vestingClaimIntervalMillis = Objects.requireNonNull(interval, "interval").toMillis();
      return this;
    }

    /**
     * Sets the fraction of accepted results a submitter sends to the adjudicators for re-execution
     * (default 0.05).
     *
     * @param fraction the audit fraction, in [0, 1]; 0 audits nothing
     * @return this builder
     */
    public Builder auditFraction(double fraction) {
      this.auditFraction = fraction;
      return this;
    }

    /**
     * Sets how reputation is folded from the ledger; every node of a network is given the same.
     *
     * @param config the reputation parameters (default: see {@link EconomyConfig#reputation()})
     * @return this builder
     * @throws NullPointerException if {@code config} is null
     */
    public Builder reputation(ReputationConfig config) {
      this.reputation = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * The configuration.
     *
     * @return the configuration with the values set and the defaults for the rest
     * @throws IllegalArgumentException if a value is out of range, naming it
     */
    public EconomyConfig build() {
      return new EconomyConfig(shortlistSize, revealWindowMillis, adjudicators,
          challengeTimeoutMillis, stakeMicros, vestingCliffMillis, vestingDurationMillis,
          vestingClaimIntervalMillis, auditFraction, reputation);
    }
  }
}
