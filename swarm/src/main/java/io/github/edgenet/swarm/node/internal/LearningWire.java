package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.swarm.node.LearningMetrics.Rejection;
import io.github.edgenet.swarm.node.Task;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The payload of a learning share (envelope type {@link CollectiveLearning#SHARE}): one provider's
 * signed contribution to one round of one task type's adapter. Big-endian:
 *
 * <pre>
 * u16 n, n bytes type (printable ASCII, 1..64)
 * u64 round, u64 baseVersion, u64 samples, f64 quality, u32 d, d x f32 parameters
 * </pre>
 *
 * <p>After the type, the fields are learning's {@code Contribution} payload, in its order. The
 * sender is the envelope's verified signer. Every count is checked against its bound and against
 * the bytes present before anything is allocated.
 */
final class LearningWire {
  private LearningWire() {}

  /** Fixed bytes after the type: round, base, samples, quality, d. */
  static final int FIELDS = 8 + 8 + 8 + 8 + 4;

  /** A rejected payload: the reason and what was wrong. */
  static final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;
    final Rejection reason;

    Rejected(Rejection reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }
  }

  /** A decoded share, before the round checks. */
  record Share(long round, long baseVersion, long samples, double quality, float[] params) {}

  /** The largest payload for parameter vectors of at most {@code maxParams} floats. */
  static int maxPayload(int maxParams) {
    return 2 + Task.MAX_TYPE_LENGTH + FIELDS + 4 * maxParams;
  }

  static byte[] encode(String type, long round, long baseVersion, long samples, double quality,
      float[] params) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(2 + t.length + FIELDS + 4 * params.length);
    b.putShort((short) t.length).put(t);
    b.putLong(round).putLong(baseVersion).putLong(samples).putDouble(quality);
    b.putInt(params.length);
    for (float v : params) {
      b.putFloat(v);
    }
    return b.array();
  }

  /** Reads the type (the first field), leaving the buffer after it. */
  static String type(ByteBuffer in) throws Rejected {
    if (in.remaining() < 2) {
      throw new Rejected(Rejection.MALFORMED, "no type length");
    }
    int n = in.getShort() & 0xffff;
    if (n < 1 || n > Task.MAX_TYPE_LENGTH || n > in.remaining()) {
      throw new Rejected(Rejection.MALFORMED, "type length " + n);
    }
    byte[] b = new byte[n];
    in.get(b);
    for (int i = 0; i < n; i++) {
      if (b[i] < 0x21 || b[i] > 0x7e) {
        throw new Rejected(Rejection.MALFORMED, "non-printable type byte at " + i);
      }
    }
    return new String(b, StandardCharsets.US_ASCII);
  }

  /** Reads the rest, expecting exactly {@code dimension} parameters. */
  static Share body(ByteBuffer in, int dimension) throws Rejected {
    if (in.remaining() < FIELDS) {
      throw new Rejected(Rejection.MALFORMED, in.remaining() + " bytes, fields need " + FIELDS);
    }
    long round = in.getLong();
    long base = in.getLong();
    long samples = in.getLong();
    double quality = in.getDouble();
    long d = Integer.toUnsignedLong(in.getInt());
    if (d != dimension) {
      throw new Rejected(Rejection.WRONG_DIMENSION, d + " parameters, expected " + dimension);
    }
    if (in.remaining() != 4L * dimension) {
      throw new Rejected(Rejection.MALFORMED,
          in.remaining() + " parameter bytes, expected " + 4L * dimension);
    }
    if (round < 0 || base < 0 || samples < 1 || !Double.isFinite(quality)) {
      throw new Rejected(Rejection.INVALID, "round " + round + ", base " + base + ", samples "
          + samples + ", quality " + quality);
    }
    float[] p = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      p[i] = in.getFloat();
      if (!Float.isFinite(p[i])) {
        throw new Rejected(Rejection.INVALID, "parameter " + i + " is not finite");
      }
    }
    return new Share(round, base, samples, quality, p);
  }
}
