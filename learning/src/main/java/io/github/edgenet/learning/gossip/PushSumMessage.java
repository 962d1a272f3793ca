package io.github.edgenet.learning.gossip;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.vector.QuantizedKernels;
import java.nio.ByteBuffer;

/**
 * The payload of a push-sum envelope, and its codec. Big-endian:
 *
 * <pre>
 * offset size field
 *      0    1 kind: 1 plain f64, 2 running sum f64, 3 plain Q8_0, 4 plain f32
 *      1    4 dimension d, unsigned, checked against the receiver's bound before allocating
 *      5   32 recipient node id (a message is valid for one receiver only)
 *     37    8 link counter (running sums; 0 otherwise)
 *     45    8 weight, f64
 *     53      kind 1, 2: d x f64 sums; kind 3: ceil(d/32) x f16 scales, then ceil(d/32) x 32 int8
 *             codes (core's Q8_0 block format, {@link QuantizedKernels}); kind 4: d x f32 sums
 * </pre>
 *
 * <p>The decoder checks the kind, the dimension (bound, then equality), the exact length, the
 * recipient and that every value is finite, throwing {@link GossipException} with a typed reason.
 *
 * @param kind the kind
 * @param recipient who the message is for
 * @param counter the running-sum link counter, 0 for plain kinds
 * @param weight the weight part of the mass
 * @param sums the sum part, dequantized for Q8_0
 */
