package io.github.edgenet.learning.federated;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.envelope.EnvelopeDecoder;
import io.github.edgenet.core.envelope.EnvelopeLimits;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.learning.aggregate.Aggregator;
import io.github.edgenet.learning.aggregate.Aggregators;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One federated round, run by whichever node takes the coordinator role: it collects signed
 * {@link Contribution}s, keeps at most one per agent (a re-submission replaces the earlier one,
 * never adds to it), and {@link #close() closes} into an aggregate by sample-weighted FedAvg
 * (McMahan et al. 2017) or by a robust {@link Aggregator}.
 *
 * <pre>{@code
 * FederatedRound round = FederatedRound.builder(7, dimension, clock)
 *     .currentVersion(7).maxStaleness(2)          // accept models trained from versions 5..7
 *     .minParticipants(10).maxParticipants(256).qualityThreshold(0.5)
 *     .aggregator(Aggregators.multiKrum(2, 8))    // or FedAvg, the default
 *     .build();
 * round.submit(frameFromAgent);                   // throws FederatedException with a reason
 * RoundResult result = round.close();
 * }</pre>
 *
 * <p>Checks on submit, in order: the envelope (signature, freshness, replay), type and size, the
 * dimension, the round id, the staleness ({@code currentVersion - baseVersion <= maxStaleness}),
 * the quality threshold, and room for a new agent ({@link Builder#maxParticipants}). A rejected
 * contribution changes nothing, and does not remove an earlier valid one from the same agent.
 *
 * <p><b>Memory.</b> Agents are keys anyone can make, so the round holds at most {@code
 * maxParticipants} of them (default {@value #DEFAULT_MAX_PARTICIPANTS}, as swarm's rounds of
 * adapter shares): at most {@code maxParticipants x (4 d + 36)} bytes of contributions, each
 * frame's size bounded by the envelope limit before it is decoded. When the round is full, a new
 * agent is rejected with {@code FULL}; agents already in it may still replace their contribution.
 *
 * <p><b>Determinism.</b> Contributions are aggregated in agent-id order, so every node that holds
 * the same set of signed contributions computes the bit-identical aggregate; any node can verify a
 * coordinator's result by re-running the round on the same frames.
 *
 * <p><b>Thread-safety.</b> Thread-safe: submissions from many threads are serialized by one lock.
 */
public final class FederatedRound {
  /** The default bound on distinct agents per round. */
  public static final int DEFAULT_MAX_PARTICIPANTS = 256;

  private final long round;
  private final int dimension;
  private final long currentVersion;
  private final long maxStaleness;
  private final int minParticipants;
  private final int maxParticipants;
  private final double qualityThreshold;
  private final Aggregator aggregator;
  private final EnvelopeDecoder decoder;
  private final Map<NodeId, Contribution> byAgent = new TreeMap<>();
  private boolean closed;

  private FederatedRound(Builder b) {
    this.round = b.round;
    this.dimension = b.dimension;
    this.currentVersion = b.currentVersion;
    this.maxStaleness = b.maxStaleness;
    this.minParticipants = b.minParticipants;
    this.maxParticipants = b.maxParticipants;
    this.qualityThreshold = b.qualityThreshold;
    this.aggregator = b.aggregator;
    int payload = 36 + 4 * dimension;
    this.decoder = EnvelopeDecoder.create(b.clock, b.limits != null ? b.limits
        : EnvelopeLimits.builder().maxPayloadBytes(payload)
            .maxFrameBytes(EnvelopeSender.frameLength(payload)).build());
  }

  /**
   * A builder for round {@code round} over vectors of {@code dimension} floats.
   *
   * @param round the round id, {@code >= 0}
   * @param dimension the vector length, {@code >= 1}
   * @param clock time for envelope freshness
   * @return the builder (FedAvg, 1 to {@value #DEFAULT_MAX_PARTICIPANTS} participants, no quality
   *     threshold, current version = round, staleness 0)
   * @throws IllegalArgumentException if a value is out of range
   */
  public static Builder builder(long round, int dimension, Clock clock) {
    if (round < 0) {
      throw new IllegalArgumentException("round must be >= 0, was " + round);
    }
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be >= 1, was " + dimension);
    }
    return new Builder(round, dimension, Objects.requireNonNull(clock, "clock"));
  }

  /** Whether a submission was new or replaced an earlier one from the same agent. */
  public enum Outcome {
    /** The agent's first contribution this round. */
    ACCEPTED,
    /** Replaced the agent's earlier contribution. */
    REPLACED
  }

  /**
   * Verifies and records a signed contribution frame.
   *
   * @param frame the agent's frame from {@link Contribution#encode}
   * @return whether it was new or replaced the agent's earlier one
   * @throws FederatedException with the reason if rejected (nothing changes)
   */
  public synchronized Outcome submit(byte[] frame) throws FederatedException {
    if (closed) {
      throw new FederatedException(FederatedException.Reason.CLOSED, "round " + round, null);
    }
    Contribution c = Contribution.decode(decoder, frame, dimension);
    if (c.round() != round) {
      throw new FederatedException(FederatedException.Reason.WRONG_ROUND,
          "round " + c.round() + ", this is round " + round, null);
    }
    if (c.baseVersion() > currentVersion || currentVersion - c.baseVersion() > maxStaleness) {
      throw new FederatedException(FederatedException.Reason.STALE, "base version "
          + c.baseVersion() + ", current " + currentVersion + ", bound " + maxStaleness, null);
    }
    if (c.quality() < qualityThreshold) {
      throw new FederatedException(FederatedException.Reason.LOW_QUALITY,
          "quality " + c.quality() + " < " + qualityThreshold, null);
    }
    if (byAgent.size() >= maxParticipants && !byAgent.containsKey(c.agent())) {
      throw new FederatedException(FederatedException.Reason.FULL, "round " + round + " holds "
          + maxParticipants + " agents; " + c.agent() + " is new", null);
    }
    return byAgent.put(c.agent(), c) == null ? Outcome.ACCEPTED : Outcome.REPLACED;
  }

  /**
   * Distinct agents with an accepted contribution.
   *
   * @return the count
   */
  public synchronized int participants() {
    return byAgent.size();
  }

  /**
   * Closes the round and aggregates (further submissions are rejected with {@code CLOSED}).
   *
   * @return the result
   * @throws IllegalStateException if fewer than the minimum participants contributed (the round
   *     stays open) or it was already closed
   */
  public synchronized RoundResult close() {
    if (closed) {
      throw new IllegalStateException("round " + round + " is already closed");
    }
    if (byAgent.size() < minParticipants) {
      throw new IllegalStateException("round " + round + " has " + byAgent.size()
          + " participants, needs " + minParticipants);
    }
    List<float[]> vectors = new ArrayList<>(byAgent.size());
    double[] weights = new double[byAgent.size()];
    long samples = 0;
    int k = 0;
    for (Contribution c : byAgent.values()) {
      vectors.add(c.vector());
      weights[k++] = c.samples();
      samples = Math.addExact(samples, c.samples());
    }
    float[] out = new float[dimension];
    if (aggregator == null) {
      Aggregators.weightedMean(vectors, weights, out);
    } else {
      aggregator.aggregate(vectors, out);
    }
    closed = true;
    return new RoundResult(round, out, List.copyOf(byAgent.keySet()), samples);
  }

  /**
   * The outcome of a closed round.
   *
   * @param round the round id
   * @param aggregate the aggregated vector
   * @param agents the participating agents, in id order
   * @param samples the total samples behind the contributions
   */
  public record RoundResult(long round, float[] aggregate, List<NodeId> agents, long samples) {}

  @Override
  public synchronized String toString() {
    return "FederatedRound[" + round + ", " + byAgent.size() + " participants, "
        + (aggregator == null ? "FedAvg" : aggregator) + (closed ? ", closed" : "") + "]";
  }

  /** Configures a {@link FederatedRound}. Not thread-safe. */
  public static final class Builder {
    private final long round;
    private final int dimension;
    private final Clock clock;
    private long currentVersion;
    private long maxStaleness;
    private int minParticipants = 1;
    private int maxParticipants = DEFAULT_MAX_PARTICIPANTS;
    private double qualityThreshold = Double.NEGATIVE_INFINITY;
    private Aggregator aggregator;
    private EnvelopeLimits limits;

    private Builder(long round, int dimension, Clock clock) {
      this.round = round;
      this.dimension = dimension;
      this.clock = clock;
      this.currentVersion = round;
    }

    /**
     * The coordinator's current model version (default: the round id).
     *
     * @param version {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder currentVersion(long version) {
      if (version < 0) {
        throw new IllegalArgumentException("currentVersion must be >= 0, was " + version);
      }
      this.currentVersion = version;
      return this;
    }

    /**
     * How many versions behind a contribution's base may be (default 0: only the current one).
     *
     * @param versions {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder maxStaleness(long versions) {
      if (versions < 0) {
        throw new IllegalArgumentException("maxStaleness must be >= 0, was " + versions);
      }
      this.maxStaleness = versions;
      return this;
    }

    /**
     * The fewest distinct agents {@link #close()} accepts (default 1).
     *
     * @param count {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder minParticipants(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("minParticipants must be >= 1, was " + count);
      }
      this.minParticipants = count;
      return this;
    }

    /**
     * The most distinct agents the round holds (default {@value #DEFAULT_MAX_PARTICIPANTS}); a new
     * agent beyond it is rejected with {@code FULL}. Bounds the round's memory.
     *
     * @param count {@code >= 1}, and at least {@code minParticipants} when built
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxParticipants(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("maxParticipants must be >= 1, was " + count);
      }
      this.maxParticipants = count;
      return this;
    }

    /**
     * The lowest quality accepted (default none).
     *
     * @param threshold finite
     * @return this builder
     * @throws IllegalArgumentException if not finite
     */
    public Builder qualityThreshold(double threshold) {
      if (!Double.isFinite(threshold)) {
        throw new IllegalArgumentException("qualityThreshold must be finite, was " + threshold);
      }
      this.qualityThreshold = threshold;
      return this;
    }

    /**
     * A robust rule instead of sample-weighted FedAvg (the rule ignores sample counts).
     *
     * @param aggregator the rule
     * @return this builder
     */
    public Builder aggregator(Aggregator aggregator) {
      this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
      return this;
    }

    /**
     * Envelope limits (default: payload bounded by the round's dimension).
     *
     * @param limits the limits
     * @return this builder
     */
    public Builder envelopeLimits(EnvelopeLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * The open round.
     *
     * @return the round
     * @throws IllegalArgumentException if {@code minParticipants > maxParticipants}
     */
    public FederatedRound build() {
      if (minParticipants > maxParticipants) {
        throw new IllegalArgumentException("minParticipants " + minParticipants
            + " exceeds maxParticipants " + maxParticipants + ": the round could never close");
      }
      return new FederatedRound(this);
    }
  }
}
