package io.github.edgenet.economy.ledger;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The identity of an {@link Operation}: the SHA-256 of its canonical unsigned bytes (everything but
 * the signature). Two operations with the same id are the same operation; two signed operations of
 * one account with the same sequence number and different ids are an equivocation.
 *
 * <p>Immutable and thread-safe. Ordered by unsigned lexicographic comparison of the 32 bytes.
 */
public final class OperationId implements Comparable<OperationId> {
  /** Length of an id in bytes. */
  public static final int LENGTH = 32;

  /** The all-zero id: the "previous" link of an account's first operation. */
  public static final OperationId ZERO = new OperationId(new byte[LENGTH]);

  private final byte[] bytes;
  private final int hash;

  private OperationId(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /**
   * The id with these 32 bytes (copied).
   *
   * @param bytes exactly 32 bytes
   * @return the id
   * @throws IllegalArgumentException if {@code bytes} is not 32 bytes long
   */
  public static OperationId of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("an operation id is 32 bytes, got " + bytes.length);
    }
    return new OperationId(bytes.clone());
  }

  /**
   * Reads an id from {@code src[offset .. offset+32)}.
   *
   * @param src the buffer
   * @param offset where the id starts
   * @return the id
   * @throws IndexOutOfBoundsException if the range lies outside {@code src}
   */
  public static OperationId read(byte[] src, int offset) {
    return new OperationId(Arrays.copyOfRange(src, offset, offset + LENGTH));
  }

  /** Wraps an array the caller hands over and never touches again. */
  static OperationId wrap(byte[] bytes) {
    return new OperationId(bytes);
  }

  /**
   * Writes the 32 bytes into {@code dst[offset ..]}.
   *
   * @param dst the buffer
   * @param offset where to write
   */
  public void writeTo(byte[] dst, int offset) {
    System.arraycopy(bytes, 0, dst, offset, LENGTH);
  }

  /**
   * A copy of the 32 bytes.
   *
   * @return a copy of the 32 bytes
   */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /**
   * Lower-case hex of the 32 bytes.
   *
   * @return lower-case hex of the 32 bytes
   */
  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public int compareTo(OperationId o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OperationId other && hash == other.hash && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** The first 8 bytes in hex. */
  @Override
  public String toString() {
    return toHex().substring(0, 16);
  }
}
