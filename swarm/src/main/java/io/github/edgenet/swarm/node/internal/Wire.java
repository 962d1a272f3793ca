package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.identity.NodeId;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Big-endian payload writing and bounded reading for the task protocol. Every length read from a
 * peer is checked against a bound and against the bytes present before anything is allocated.
 */
final class Wire {
  private Wire() {}

  /** The length of a hash (SHA-256) field, a commitment or a salt. */
  static final int HASH_LENGTH = 32;

  /** SHA-256 of the {@code parts}, concatenated. */
  static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        md.update(p);
      }
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A payload that does not parse; names the field. */
  static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedException(String message) {
      super(message, null, false, false);
    }
  }

  /** Appends fields to a growing buffer. Not thread-safe. */
  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

    Writer u8(int v) {
      out.write(v);
      return this;
    }

    Writer u16(int v) {
      out.write(v >>> 8);
      out.write(v);
      return this;
    }

    Writer i32(int v) {
      u16(v >>> 16);
      return u16(v & 0xffff);
    }

    Writer i64(long v) {
      i32((int) (v >>> 32));
      return i32((int) v);
    }

    Writer id(NodeId id) {
      out.writeBytes(id.toBytes());
      return this;
    }

    Writer ascii(String s) {
      byte[] b = s.getBytes(StandardCharsets.US_ASCII);
      u16(b.length);
      out.writeBytes(b);
      return this;
    }

    Writer hash(byte[] h) {
      if (h.length != HASH_LENGTH) {
        throw new IllegalArgumentException("a hash is " + HASH_LENGTH + " bytes, was " + h.length);
      }
      out.writeBytes(h);
      return this;
    }

    Writer bytes(byte[] b) {
      i32(b.length);
      out.writeBytes(b);
      return this;
    }

    Writer floats(float[] f) {
      u16(f.length);
      for (float v : f) {
        i32(Float.floatToRawIntBits(v));
      }
      return this;
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }

  /** Reads fields with bounds; every failure is a {@link MalformedException}. */
  static final class Reader {
    private final ByteBuffer in;

    Reader(ByteBuffer in) {
      this.in = in;
    }

    private void need(String field, long bytes) throws MalformedException {
      if (bytes > in.remaining()) {
        throw new MalformedException(
            field + ": needs " + bytes + " bytes, " + in.remaining() + " left");
      }
    }

    int u8(String field) throws MalformedException {
      need(field, 1);
      return in.get() & 0xff;
    }

    int u16(String field) throws MalformedException {
      need(field, 2);
      return in.getShort() & 0xffff;
    }

    long i64(String field) throws MalformedException {
      need(field, 8);
      return in.getLong();
    }

    long nonNegative(String field) throws MalformedException {
      long v = i64(field);
      if (v < 0) {
        throw new MalformedException(field + " must be >= 0, was " + v);
      }
      return v;
    }

    NodeId id(String field) throws MalformedException {
      need(field, NodeId.LENGTH);
      byte[] b = new byte[NodeId.LENGTH];
      in.get(b);
      return NodeId.of(b);
    }

    byte[] hash(String field) throws MalformedException {
      need(field, HASH_LENGTH);
      byte[] b = new byte[HASH_LENGTH];
      in.get(b);
      return b;
    }

    String taskType(String field, int maxLength) throws MalformedException {
      int n = u16(field + " length");
      if (n < 1 || n > maxLength) {
        throw new MalformedException(field + " length must be in [1, " + maxLength + "], was " + n);
      }
      need(field, n);
      byte[] b = new byte[n];
      in.get(b);
      for (int i = 0; i < n; i++) {
        if (b[i] < 0x21 || b[i] > 0x7e) {
          throw new MalformedException(field + " has a non-printable byte at " + i);
        }
      }
      return new String(b, StandardCharsets.US_ASCII);
    }

    byte[] bytes(String field, int maxLength) throws MalformedException {
      need(field + " length", 4);
      int n = in.getInt();
      if (n < 0 || n > maxLength) {
        throw new MalformedException(field + " length must be in [0, " + maxLength + "], was " + n);
      }
      need(field, n);
      byte[] b = new byte[n];
      in.get(b);
      return b;
    }

    float[] embedding(String field, int dimension) throws MalformedException {
      int n = u16(field + " length");
      if (n != dimension) {
        throw new MalformedException(field + " must have " + dimension + " floats, had " + n);
      }
      need(field, 4L * n);
      float[] f = new float[n];
      boolean nonZero = false;
      for (int i = 0; i < n; i++) {
        f[i] = Float.intBitsToFloat(in.getInt());
        if (!Float.isFinite(f[i])) {
          throw new MalformedException(field + "[" + i + "] is not finite");
        }
        nonZero |= f[i] != 0f;
      }
      if (!nonZero) {
        throw new MalformedException(field + " is all zero");
      }
      return f;
    }

    void end() throws MalformedException {
      if (in.hasRemaining()) {
        throw new MalformedException(in.remaining() + " trailing bytes");
      }
    }

  }
}
