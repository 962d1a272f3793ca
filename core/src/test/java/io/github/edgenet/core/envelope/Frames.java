package io.github.edgenet.core.envelope;

import io.github.edgenet.core.identity.NodeIdentity;
import java.nio.ByteBuffer;

/**
 * Builds frames by hand from the layout documented in {@link EnvelopeDecoder}, independently of
 * {@link EnvelopeSender}: a check of the documented format and a way to make frames the sender
 * never would (any sequence number or timestamp, a wrong length field).
 */
final class Frames {
  private Frames() {}

  static byte[] build(
      NodeIdentity signer, int type, long sequence, long timestamp, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(58 + payload.length + 64); // big-endian by default
    b.put((byte) 'E').put((byte) 'N').put((byte) 'V').put((byte) 1);
    b.putShort((short) type);
    b.put(signer.id().toBytes());
    b.putLong(sequence);
    b.putLong(timestamp);
    b.putInt(payload.length);
    b.put(payload);
    byte[] frame = b.array();
    resign(frame, signer);
    return frame;
  }

  /** Signs bytes [0, length - 64) again with {@code signer}, after a header was edited. */
  static byte[] resign(byte[] frame, NodeIdentity signer) {
    signer.sign(frame, 0, frame.length - 64, frame, frame.length - 64);
    return frame;
  }

  static void putLong(byte[] frame, int offset, long value) {
    ByteBuffer.wrap(frame).putLong(offset, value);
  }

  static void putInt(byte[] frame, int offset, int value) {
    ByteBuffer.wrap(frame).putInt(offset, value);
  }
}
