package io.github.edgenet.core.identity;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The identity of a node on the network: its 32-byte Ed25519 public key.
 *
 * <p>Two printable forms: {@link #toString()} gives a short form for logs ({@code n:} and the first
 * 8 bytes in hex, e.g. {@code n:3fa2c1d94b0e7a12}), {@link #toHex()} the full 64 hex digits that
 * {@link #fromHex(String)} reads back. Node ids order by the unsigned bytes of the key, which gives
 * every node the same view of "the smallest id" without coordination.
 *
 * <p>Immutable and thread-safe. The key bytes are copied in and out; a {@code NodeId} never shares
 * an array with its caller.
 */
public final class NodeId implements Comparable<NodeId> {
  /** Length of a node id in bytes (an Ed25519 public key). */
  public static final int LENGTH = 32;

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] key;
  private final int hash;

  private NodeId(byte[] key) {
    this.key = key;
    this.hash = Arrays.hashCode(key);
  }

  /**
   * The node id for a 32-byte public key (copied).
   *
   * @param publicKey a 32-byte Ed25519 public key; copied, so the caller may reuse the array
   * @return the node id for a 32-byte public key (copied)
   * @throws IllegalArgumentException if {@code publicKey} is not exactly 32 bytes
   */
  public static NodeId of(byte[] publicKey) {
    if (publicKey.length != LENGTH) {
      throw new IllegalArgumentException(
          "a node id is a " + LENGTH + "-byte public key, got " + publicKey.length + " bytes");
    }
    return new NodeId(publicKey.clone());
  }

  /**
   * The node id stored at {@code bytes[offset .. offset+32)} (copied).
   *
   * @param bytes the array holding the 32 key bytes; not changed or kept
   * @param offset the index of the first element used
   * @return the node id stored at {@code bytes[offset .. offset+32)} (copied)
   * @throws IndexOutOfBoundsException if the range is outside {@code bytes}
   */
  public static NodeId read(byte[] bytes, int offset) {
    java.util.Objects.checkFromIndexSize(offset, LENGTH, bytes.length);
    return new NodeId(Arrays.copyOfRange(bytes, offset, offset + LENGTH));
  }

  /**
   * Parses the 64-hex-digit form written by {@link #toHex()}.
   *
   * @param hex 64 hex digits, upper or lower case, as {@link #toHex()} writes them
   * @return the node id those digits encode
   * @throws IllegalArgumentException if {@code hex} is not 64 hex digits
   */
  public static NodeId fromHex(String hex) {
    if (hex.length() != 2 * LENGTH) {
      throw new IllegalArgumentException(
          "a node id in hex has " + 2 * LENGTH + " digits, got " + hex.length() + ": " + hex);
    }
    try {
      return new NodeId(HEX.parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a hex node id: " + hex, e);
    }
  }

  /**
   * The key array itself, not a copy: for verification inside this package only. Callers must
   * never write to it or hand it out.
   */
  byte[] keyBytes() {
    return key;
  }

  /**
   * A copy of the 32 public-key bytes.
   *
   * @return a copy of the 32 public-key bytes
   */
  public byte[] toBytes() {
    return key.clone();
  }

  /**
   * Writes the 32 key bytes into {@code dst} at {@code offset}.
   *
   * @param dst the array to write the 32 bytes into
   * @param offset the index of the first element used
   * @throws IndexOutOfBoundsException if the range is outside {@code dst}
   */
  public void writeTo(byte[] dst, int offset) {
    System.arraycopy(key, 0, dst, offset, LENGTH);
  }

  /**
   * Whether the key stored at {@code bytes[offset .. offset+32)} is this id, without copying.
   *
   * @param bytes the array holding the 32 bytes to compare; not changed
   * @param offset the index of the first element used
   * @return whether the key stored at {@code bytes[offset .. offset+32)} is this id, without
   *     copying
   */
  public boolean matches(byte[] bytes, int offset) {
    return Arrays.equals(key, 0, LENGTH, bytes, offset, offset + LENGTH);
  }

  /**
   * The full form: 64 lower-case hex digits.
   *
   * @return the full form
   */
  public String toHex() {
    return HEX.formatHex(key);
  }

  /** The short form for logs: {@code n:} and the first 8 bytes in hex. Not unique; use {@link #toHex()}. */
  @Override
  public String toString() {
    return "n:" + HEX.formatHex(key, 0, 8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeId other && hash == other.hash && Arrays.equals(key, other.key);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(NodeId o) {
    return Arrays.compareUnsigned(key, o.key);
  }
}
