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
 *     shared among its task types by optimize's allocator (a declined request is answered BUSY
 *     and asked again later); default 0: no allocator, every task is admitted (opt-in: a node that
 *     declines takes part in fewer auctions; see docs/decisions.md)
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

  /**
   * The default configuration, as listed with each component.
   *
   * @return the default configuration (one shared instance)
   */
  public static EdgeNodeConfig defaults() {
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

    /**
     * Sets the length of task embeddings and of the adapters' vectors (default 16).
     *
     * @param dimension the embedding dimension, in [1, {@value #MAX_EMBEDDING_DIMENSION}]
     * @return this builder
     */
    public Builder embeddingDimension(int dimension) {
      this.embeddingDimension = dimension;
      return this;
    }

    /**
     * Sets the rank of adapters created for new task embeddings (default 2).
     *
     * @param rank the adapter rank, in [1, 16]
     * @return this builder
     */
    public Builder adapterRank(int rank) {
      this.adapterRank = rank;
      return this;
    }

    /**
     * Sets the adapter pool's memory budget (default 4 MiB).
     *
     * @param bytes the budget in bytes, {@code >= 1024}
     * @return this builder
     */
    public Builder adapterPoolBytes(long bytes) {
      this.adapterPoolBytes = bytes;
      return this;
    }

    /**
     * Sets the cosine similarity a task embedding needs to reuse an adapter (default 0.9).
     *
     * @param similarity the least cosine similarity, in [-1, 1]
     * @return this builder
     */
    public Builder adapterSimilarity(float similarity) {
      this.adapterSimilarity = similarity;
      return this;
    }

    /**
     * Sets how many peers are asked for offers per request round (default 8).
     *
     * @param peers peers per round, in [1, 1024]
     * @return this builder
     */
    public Builder requestFanout(int peers) {
      this.requestFanout = peers;
      return this;
    }

    /**
     * Sets the request rounds before a task fails with no offer (default 3).
     *
     * @param rounds the request rounds, in [1, 100]
     * @return this builder
     */
    public Builder requestRounds(int rounds) {
      this.requestRounds = rounds;
      return this;
    }

    /**
     * Sets how long offers are collected per round (default 150 ms), truncated to whole
     * milliseconds.
     *
     * @param window the offer window, 1 ms to 1 h
     * @return this builder
     * @throws NullPointerException if {@code window} is null
     */
    public Builder offerWindow(Duration window) {
      this.offerWindowMillis = Objects.requireNonNull(window, "window").toMillis();
      return this;
    }

    /**
     * Sets how often an unanswered award is sent again (default 250 ms), truncated to whole
     * milliseconds.
     *
     * @param interval the retry interval, 1 ms to 1 h
     * @return this builder
     * @throws NullPointerException if {@code interval} is null
     */
    public Builder retryInterval(Duration interval) {
      this.retryIntervalMillis = Objects.requireNonNull(interval, "interval").toMillis();
      return this;
    }

    /**
     * Sets the sends of one award before its provider is given up for the next one (default 4).
     *
     * @param attempts sends per award, in [1, 100]
     * @return this builder
     */
    public Builder awardAttempts(int attempts) {
      this.awardAttempts = attempts;
      return this;
    }

    /**
     * Sets how often the node announces its task types (default 2 s), truncated to whole
     * milliseconds.
     *
     * @param interval the announce interval, 1 ms to 24 h
     * @return this builder
     * @throws NullPointerException if {@code interval} is null
     */
    public Builder announceInterval(Duration interval) {
      this.announceIntervalMillis = Objects.requireNonNull(interval, "interval").toMillis();
      return this;
    }

    /**
     * Sets how many random peers get each announcement (default 4).
     *
     * @param peers peers per announcement, in [0, 1024]; 0 announces to no one
     * @return this builder
     */
    public Builder announceFanout(int peers) {
      this.announceFanout = peers;
      return this;
    }

    /**
     * Sets how long a peer's announcement is believed (default 30 s), truncated to whole
     * milliseconds.
     *
     * @param ttl the capability time-to-live, 1 ms to 24 h
     * @return this builder
     * @throws NullPointerException if {@code ttl} is null
     */
    public Builder capabilityTtl(Duration ttl) {
      this.capabilityTtlMillis = Objects.requireNonNull(ttl, "ttl").toMillis();
      return this;
    }

    /**
     * Sets how many peers' announcements are kept at most (default 4096).
     *
     * @param providers the most peers remembered, in [1, 2^20]
     * @return this builder
     */
    public Builder maxKnownProviders(int providers) {
      this.maxKnownProviders = providers;
      return this;
    }

    /**
     * Sets the offers kept per task at most; later ones are ignored (default 32).
     *
     * @param offers the most offers per task, in [1, 1024]
     * @return this builder
     */
    public Builder maxOffersPerTask(int offers) {
      this.maxOffersPerTask = offers;
      return this;
    }

    /**
     * Sets the fraction of tasks whose accepted result is re-executed by a second provider and
     * compared (default 0).
     *
     * @param fraction the cross-check fraction, in [0, 1]; 0 checks none
     * @return this builder
     */
    public Builder crossCheckFraction(double fraction) {
      this.crossCheckFraction = fraction;
      return this;
    }

    /**
     * Sets the submitted tasks in flight at most; more are refused (default 1024).
     *
     * @param tasks the most pending tasks, in [1, 2^20]
     * @return this builder
     */
    public Builder maxPendingTasks(int tasks) {
      this.maxPendingTasks = tasks;
      return this;
    }

    /**
     * Sets the largest task payload sent or accepted (default 64 KiB); with the largest result it
     * must fit the envelope limits' payload limit.
     *
     * @param bytes the largest payload in bytes, in [0, 16 MiB]
     * @return this builder
     */
    public Builder maxTaskPayloadBytes(int bytes) {
      this.maxTaskPayloadBytes = bytes;
      return this;
    }

    /**
     * Sets the largest result sent or accepted (default 64 KiB); with the largest task payload it
     * must fit the envelope limits' payload limit.
     *
     * @param bytes the largest result in bytes, in [0, 16 MiB]
     * @return this builder
     */
    public Builder maxResultBytes(int bytes) {
      this.maxResultBytes = bytes;
      return this;
    }

    /**
     * Sets what the node's envelope decoder accepts (default: core's defaults with a 256 KiB
     * payload limit).
     *
     * @param limits the envelope limits; their payload limit must carry the largest task message
     *     (about 320 bytes plus 4 bytes per embedding dimension plus the larger of the payload and
     *     result limits)
     * @return this builder
     * @throws NullPointerException if {@code limits} is null
     */
    public Builder envelopeLimits(EnvelopeLimits limits) {
      this.envelopeLimits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Sets the tasks this node holds at once, shared among its task types by optimize's allocator
     * (default 0).
     *
     * @param slots the execution slots, in [0, 2^20]; 0 runs no allocator and admits every task
     * @return this builder
     */
    public Builder executionSlots(int slots) {
      this.executionSlots = slots;
      return this;
    }

    /**
     * Sets how often the allocator re-forecasts demand and re-splits the slots (default 1 s),
     * truncated to whole milliseconds.
     *
     * @param period the allocation period, 1 ms to 24 h
     * @return this builder
     * @throws NullPointerException if {@code period} is null
     */
    public Builder allocationPeriod(Duration period) {
      this.allocationPeriodMillis = Objects.requireNonNull(period, "period").toMillis();
      return this;
    }

    /**
     * Sets how long an offer holds its slot when no award follows (default 500 ms), truncated to
     * whole milliseconds.
     *
     * @param hold the offer hold, 1 ms to 24 h
     * @return this builder
     * @throws NullPointerException if {@code hold} is null
     */
    public Builder offerHold(Duration hold) {
      this.offerHoldMillis = Objects.requireNonNull(hold, "hold").toMillis();
      return this;
    }

    /**
     * The configuration.
     *
     * @return the configuration with the values set and the defaults for the rest
     * @throws IllegalArgumentException if a value is out of range, naming it, or the envelope
     *     limits cannot carry the largest task message
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
