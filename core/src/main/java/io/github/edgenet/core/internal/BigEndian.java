package io.github.edgenet.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Big-endian (network order) reads and writes of unsigned fields in byte arrays, for edgenet's
 * wire and file formats. Backed by the JDK's byte-array view {@link VarHandle}s, which compile to
 * single loads and stores. Indexes are checked by the JVM ({@link IndexOutOfBoundsException}).
 */
public final class BigEndian {
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private BigEndian() {}

  /** Writes the low 16 bits of {@code v} at {@code b[off..off+2)}. */
  public static void putU16(byte[] b, int off, int v) {
    SHORT.set(b, off, (short) v);
  }

  /** Writes {@code v} (read as unsigned) at {@code b[off..off+4)}. */
  public static void putU32(byte[] b, int off, int v) {
    INT.set(b, off, v);
  }

  /** Writes {@code v} (read as unsigned) at {@code b[off..off+8)}. */
  public static void putU64(byte[] b, int off, long v) {
    LONG.set(b, off, v);
  }

  /** The unsigned 16-bit value at {@code b[off..off+2)}. */
  public static int getU16(byte[] b, int off) {
    return Short.toUnsignedInt((short) SHORT.get(b, off));
  }

  /** The unsigned 32-bit value at {@code b[off..off+4)}, as a non-negative {@code long}. */
  public static long getU32(byte[] b, int off) {
    return Integer.toUnsignedLong((int) INT.get(b, off));
  }

  /**
   * The 64 bits at {@code b[off..off+8)} (unsigned when the format says so: compare with {@link
   * Long#compareUnsigned}).
   */
  public static long getU64(byte[] b, int off) {
    return (long) LONG.get(b, off);
  }
}