public record PushSumMessage(Kind kind, NodeId recipient, long counter, double weight,
    double[] sums) {

  /** The four encodings. */
  public enum Kind {
    /** A classic push-sum share, f64. */
    PLAIN_F64(1),
    /** A cumulative running sum, f64 (loss-tolerant). */
    RUNNING_SUM_F64(2),
    /** A classic share quantized to Q8_0 blocks (sender keeps the error). */
    PLAIN_Q8_0(3),
    /** A classic share rounded to f32 (sender keeps the rounding error). */
    PLAIN_F32(4);

    final int code;

    Kind(int code) {
      this.code = code;
    }
  }

  static final int HEADER = 53;

  /**
   * The encoded size of a message.
   *
   * @param kind the encoding
   * @param dimension the vector length
   * @return bytes
   */
  public static int encodedLength(Kind kind, int dimension) {
    int blocks = QuantizedKernels.blocks(dimension);
    return HEADER + switch (kind) {
      case PLAIN_F64, RUNNING_SUM_F64 -> Math.multiplyExact(8, dimension);
      case PLAIN_F32 -> Math.multiplyExact(4, dimension);
      case PLAIN_Q8_0 -> blocks * 2 + blocks * QuantizedKernels.Q8_0_BLOCK_BYTES;
    };
  }

  /**
   * Encodes an f64 message.
   *
   * @param kind {@link Kind#PLAIN_F64} or {@link Kind#RUNNING_SUM_F64}
   * @param recipient the receiver
   * @param counter the link counter
   * @param mass {@code d} sums then the weight (further elements ignored)
   * @param dimension {@code d}
   * @return the payload
   */
  static byte[] encodeF64(Kind kind, NodeId recipient, long counter, double[] mass, int dimension) {
    ByteBuffer b = header(kind, dimension, recipient, counter, mass[dimension]);
    for (int i = 0; i < dimension; i++) {
      b.putDouble(mass[i]);
    }
    return b.array();
  }

  /** Encodes an f32 share: the receiver decodes exactly {@code sums}. */
  static byte[] encodeF32(NodeId recipient, float[] sums, double weight) {
    ByteBuffer b = header(Kind.PLAIN_F32, sums.length, recipient, 0, weight);
    for (float v : sums) {
      b.putFloat(v);
    }
    return b.array();
  }

  /**
   * Encodes a Q8_0 share: the sums are quantized with core's kernels, and {@code dequantized}
   * receives exactly what the receiver will decode.
   */
  static byte[] encodeQ8(NodeId recipient, float[] sums, double weight, float[] dequantized) {
    int d = sums.length;
    int blocks = QuantizedKernels.blocks(d);
    byte[] quants = new byte[blocks * QuantizedKernels.Q8_0_BLOCK_BYTES];
    short[] scales = new short[blocks];
    QuantizedKernels.quantizeQ8_0(sums, 0, d, quants, 0, scales, 0);
    QuantizedKernels.dequantizeQ8_0(quants, 0, scales, 0, dequantized, 0, d);
    ByteBuffer b = header(Kind.PLAIN_Q8_0, d, recipient, 0, weight);
    for (short s : scales) {
      b.putShort(s);
    }
    b.put(quants);
    return b.array();
  }

  private static ByteBuffer header(Kind kind, int d, NodeId recipient, long counter, double w) {
    ByteBuffer b = ByteBuffer.allocate(encodedLength(kind, d));
    b.put((byte) kind.code).putInt(d);
    byte[] id = new byte[NodeId.LENGTH];
    recipient.writeTo(id, 0);
    b.put(id).putLong(counter).putDouble(w);
    return b;
  }

  /**
   * Decodes and validates a payload.
   *
   * @param payload the envelope's payload
   * @param self the receiver's id; the message must name it
   * @param dimension the receiver's dimension
   * @param maxDimension the largest dimension accepted, checked before allocating
   * @return the message
   * @throws GossipException if the payload is malformed, too large, of another dimension or
   *     recipient, or holds a non-finite value
   */
  public static PushSumMessage decode(byte[] payload, NodeId self, int dimension, int maxDimension)
      throws GossipException {
    if (payload.length < HEADER) {
      throw new GossipException(GossipException.Reason.MALFORMED,
          "payload of " + payload.length + " bytes is shorter than the " + HEADER + "-byte header",
          null);
    }
    ByteBuffer b = ByteBuffer.wrap(payload);
    int code = b.get();
    Kind kind = switch (code) {
      case 1 -> Kind.PLAIN_F64;
      case 2 -> Kind.RUNNING_SUM_F64;
      case 3 -> Kind.PLAIN_Q8_0;
      case 4 -> Kind.PLAIN_F32;
      default -> throw new GossipException(GossipException.Reason.MALFORMED,
          "unknown kind " + code, null);
    };
    long d = Integer.toUnsignedLong(b.getInt());
    if (d > maxDimension) {
      throw new GossipException(GossipException.Reason.TOO_LARGE,
          "dimension " + d + " exceeds the bound " + maxDimension, null);
    }
    if (d != dimension) {
      throw new GossipException(GossipException.Reason.WRONG_DIMENSION,
          "dimension " + d + ", expected " + dimension, null);
    }
    if (payload.length != encodedLength(kind, dimension)) {
      throw new GossipException(GossipException.Reason.MALFORMED, "length " + payload.length
          + ", expected " + encodedLength(kind, dimension) + " for " + kind, null);
    }
    if (!self.matches(payload, 5)) {
      throw new GossipException(GossipException.Reason.WRONG_RECIPIENT,
          "addressed to " + NodeId.read(payload, 5), null);
    }
    b.position(37);
    long counter = b.getLong();
    double weight = b.getDouble();
    if (!Double.isFinite(weight) || weight < 0) {
      throw new GossipException(GossipException.Reason.NOT_FINITE, "weight " + weight, null);
    }
    if (kind == Kind.RUNNING_SUM_F64 ? counter < 1 : counter != 0) {
      throw new GossipException(GossipException.Reason.MALFORMED,
          "counter " + counter + " for " + kind, null);
    }
    double[] sums = new double[dimension];
    if (kind == Kind.PLAIN_Q8_0) {
      int blocks = QuantizedKernels.blocks(dimension);
      short[] scales = new short[blocks];
      for (int k = 0; k < blocks; k++) {
        scales[k] = b.getShort();
        float s = Float.float16ToFloat(scales[k]);
        if (!Float.isFinite(s)) {
          throw new GossipException(GossipException.Reason.NOT_FINITE, "block scale " + k, null);
        }
      }
      byte[] quants = new byte[blocks * QuantizedKernels.Q8_0_BLOCK_BYTES];
      b.get(quants);
      float[] f = new float[dimension];
      QuantizedKernels.dequantizeQ8_0(quants, 0, scales, 0, f, 0, dimension);
      for (int i = 0; i < dimension; i++) {
        sums[i] = f[i];
      }
    } else if (kind == Kind.PLAIN_F32) {
      for (int i = 0; i < dimension; i++) {
        float v = b.getFloat();
        if (!Float.isFinite(v)) {
          throw new GossipException(GossipException.Reason.NOT_FINITE, "sum[" + i + "] " + v, null);
        }
        sums[i] = v;
      }
    } else {
      for (int i = 0; i < dimension; i++) {
        double v = b.getDouble();
        if (!Double.isFinite(v)) {
          throw new GossipException(GossipException.Reason.NOT_FINITE, "sum[" + i + "] " + v, null);
        }
        sums[i] = v;
      }
    }
    return new PushSumMessage(kind, self, counter, weight, sums);
  }

  static void checkFinite(String name, float[] v) {
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] must be finite, was " + v[i]);
      }
    }
  }
}
