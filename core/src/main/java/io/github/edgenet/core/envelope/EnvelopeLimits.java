package io.github.edgenet.core.envelope;

import java.time.Duration;
import java.util.Objects;

/**
 * What an {@link EnvelopeDecoder} accepts: sizes, freshness and replay-tracking bounds. Every
 * length in a frame is checked against these limits, and against the bytes actually present, before
 * anything is allocated.
 *
 * <p>{@link #defaults()} suits a node exchanging messages up to 1 MiB with peers whose clocks agree
 * within 30 seconds; {@link #builder()} changes single values. Immutable and thread-safe.
 *
 * @param maxPayloadBytes the largest payload accepted, in bytes (default 1 MiB)
 * @param maxFrameBytes the largest whole frame accepted, in bytes, header and signature included
 *     (default {@code maxPayloadBytes + OVERHEAD}); at least {@link #OVERHEAD} (122)
 * @param maxAgeMillis how old a timestamp may be, in milliseconds of the decoder's clock (default 2
 *     minutes)
 * @param maxFutureSkewMillis how far ahead of the decoder's clock a timestamp may be, in
 *     milliseconds (default 30 seconds)
 * @param replayWindow how many sequence numbers below a sender's highest one are remembered, a
 *     multiple of 64 in [64, 65536] (default 1024); frames further behind are rejected
 * @param maxTrackedPeers how many senders' replay windows are kept at most (default 16384, about 5
 *     MB with the default window)
 */
