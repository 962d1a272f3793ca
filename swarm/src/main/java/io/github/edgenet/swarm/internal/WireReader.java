package io.github.edgenet.swarm.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.protocol.SwarmProtocolException;
import io.github.edgenet.swarm.protocol.SwarmProtocolException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads big-endian fields from an untrusted payload, checking every length against the bytes
 * present and the caller's bound before allocating. Not thread-safe.
 */
public final class WireReader {
  private final ByteBuffer buf;

  /**
   * A reader over {@code payload} from its position.
   *
   * @param payload the payload, read-only view is fine
   */
  public WireReader(ByteBuffer payload) {
    this.buf = payload;
  }

  private void need(int bytes, String field) throws SwarmProtocolException {
    if (buf.remaining() < bytes) {
      throw new SwarmProtocolException(
          Reason.TRUNCATED, field + " needs " + bytes + " bytes, " + buf.remaining() + " left");
    }
  }

  /** The version byte, which must equal {@code expected}. */
  public void version(int expected) throws SwarmProtocolException {
    need(1, "version");
    int v = buf.get() & 0xFF;
    if (v != expected) {
      throw new SwarmProtocolException(
          Reason.UNSUPPORTED_VERSION, "version " + v + ", expected " + expected);
    }
  }

  /** An unsigned byte. */
  public int u8(String field) throws SwarmProtocolException {
    need(1, field);
    return buf.get() & 0xFF;
  }

  /** An unsigned 16-bit value. */
  public int u16(String field) throws SwarmProtocolException {
    need(2, field);
    return buf.getShort() & 0xFFFF;
  }

  /** A count in {@code [0, max]} (unsigned 16-bit on the wire). */
  public int count(String field, int max) throws SwarmProtocolException {
    int n = u16(field);
    if (n > max) {
      throw new SwarmProtocolException(Reason.OVER_LIMIT, field + " = " + n + " exceeds " + max);
    }
    return n;
  }

  /** A 64-bit value. */
  public long i64(String field) throws SwarmProtocolException {
    need(8, field);
    return buf.getLong();
  }

  /** A non-negative 64-bit value. */
  public long nonNegative(String field) throws SwarmProtocolException {
    long v = i64(field);
    if (v < 0) {
      throw new SwarmProtocolException(Reason.BAD_VALUE, field + " = " + v + " is negative");
    }
    return v;
  }

  /** A finite double. */
  public double finite(String field) throws SwarmProtocolException {
    need(8, field);
    double v = buf.getDouble();
    if (!Double.isFinite(v)) {
      throw new SwarmProtocolException(Reason.BAD_VALUE, field + " = " + v + " is not finite");
    }
    return v;
  }

  /** A finite float. */
  public float finiteFloat(String field) throws SwarmProtocolException {
    need(4, field);
    float v = buf.getFloat();
    if (!Float.isFinite(v)) {
      throw new SwarmProtocolException(Reason.BAD_VALUE, field + " = " + v + " is not finite");
    }
    return v;
  }

  /** A node id (32 bytes). */
  public NodeId nodeId(String field) throws SwarmProtocolException {
    need(NodeId.LENGTH, field);
    byte[] b = new byte[NodeId.LENGTH];
    buf.get(b);
    return NodeId.of(b);
  }

  /** A UTF-8 string of at most {@code maxBytes} bytes (u8 length prefix), validated. */
  public String string(String field, int maxBytes) throws SwarmProtocolException {
    int n = u8(field + " length");
    if (n > maxBytes) {
      throw new SwarmProtocolException(
          Reason.OVER_LIMIT, field + " of " + n + " bytes exceeds " + maxBytes);
    }
    need(n, field);
    ByteBuffer slice = buf.slice(buf.position(), n);
    buf.position(buf.position() + n);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(slice)
          .toString();
    } catch (CharacterCodingException e) {
      throw new SwarmProtocolException(Reason.BAD_VALUE, field + " is not valid UTF-8");
    }
  }

  /** Bytes still unread. */
  public int remaining() {
    return buf.remaining();
  }

  /** Requires that every byte was read. */
  public void end() throws SwarmProtocolException {
    if (buf.hasRemaining()) {
      throw new SwarmProtocolException(
          Reason.TRUNCATED, buf.remaining() + " bytes left over after the last field");
    }
  }
}
