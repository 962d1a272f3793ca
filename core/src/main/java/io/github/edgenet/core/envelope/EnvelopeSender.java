package io.github.edgenet.core.envelope;

import static io.github.edgenet.core.envelope.EnvelopeFormat.HEADER_LENGTH;
import static io.github.edgenet.core.envelope.EnvelopeFormat.OVERHEAD;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.internal.BigEndian;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Seals outgoing messages into signed frames for one identity: the only place its sequence numbers
 * come from.
 *
 * <p>Each frame gets the next sequence number and the clock's {@link Clock#epochMillis()} as its
 * timestamp, and is signed with the identity's key. The frame layout is described in {@link
 * EnvelopeDecoder}.
 *
 * <p>Sequence numbers: {@link #create(NodeIdentity, Clock)} starts at {@code epochMillis * 2^20},
 * so a node that restarts with a fresh sender still continues above every number it used before (as
 * long as it sent fewer than 2<sup>20</sup> frames per millisecond on average, and its clock did
 * not step back); receivers that remember its replay window then accept it at once. {@link
 * #create(NodeIdentity, Clock, long)} starts wherever the caller says, for tests and for nodes that
 * persist their counter. Use one sender per identity: two senders of the same identity hand out
 * overlapping numbers, and receivers reject the second use of each as a replay.
 *
 * <p>Thread-safe: the counter is an {@link AtomicLong}, so concurrent calls get distinct numbers.
 * Frames sealed concurrently may reach the wire out of order; receivers accept that within their
 * replay window.
 */
public final class EnvelopeSender {
  /**
   * The largest timestamp from which {@link #create(NodeIdentity, Clock)} can derive a first
   * sequence number (2^43 - 1 ms, in the year 2248).
   */
  private static final long MAX_EPOCH_MILLIS_FOR_SEQUENCE = (1L << 43) - 1;

  private final NodeIdentity identity;
  private final Clock clock;
  private final AtomicLong next;

  private EnvelopeSender(NodeIdentity identity, Clock clock, long firstSequence) {
    this.identity = identity;
    this.clock = clock;
    this.next = new AtomicLong(firstSequence);
  }

  /**
   * A sender whose first sequence number is {@code clock.epochMillis() * 2^20}.
   *
   * @param identity the identity that signs every frame
   * @param clock stamps each frame with {@link Clock#epochMillis()} and gives the first sequence
   *     number, so that a restarted sender continues above its earlier frames without storing
   *     anything
   * @return a sender whose first sequence number is {@code clock.epochMillis() * 2^20}
   * @throws IllegalArgumentException if the clock reads before 1970 or after the year 2248
   */
  public static EnvelopeSender create(NodeIdentity identity, Clock clock) {
    Objects.requireNonNull(identity, "identity");
    long now = Objects.requireNonNull(clock, "clock").epochMillis();
    if (now < 0 || now > MAX_EPOCH_MILLIS_FOR_SEQUENCE) {
      throw new IllegalArgumentException(
          "cannot derive a first sequence number from clock.epochMillis() = "
              + now
              + " (must be in [0, "
              + MAX_EPOCH_MILLIS_FOR_SEQUENCE
              + "]); pass one explicitly");
    }
    return new EnvelopeSender(identity, clock, now << 20);
  }

  /**
   * A sender whose first sequence number is {@code firstSequence}.
   *
   * @param identity the identity that signs every frame
   * @param clock stamps each frame with {@link Clock#epochMillis()}
   * @param firstSequence the first frame's sequence number, {@code >= 0}; above every sequence
   *     number this identity has used before, or receivers reject the frames as replays
   * @return a sender whose first sequence number is {@code firstSequence}
   * @throws IllegalArgumentException if {@code firstSequence} is negative
   */
  public static EnvelopeSender create(NodeIdentity identity, Clock clock, long firstSequence) {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(clock, "clock");
    if (firstSequence < 0) {
      throw new IllegalArgumentException("firstSequence must be >= 0, was " + firstSequence);
    }
    return new EnvelopeSender(identity, clock, firstSequence);
  }

  /**
   * The identity frames are signed with.
   *
   * @return the identity frames are signed with
   */
  public NodeId id() {
    return identity.id();
  }

  /**
   * The sequence number the next frame will get (a snapshot under concurrency).
   *
   * @return the sequence number the next frame will get (a snapshot under concurrency)
   */
  public long nextSequence() {
    return next.get();
  }

  /**
   * The size in bytes of a frame carrying {@code payloadLength} payload bytes.
   *
   * @param payloadLength the payload's length in bytes, in [0, {@link EnvelopeLimits#MAX_PAYLOAD}]
   * @return the size in bytes of a frame carrying {@code payloadLength} payload bytes
   * @throws IllegalArgumentException if {@code payloadLength} is negative or the frame would not
   *     fit in an array
   */
  public static int frameLength(int payloadLength) {
    if (payloadLength < 0 || payloadLength > EnvelopeLimits.MAX_PAYLOAD) {
      throw new IllegalArgumentException(
          "payloadLength must be in [0, " + EnvelopeLimits.MAX_PAYLOAD + "], was " + payloadLength);
    }
    return payloadLength + OVERHEAD;
  }

  /**
   * Seals {@code payload} as a message of {@code type} into a new frame.
   *
   * @param type the message type, in [0, 65535], which receivers dispatch on (see the envelope type
   *     ranges in docs/architecture.md)
   * @param payload the payload, all of the array; copied into the frame
   * @return a new frame of {@link #frameLength(int) frameLength(payload.length)} bytes, signed,
   *     with the next sequence number
   * @throws IllegalArgumentException if {@code type} is not in [0, 65535] or the payload is too
   *     long
   * @throws IllegalStateException if the sequence numbers are exhausted (after 2^63 - 1)
   */
  public byte[] encode(int type, byte[] payload) {
    return encode(type, payload, 0, payload.length);
  }

  /**
   * Seals {@code payload[offset .. offset+length)} as a message of {@code type} into a new frame of
   * {@link #frameLength(int) frameLength(length)} bytes.
   *
   * @param type the message type, in [0, 65535]
   * @param payload the array holding the payload; copied into the frame, not changed
   * @param offset the index of the first element used
   * @param length the number of elements
   * @return a new frame of {@link #frameLength(int) frameLength(length)} bytes, signed, with the
   *     next sequence number
   * @throws IllegalArgumentException if {@code type} is not in [0, 65535] or the payload is too
   *     long
   * @throws IndexOutOfBoundsException if the range lies outside {@code payload}
   * @throws IllegalStateException if the sequence numbers are exhausted (after 2^63 - 1)
   */
  public byte[] encode(int type, byte[] payload, int offset, int length) {
    byte[] frame = new byte[frameLength(length)];
    encodeInto(type, payload, offset, length, frame, 0);
    return frame;
  }

  /**
   * Seals {@code payload[offset .. offset+length)} as a message of {@code type} into {@code
   * dst[dstOffset ..]}, allocating nothing. The payload may already sit at its place in the frame
   * ({@code dst == payload && offset == dstOffset + 58}): overlapping ranges are copied correctly.
   *
   * @param type the message type, in [0, 65535]
   * @param payload the array holding the payload; not changed unless it is {@code dst} itself
   * @param offset the index of the first element used
   * @param length the number of elements
   * @param dst the array the frame is written into
   * @param dstOffset the index in {@code dst} of its first element used
   * @return the frame length, {@link #frameLength(int) frameLength(length)}
   * @throws IllegalArgumentException if {@code type} is not in [0, 65535] or the payload is too
   *     long
   * @throws IndexOutOfBoundsException if a range lies outside its array
   * @throws IllegalStateException if the sequence numbers are exhausted (after 2^63 - 1)
   */
  public int encodeInto(
      int type, byte[] payload, int offset, int length, byte[] dst, int dstOffset) {
    if (type < 0 || type > EnvelopeFormat.MAX_TYPE) {
      throw new IllegalArgumentException(
          "type must be in [0, " + EnvelopeFormat.MAX_TYPE + "], was " + type);
    }
    Objects.checkFromIndexSize(offset, length, payload.length);
    int frameLength = frameLength(length);
    Objects.checkFromIndexSize(dstOffset, frameLength, dst.length);
    long sequence = next.getAndIncrement();
    if (sequence < 0) {
      next.set(Long.MIN_VALUE); // stay exhausted even if many threads raced past the end
      throw new IllegalStateException(
          "sequence numbers of " + identity.id() + " are exhausted; create a new identity");
    }
    System.arraycopy(payload, offset, dst, dstOffset + HEADER_LENGTH, length);
    dst[dstOffset] = EnvelopeFormat.MAGIC0;
    dst[dstOffset + 1] = EnvelopeFormat.MAGIC1;
    dst[dstOffset + 2] = EnvelopeFormat.MAGIC2;
    dst[dstOffset + EnvelopeFormat.OFF_VERSION] = EnvelopeFormat.VERSION;
    BigEndian.putU16(dst, dstOffset + EnvelopeFormat.OFF_TYPE, type);
    identity.id().writeTo(dst, dstOffset + EnvelopeFormat.OFF_SENDER);
    BigEndian.putU64(dst, dstOffset + EnvelopeFormat.OFF_SEQUENCE, sequence);
    BigEndian.putU64(dst, dstOffset + EnvelopeFormat.OFF_TIMESTAMP, clock.epochMillis());
    BigEndian.putU32(dst, dstOffset + EnvelopeFormat.OFF_PAYLOAD_LENGTH, length);
    identity.sign(dst, dstOffset, HEADER_LENGTH + length, dst, dstOffset + HEADER_LENGTH + length);
    return frameLength;
  }

  @Override
  public String toString() {
    return "EnvelopeSender[" + identity.id() + ", next=" + next.get() + "]";
  }
}
