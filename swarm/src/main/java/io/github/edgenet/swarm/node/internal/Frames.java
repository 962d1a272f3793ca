package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Opens a signed envelope frame that travels inside another message as evidence. Unlike core's
 * decoder it checks neither freshness nor replay (evidence is old and may be forwarded many times):
 * only the version-1 layout (magic, version, payload length against the bytes present) and the
 * sender's Ed25519 signature over everything before it. Stateless and thread-safe.
 */
final class Frames {
  private static final int HEADER = 58;
  private static final int SIGNATURE = NodeIdentity.SIGNATURE_LENGTH;

  private Frames() {}

  /**
   * A frame whose signature verified.
   *
   * @param type the message type
   * @param sender the signer
   * @param timestampMillis the signer's timestamp
   * @param payload the payload (a copy)
   */
  record Opened(int type, NodeId sender, long timestampMillis, byte[] payload) {
    /** The payload, for a message decoder. */
    ByteBuffer buffer() {
      return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }
  }

  /**
   * Checks and opens {@code frame}.
   *
   * @throws Wire.MalformedException naming what is wrong: layout, length or signature
   */
  static Opened open(byte[] frame) throws Wire.MalformedException {
    if (frame.length < HEADER + SIGNATURE) {
      throw new Wire.MalformedException("frame of " + frame.length + " bytes is shorter than "
          + (HEADER + SIGNATURE));
    }
    if (frame[0] != 'E' || frame[1] != 'N' || frame[2] != 'V' || frame[3] != 1) {
      throw new Wire.MalformedException("frame has a bad magic or version");
    }
    ByteBuffer b = ByteBuffer.wrap(frame);
    long n = Integer.toUnsignedLong(b.getInt(54));
    if (n != frame.length - HEADER - SIGNATURE) {
      throw new Wire.MalformedException("frame payload length " + n + " does not match its "
          + (frame.length - HEADER - SIGNATURE) + " bytes");
    }
    NodeId sender = NodeId.of(Arrays.copyOfRange(frame, 6, 38));
    int signed = HEADER + (int) n;
    if (!NodeIdentity.verify(sender, frame, 0, signed, frame, signed)) {
      throw new Wire.MalformedException("frame signature does not verify");
    }
    return new Opened(b.getShort(4) & 0xffff, sender, b.getLong(46),
        Arrays.copyOfRange(frame, HEADER, signed));
  }
}
