package io.github.edgenet.swarm.node;

import io.github.edgenet.core.identity.NodeId;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The economy's settings of an {@link EdgeNode}: the sealed auction's timing and shortlist, and
 * the adjudicators of the network. Set with {@link EdgeNode.Builder#economy}; {@link #defaults()}
 * otherwise. Times are in milliseconds of the node's clock. Immutable and thread-safe.
 *
 * <p>{@link #adjudicators()} is a network parameter, like the genesis map: every node of one
 * network must be given the same set, or their ledgers disagree on which slashes are valid.
 *
 * @param shortlistSize how many of the providers that sent a sealed bid are asked to reveal it, in
 *     [1, 64] (default 3)
 * @param revealWindowMillis the least time the shortlisted get to reveal, {@code >= 1} (default
 *     100 ms); the window grows to twice the slowest shortlisted provider's measured round trip,
 *     and closes as soon as every one of them revealed
 * @param adjudicators the nodes whose signed verdicts slash on the replicated ledger (default
 *     none); a node in the set re-executes the tasks of the misbehaviour evidence it receives and
 *     signs a verdict when the accused result is wrong
 * @param challengeTimeoutMillis how long an adjudicator waits for a shortlisted provider that never
 *     revealed to answer its challenge before it slashes it, {@code >= 1} (default 10 s)
 */
public record EconomyConfig(
    int shortlistSize,
    long revealWindowMillis,
    Set<NodeId> adjudicators,
    long challengeTimeoutMillis) {

  private static final EconomyConfig DEFAULTS = builder().build();

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException naming the first component out of range and its value
   */
  public EconomyConfig {
    if (shortlistSize < 1 || shortlistSize > 64) {
      throw new IllegalArgumentException("shortlistSize must be in [1, 64], was " + shortlistSize);
    }
    if (revealWindowMillis < 1 || revealWindowMillis > 3_600_000) {
      throw new IllegalArgumentException(
          "revealWindowMillis must be in [1, 3600000], was " + revealWindowMillis);
    }
    adjudicators = Set.copyOf(new TreeSet<>(Objects.requireNonNull(adjudicators, "adjudicators")));
    if (challengeTimeoutMillis < 1 || challengeTimeoutMillis > 86_400_000) {
      throw new IllegalArgumentException(
          "challengeTimeoutMillis must be in [1, 86400000], was " + challengeTimeoutMillis);
    }
  }

  /** The defaults (see the components). */
  public static EconomyConfig defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link EconomyConfig}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private int shortlistSize = 3;
    private long revealWindowMillis = 100;
    private Set<NodeId> adjudicators = Set.of();
    private long challengeTimeoutMillis = 10_000;

    private Builder() {}

    /** Providers asked to reveal their sealed bids per round. */
    public Builder shortlistSize(int size) {
      this.shortlistSize = size;
      return this;
    }

    /** The least reveal window (millisecond precision). */
    public Builder revealWindow(Duration window) {
      this.revealWindowMillis = Objects.requireNonNull(window, "window").toMillis();
      return this;
    }

    /** The network's adjudicators (the same set on every node). */
    public Builder adjudicators(Set<NodeId> nodes) {
      this.adjudicators = Objects.requireNonNull(nodes, "nodes");
      return this;
    }

    /** How long a challenged provider has to reveal (millisecond precision). */
    public Builder challengeTimeout(Duration timeout) {
      this.challengeTimeoutMillis = Objects.requireNonNull(timeout, "timeout").toMillis();
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException if a value is out of range, naming it
     */
    public EconomyConfig build() {
      return new EconomyConfig(shortlistSize, revealWindowMillis, adjudicators,
          challengeTimeoutMillis);
    }
  }
}
