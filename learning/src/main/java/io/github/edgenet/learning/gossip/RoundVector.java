package io.github.edgenet.learning.gossip;

import io.github.edgenet.core.envelope.Envelope;
import io.github.edgenet.core.envelope.EnvelopeDecoder;
import io.github.edgenet.core.envelope.EnvelopeException;
import io.github.edgenet.core.identity.NodeId;
import java.nio.ByteBuffer;

/**
 * The payload of a {@link RobustGossip} envelope: one node's vector for one round. Big-endian:
 *
 * <pre>
 * offset size field
 *      0    1 kind, 1 (f32 values)
 *      1    8 round, unsigned
 *      9    4 dimension d, unsigned, checked against the receiver's before anything is allocated
 *     13  4 d values, f32, finite
 * </pre>
 *
 * <p>No recipient field: the same signed frame goes to every neighbour of the round. A frame
 * replayed to another node is refused there by the neighbourhood check, unless that node is the
 * signer's neighbour too and so was sent the same frame. Stateless.
 */
final class RoundVector {
  static final int HEADER = 13;
  private static final byte KIND_F32 = 1;

  private RoundVector() {}

  /** The payload length for {@code dimension} values. */
  static int encodedLength(int dimension) {
    return Math.addExact(HEADER, Math.multiplyExact(4, dimension));
  }

  /** Encodes {@code values} for {@code round}. */
  static byte[] encode(long round, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(encodedLength(values.length));
    b.put(KIND_F32).putLong(round).putInt(values.length);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  /** A checked frame: its verified signer, its round, and the payload at the first value. */
  record Opened(NodeId sender, long round, ByteBuffer values) {}

  /**
   * Decodes and verifies the envelope (signature, freshness, replay, size), then checks the type
   * and the header; the values are not read yet.
   */
  static Opened open(EnvelopeDecoder decoder, int type, byte[] frame, int dimension)
      throws GossipException {
    Envelope e;
    try {
      e = decoder.decode(frame);
    } catch (EnvelopeException ex) {
      throw new GossipException(GossipException.Reason.ENVELOPE, ex.getMessage(), ex);
    }
    if (e.type() != type) {
      throw new GossipException(GossipException.Reason.MALFORMED,
          "envelope type " + e.type() + ", expected " + type, null);
    }
    ByteBuffer payload = e.payload();
    long round = readHeader(payload, dimension);
    return new Opened(e.sender(), round, payload);
  }

  /**
   * Checks the header against the receiver's dimension and the exact length, without allocating.
   *
   * @return the round; {@code payload} is left positioned at the first value
   */
  static long readHeader(ByteBuffer payload, int dimension) throws GossipException {
    if (payload.remaining() < HEADER) {
      throw new GossipException(GossipException.Reason.MALFORMED, "payload of "
          + payload.remaining() + " bytes is shorter than the " + HEADER + "-byte header", null);
    }
    byte kind = payload.get();
    if (kind != KIND_F32) {
      throw new GossipException(GossipException.Reason.MALFORMED, "unknown kind " + kind, null);
    }
    long round = payload.getLong();
    long d = Integer.toUnsignedLong(payload.getInt());
    if (d > dimension) {
      throw new GossipException(GossipException.Reason.TOO_LARGE,
          "dimension " + d + " exceeds the bound " + dimension, null);
    }
    if (d != dimension) {
      throw new GossipException(GossipException.Reason.WRONG_DIMENSION,
          "dimension " + d + ", expected " + dimension, null);
    }
    if (payload.remaining() != 4L * dimension) {
      throw new GossipException(GossipException.Reason.MALFORMED,
          payload.remaining() + " value bytes, expected " + 4L * dimension, null);
    }
    if (round < 0) {
      throw new GossipException(GossipException.Reason.MALFORMED,
          "round " + Long.toUnsignedString(round) + " is out of range", null);
    }
    return round;
  }

  /** Reads the values after {@link #readHeader}; each must be finite. */
  static float[] readValues(ByteBuffer payload, int dimension) throws GossipException {
    float[] v = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      v[i] = payload.getFloat();
      if (!Float.isFinite(v[i])) {
        throw new GossipException(GossipException.Reason.NOT_FINITE,
            "value[" + i + "] " + v[i], null);
      }
    }
    return v;
  }
}
