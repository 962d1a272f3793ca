package io.github.edgenet.core.envelope;

import io.github.edgenet.core.identity.NodeId;
import java.nio.ByteBuffer;

/**
 * A message that passed every check of an {@link EnvelopeDecoder}: well formed, within limits,
 * fresh, signed by {@link #sender()} and not seen before. What {@link #type()} means and how the
 * payload is read is up to the layer above; this class does not interpret either.
 *
 * <p>Immutable and thread-safe. The payload is this object's own copy, independent of the frame it
 * was decoded from.
 */
public final class Envelope {
  private final int type;
  private final NodeId sender;
  private final long sequence;
  private final long timestampMillis;
  private final byte[] payload;

  Envelope(int type, NodeId sender, long sequence, long timestampMillis, byte[] payload) {
    this.type = type;
    this.sender = sender;
    this.sequence = sequence;
    this.timestampMillis = timestampMillis;
    this.payload = payload;
  }

  /**
   * The message type, an unsigned 16-bit value in [0, 65535].
   *
   * @return the message type, an unsigned 16-bit value in [0, 65535]
   */
  public int type() {
    return type;
  }

  /**
   * The node that signed the frame.
   *
   * @return the node that signed the frame
   */
  public NodeId sender() {
    return sender;
  }

  /**
   * The sender's sequence number, an unsigned 64-bit value (compare with {@link
   * Long#compareUnsigned}).
   *
   * @return the sender's sequence number, an unsigned 64-bit value (compare with {@link
   *     Long#compareUnsigned})
   */
  public long sequence() {
    return sequence;
  }

  /**
   * When the sender stamped the frame, in milliseconds since the Unix epoch, by its clock.
   *
   * @return the sender's stamp in milliseconds since 1970-01-01T00:00Z; the decoder has checked it
   *     against its own clock within {@link EnvelopeLimits#maxAgeMillis()} and {@link
   *     EnvelopeLimits#maxFutureSkewMillis()}
   */
  public long timestampMillis() {
    return timestampMillis;
  }

  /**
   * The payload length in bytes.
   *
   * @return the payload length in bytes
   */
  public int payloadLength() {
    return payload.length;
  }

  /**
   * A read-only view of the payload, positioned at 0, without copying.
   *
   * @return a read-only view of the payload, positioned at 0, without copying
   */
  public ByteBuffer payload() {
    return ByteBuffer.wrap(payload).asReadOnlyBuffer();
  }

  /**
   * A copy of the payload.
   *
   * @return a copy of the payload
   */
  public byte[] payloadBytes() {
    return payload.clone();
  }

  @Override
  public String toString() {
    return "Envelope[type="
        + type
        + ", sender="
        + sender
        + ", seq="
        + Long.toUnsignedString(sequence)
        + ", ts="
        + timestampMillis
        + ", "
        + payload.length
        + " bytes]";
  }
}
