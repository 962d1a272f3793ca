package io.github.edgenet.swarm.internal;

import io.github.edgenet.core.identity.NodeId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes big-endian fields into a growing byte array. Not thread-safe. */
public final class WireWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

  /** Appends one byte. */
  public WireWriter u8(int v) {
    out.write(v);
    return this;
  }

  /** Appends an unsigned 16-bit value. */
  public WireWriter u16(int v) {
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  /** Appends a 64-bit value. */
  public WireWriter i64(long v) {
    for (int s = 56; s >= 0; s -= 8) {
      out.write((int) (v >>> s));
    }
    return this;
  }

  /** Appends a 32-bit value. */
  public WireWriter i32(int v) {
    for (int s = 24; s >= 0; s -= 8) {
      out.write(v >>> s);
    }
    return this;
  }

  /** Appends a double's bits. */
  public WireWriter f64(double v) {
    return i64(Double.doubleToRawLongBits(v));
  }

  /** Appends a float's bits. */
  public WireWriter f32(float v) {
    return i32(Float.floatToRawIntBits(v));
  }

  /** Appends a node id. */
  public WireWriter nodeId(NodeId id) {
    out.writeBytes(id.toBytes());
    return this;
  }

  /** Appends a UTF-8 string with a u8 length prefix (the caller bounded it to 255 bytes). */
  public WireWriter string(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > 255) {
      throw new IllegalArgumentException("string of " + b.length + " UTF-8 bytes exceeds 255");
    }
    out.write(b.length);
    out.writeBytes(b);
    return this;
  }

  /** The bytes written. */
  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
