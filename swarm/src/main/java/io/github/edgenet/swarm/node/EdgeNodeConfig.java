package io.github.edgenet.swarm.node;

import io.github.edgenet.core.envelope.EnvelopeLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * The tunable values of an {@link EdgeNode}. {@link #defaults()} suits a node on a LAN or the
 * simulator with tasks of up to 64 KiB; {@link #builder()} changes single values. Times are in
 * milliseconds of the node's clock. Immutable and thread-safe.
 *
 * @param embeddingDimension the length of task embeddings and of the adapters' vectors (default 16)
 * @param adapterRank the rank of adapters created for new task embeddings (default 2)
 * @param adapterPoolBytes the adapter pool's memory budget, in bytes (default 4 MiB)
 * @param adapterSimilarity cosine similarity a task embedding needs to reuse an adapter (default
 *     0.9)
 * @param requestFanout how many peers are asked for offers per request round (default 8)
 * @param requestRounds request rounds before giving up with no offer (default 3)
 * @param offerWindowMillis how long offers are collected per round (default 150 ms)
 * @param retryIntervalMillis how often an unanswered award is sent again (default 250 ms)
 * @param awardAttempts sends of one award before the provider is given up for the next one
 *     (default 4)
 * @param announceIntervalMillis how often the node announces its task types (default 2 s)
 * @param announceFanout how many random peers get each announcement (default 4)
 * @param capabilityTtlMillis how long a peer's announcement is believed (default 30 s)
 * @param maxKnownProviders how many peers' announcements are kept at most (default 4096)
 * @param maxOffersPerTask offers kept per task at most; later ones are ignored (default 32)
 * @param crossCheckFraction the fraction of tasks whose accepted result is re-executed by a
 *     second provider and compared, in [0, 1] (default 0)
 * @param maxPendingTasks submitted tasks in flight at most; more are refused (default 1024)
 * @param maxTaskPayloadBytes the largest task payload sent or accepted (default 64 KiB)
 * @param maxResultBytes the largest result sent or accepted (default 64 KiB)
 * @param envelopeLimits what the node's envelope decoder accepts (default: core's defaults with
 *     a 256 KiB payload limit)
 * @param executionSlots tasks this node holds at once, offers awaiting their award included,
 *     shared among its task types by optimize's allocator; default 0: no allocator, every task
 *     is admitted (a burst beyond the slots is declined, and the submitter only retries for
 *     {@code requestRounds}, so the allocator is opt-in; see docs/edgenode.md)
 * @param allocationPeriodMillis how often the allocator re-forecasts demand and re-splits the
 *     slots (default 1 s)
 * @param offerHoldMillis how long an offer holds its slot when no award follows (default 500 ms)
 */
public record EdgeNodeConfig(
    int embeddingDimension,
    int adapterRank,
    long adapterPoolBytes,
    float adapterSimilarity,
    int requestFanout,
    int requestRounds,
    long offerWindowMillis,
    long retryIntervalMillis,
    int awardAttempts,
    long announceIntervalMillis,
    int announceFanout,
    long capabilityTtlMillis,
    int maxKnownProviders,
    int maxOffersPerTask,
    double crossCheckFraction,
    int maxPendingTasks,
    int maxTaskPayloadBytes,
    int maxResultBytes,
    EnvelopeLimits envelopeLimits,
    int executionSlots,
    long allocationPeriodMillis,
    long offerHoldMillis) {

  /** The largest {@link #embeddingDimension()}. */
  public static final int MAX_EMBEDDING_DIMENSION = 4096;

  private static final EdgeNodeConfig DEFAULTS = builder().build();

  /**
   * Validates every component.
   *
   * @throws IllegalArgumentException naming the first component out of range and its value
   * @throws NullPointerException if {@code envelopeLimits} is null
   */
  public EdgeNodeConfig {
    range("embeddingDimension", embeddingDimension, 1, MAX_EMBEDDING_DIMENSION);
    range("adapterRank", adapterRank, 1, 16);
    range("adapterPoolBytes", adapterPoolBytes, 1024, Long.MAX_VALUE);
    if (!(adapterSimilarity >= -1f && adapterSimilarity <= 1f)) {
      throw new IllegalArgumentException(
          "adapterSimilarity must be in [-1, 1], was " + adapterSimilarity);
    }
    range("requestFanout", requestFanout, 1, 1024);
    range("requestRounds", requestRounds, 1, 100);
    range("offerWindowMillis", offerWindowMillis, 1, 3_600_000);
    range("retryIntervalMillis", retryIntervalMillis, 1, 3_600_000);
    range("awardAttempts", awardAttempts, 1, 100);
    range("announceIntervalMillis", announceIntervalMillis, 1, 86_400_000);
    range("announceFanout", announceFanout, 0, 1024);
    range("capabilityTtlMillis", capabilityTtlMillis, 1, 86_400_000);
    range("maxKnownProviders", maxKnownProviders, 1, 1 << 20);
    range("maxOffersPerTask", maxOffersPerTask, 1, 1024);
    if (!(crossCheckFraction >= 0 && crossCheckFraction <= 1)) {
      throw new IllegalArgumentException(
          "crossCheckFraction must be in [0, 1], was " + crossCheckFraction);
    }
    range("maxPendingTasks", maxPendingTasks, 1, 1 << 20);
    range("maxTaskPayloadBytes", maxTaskPayloadBytes, 0, 16 << 20);
    range("maxResultBytes", maxResultBytes, 0, 16 << 20);
    Objects.requireNonNull(envelopeLimits, "envelopeLimits");
    range("executionSlots", executionSlots, 0, 1 << 20);
    range("allocationPeriodMillis", allocationPeriodMillis, 1, 86_400_000);
    range("offerHoldMillis", offerHoldMillis, 1, 86_400_000);
    long largest = 256L + Task.MAX_TYPE_LENGTH + 4L * embeddingDimension
        + Math.max(maxTaskPayloadBytes, maxResultBytes);
    if (largest > envelopeLimits.maxPayloadBytes()) {
      throw new IllegalArgumentException("envelopeLimits.maxPayloadBytes() = "
          + envelopeLimits.maxPayloadBytes() + " cannot carry the largest task message ("
          + largest + " bytes); raise it or lower maxTaskPayloadBytes / maxResultBytes");
    }
  }

  /** The default configuration (see the component descriptions). */
  public static EdgeNodeConfig defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  private static void range(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be in [" + min + ", " + max + "], was " + value);
    }
  }

  /**
   * Builds an {@link EdgeNodeConfig}; unset values keep their defaults. Not thread-safe; {@link
   * #build()} validates.
   */
  public static final class Builder {
    private int embeddingDimension = 16;
    private int adapterRank = 2;
    private long adapterPoolBytes = 4L << 20;
    private float adapterSimilarity = 0.9f;
    private int requestFanout = 8;
    private int requestRounds = 3;
    private long offerWindowMillis = 150;
    private long retryIntervalMillis = 250;
    private int awardAttempts = 4;
    private long announceIntervalMillis = 2_000;
    private int announceFanout = 4;
    private long capabilityTtlMillis = 30_000;
    private int maxKnownProviders = 4096;
    private int maxOffersPerTask = 32;
    private double crossCheckFraction = 0;
    private int maxPendingTasks = 1024;
    private int maxTaskPayloadBytes = 64 << 10;
    private int maxResultBytes = 64 << 10;
    private EnvelopeLimits envelopeLimits =
        EnvelopeLimits.builder().maxPayloadBytes(256 << 10).build();
    private int executionSlots = 0;
    private long allocationPeriodMillis = 1_000;
    private long offerHoldMillis = 500;

    private Builder() {}

    /** The length of task embeddings and adapter vectors. */
    public Builder embeddingDimension(int dimension) {
      this.embeddingDimension = dimension;
      return this;
    }

    /** The rank of newly created adapters. */
    public Builder adapterRank(int rank) {
      this.adapterRank = rank;
      return this;
    }

    /** The adapter pool's budget in bytes. */
    public Builder adapterPoolBytes(long bytes) {
      this.adapterPoolBytes = bytes;
      return this;
    }

    /** The cosine similarity needed to reuse an adapter. */
    public Builder adapterSimilarity(float similarity) {
      this.adapterSimilarity = similarity;
      return this;
    }

    /** Peers asked for offers per round. */
    public Builder requestFanout(int peers) {
      this.requestFanout = peers;
      return this;
    }

    /** Request rounds before giving up with no offer. */
    public Builder requestRounds(int rounds) {
      this.requestRounds = rounds;
      return this;
    }

    /** How long offers are collected per round (millisecond precision). */
    public Builder offerWindow(Duration window) {
      this.offerWindowMillis = Objects.requireNonNull(window, "window").toMillis();
      return this;
    }

    /** How often an unanswered award is re-sent (millisecond precision). */
    public Builder retryInterval(Duration interval) {
      this.retryIntervalMillis = Objects.requireNonNull(interval, "interval").toMillis();
      return this;
    }

    /** Sends of one award before moving to the next provider. */
    public Builder awardAttempts(int attempts) {
      this.awardAttempts = attempts;
      return this;
    }

    /** How often task types are announced (millisecond precision). */
    public Builder announceInterval(Duration interval) {
      this.announceIntervalMillis = Objects.requireNonNull(interval, "interval").toMillis();
      return this;
    }

    /** Random peers per announcement. */
    public Builder announceFanout(int peers) {
      this.announceFanout = peers;
      return this;
    }

    /** How long an announcement is believed (millisecond precision). */
    public Builder capabilityTtl(Duration ttl) {
      this.capabilityTtlMillis = Objects.requireNonNull(ttl, "ttl").toMillis();
      return this;
    }

    /** Announcing peers remembered at most. */
    public Builder maxKnownProviders(int providers) {
      this.maxKnownProviders = providers;
      return this;
    }

    /** Offers kept per task at most. */
    public Builder maxOffersPerTask(int offers) {
      this.maxOffersPerTask = offers;
      return this;
    }

    /** The fraction of tasks re-executed by a second provider, in [0, 1]. */
    public Builder crossCheckFraction(double fraction) {
      this.crossCheckFraction = fraction;
      return this;
    }

    /** Submitted tasks in flight at most. */
    public Builder maxPendingTasks(int tasks) {
      this.maxPendingTasks = tasks;
      return this;
    }

    /** The largest task payload, in bytes. */
    public Builder maxTaskPayloadBytes(int bytes) {
      this.maxTaskPayloadBytes = bytes;
      return this;
    }

    /** The largest result, in bytes. */
    public Builder maxResultBytes(int bytes) {
      this.maxResultBytes = bytes;
      return this;
    }

    /** The envelope decoder's limits. */
    public Builder envelopeLimits(EnvelopeLimits limits) {
      this.envelopeLimits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** Execution slots shared among task types by the allocator (0: admit everything). */
    public Builder executionSlots(int slots) {
      this.executionSlots = slots;
      return this;
    }

    /** How often the allocator re-splits the slots (millisecond precision). */
    public Builder allocationPeriod(Duration period) {
      this.allocationPeriodMillis = Objects.requireNonNull(period, "period").toMillis();
      return this;
    }

    /** How long an offer holds its slot without an award (millisecond precision). */
    public Builder offerHold(Duration hold) {
      this.offerHoldMillis = Objects.requireNonNull(hold, "hold").toMillis();
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException if a value is out of range, naming it
     */
    public EdgeNodeConfig build() {
      return new EdgeNodeConfig(embeddingDimension, adapterRank, adapterPoolBytes,
          adapterSimilarity, requestFanout, requestRounds, offerWindowMillis, retryIntervalMillis,
          awardAttempts, announceIntervalMillis, announceFanout, capabilityTtlMillis,
          maxKnownProviders, maxOffersPerTask, crossCheckFraction, maxPendingTasks,
          maxTaskPayloadBytes, maxResultBytes, envelopeLimits, executionSlots,
          allocationPeriodMillis, offerHoldMillis);
    }
  }
}