public record EnvelopeLimits(
    int maxPayloadBytes,
    int maxFrameBytes,
    long maxAgeMillis,
    long maxFutureSkewMillis,
    int replayWindow,
    int maxTrackedPeers) {

  /** Bytes a frame adds to its payload: a 58-byte header and a 64-byte signature. */
  public static final int OVERHEAD = EnvelopeFormat.OVERHEAD;

  /** The largest payload a frame can carry at all: a frame must fit a Java array. */
  public static final int MAX_PAYLOAD = Integer.MAX_VALUE - 8 - OVERHEAD;

  /** The largest {@link #replayWindow()}. */
  public static final int MAX_REPLAY_WINDOW = 65536;

  /** The largest {@link #maxAgeMillis()} and {@link #maxFutureSkewMillis()}: one year. */
  public static final long MAX_TIME_BOUND_MILLIS = 366L * 24 * 3600 * 1000;

  private static final EnvelopeLimits DEFAULTS = builder().build();

  /**
   * Validates every component.
   *
   * @throws IllegalArgumentException naming the first component out of range and its value
   */
  public EnvelopeLimits {
    if (maxPayloadBytes < 0 || maxPayloadBytes > MAX_PAYLOAD) {
      throw new IllegalArgumentException(
          "maxPayloadBytes must be in [0, " + MAX_PAYLOAD + "], was " + maxPayloadBytes);
    }
    if (maxFrameBytes < OVERHEAD) {
      throw new IllegalArgumentException(
          "maxFrameBytes must be >= " + OVERHEAD + " (header and signature), was " + maxFrameBytes);
    }
    if (maxAgeMillis < 1 || maxAgeMillis > MAX_TIME_BOUND_MILLIS) {
      throw new IllegalArgumentException(
          "maxAgeMillis must be in [1, " + MAX_TIME_BOUND_MILLIS + "], was " + maxAgeMillis);
    }
    if (maxFutureSkewMillis < 0 || maxFutureSkewMillis > MAX_TIME_BOUND_MILLIS) {
      throw new IllegalArgumentException(
          "maxFutureSkewMillis must be in [0, "
              + MAX_TIME_BOUND_MILLIS
              + "], was "
              + maxFutureSkewMillis);
    }
    if (replayWindow < 64 || replayWindow > MAX_REPLAY_WINDOW || replayWindow % 64 != 0) {
      throw new IllegalArgumentException(
          "replayWindow must be a multiple of 64 in [64, "
              + MAX_REPLAY_WINDOW
              + "], was "
              + replayWindow);
    }
    if (maxTrackedPeers < 1) {
      throw new IllegalArgumentException("maxTrackedPeers must be >= 1, was " + maxTrackedPeers);
    }
  }

  /**
   * The default limits (see the component descriptions).
   *
   * @return the default limits (see the component descriptions)
   */
  public static EnvelopeLimits defaults() {
    return DEFAULTS;
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a builder starting from the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The largest payload a frame may have under both size limits. */
  int effectivePayloadLimit() {
    return Math.min(maxPayloadBytes, maxFrameBytes - OVERHEAD);
  }

  /**
   * Builds {@link EnvelopeLimits}; unset values keep their defaults. Not thread-safe; {@link
   * #build()} validates.
   */
  public static final class Builder {
    private int maxPayloadBytes = 1 << 20;
    private int maxFrameBytes = -1;
    private long maxAgeMillis = Duration.ofMinutes(2).toMillis();
    private long maxFutureSkewMillis = Duration.ofSeconds(30).toMillis();
    private int replayWindow = 1024;
    private int maxTrackedPeers = 16_384;

    private Builder() {}

    /**
     * The largest payload accepted, in bytes.
     *
     * @param bytes the largest payload, in [0, {@link #MAX_PAYLOAD}] (checked by {@link #build()})
     * @return this builder
     */
    public Builder maxPayloadBytes(int bytes) {
      this.maxPayloadBytes = bytes;
      return this;
    }

    /**
     * The largest whole frame accepted, in bytes; unset, it is the payload limit plus {@link
     * #OVERHEAD}.
     *
     * @param bytes the largest frame, header and signature included, at least {@link #OVERHEAD}
     *     (checked by {@link #build()})
     * @return this builder
     */
    public Builder maxFrameBytes(int bytes) {
      this.maxFrameBytes = bytes;
      return this;
    }

    /**
     * How old a timestamp may be (millisecond precision).
     *
     * @param age the oldest timestamp accepted, from 1 ms to one year (checked by {@link #build()})
     * @return this builder
     */
    public Builder maxAge(Duration age) {
      this.maxAgeMillis = Objects.requireNonNull(age, "age").toMillis();
      return this;
    }

    /**
     * How far in the future a timestamp may be (millisecond precision).
     *
     * @param skew how far ahead of the decoder's clock a timestamp may be, from 0 to one year
     *     (checked by {@link #build()})
     * @return this builder
     */
    public Builder maxFutureSkew(Duration skew) {
      this.maxFutureSkewMillis = Objects.requireNonNull(skew, "skew").toMillis();
      return this;
    }

    /**
     * How many sequence numbers per sender the replay window covers: a multiple of 64.
     *
     * @param sequenceNumbers the window, a multiple of 64 in [64, {@link #MAX_REPLAY_WINDOW}]
     *     (checked by {@link #build()})
     * @return this builder
     */
    public Builder replayWindow(int sequenceNumbers) {
      this.replayWindow = sequenceNumbers;
      return this;
    }

    /**
     * How many senders are tracked at most.
     *
     * @param peers the most senders tracked, {@code >= 1} (checked by {@link #build()}); each costs
     *     about {@code replayWindow / 8} bytes plus a map entry
     * @return this builder
     */
    public Builder maxTrackedPeers(int peers) {
      this.maxTrackedPeers = peers;
      return this;
    }

    /**
     * The limits.
     *
     * @return the limits
     * @throws IllegalArgumentException if a value is out of range, naming it
     */
    public EnvelopeLimits build() {
      int frame =
          maxFrameBytes >= 0
              ? maxFrameBytes
              : (int) Math.min((long) maxPayloadBytes + OVERHEAD, Integer.MAX_VALUE);
      return new EnvelopeLimits(
          maxPayloadBytes, frame, maxAgeMillis, maxFutureSkewMillis, replayWindow, maxTrackedPeers);
    }
  }
}
