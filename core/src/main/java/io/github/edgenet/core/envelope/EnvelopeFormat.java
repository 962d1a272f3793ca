package io.github.edgenet.core.envelope;

/**
 * The version-1 frame layout, in one place. Big-endian throughout.
 *
 * <pre>
 * offset  size  field
 *      0     3  magic "ENV" (45 4E 56)
 *      3     1  version, 1
 *      4     2  message type, unsigned
 *      6    32  sender node id (Ed25519 public key)
 *     38     8  sequence number, unsigned, strictly increasing per sender
 *     46     8  timestamp, epoch milliseconds (signed)
 *     54     4  payload length n, unsigned
 *     58     n  payload
 *   58+n    64  Ed25519 signature over bytes [0, 58+n)
 * </pre>
 */
final class EnvelopeFormat {
  static final byte MAGIC0 = 'E';
  static final byte MAGIC1 = 'N';
  static final byte MAGIC2 = 'V';
  static final int MAGIC_LENGTH = 3;
  static final int VERSION = 1;

  static final int OFF_VERSION = 3;
  static final int OFF_TYPE = 4;
  static final int OFF_SENDER = 6;
  static final int OFF_SEQUENCE = 38;
  static final int OFF_TIMESTAMP = 46;
  static final int OFF_PAYLOAD_LENGTH = 54;
  static final int HEADER_LENGTH = 58;
  static final int SIGNATURE_LENGTH = 64;
  static final int OVERHEAD = HEADER_LENGTH + SIGNATURE_LENGTH;

  static final int MAX_TYPE = 0xFFFF;

  private EnvelopeFormat() {}
}
