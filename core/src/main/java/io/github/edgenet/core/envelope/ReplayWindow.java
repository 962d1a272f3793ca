package io.github.edgenet.core.envelope;

/**
 * One sender's anti-replay state: the highest sequence number accepted and a bitmap of which of the
 * {@code size} numbers at and below it were accepted, as in IPsec (RFC 4303 section 3.4.3) and DTLS
 * (RFC 6347 section 4.1.2.6). The bitmap is a ring of 64-bit blocks indexed by {@code sequence /
 * 64} so that moving the window forward clears whole blocks instead of shifting bits (the layout of
 * RFC 6479). Sequence numbers are unsigned 64-bit values.
 *
 * <p>Also remembers the largest timestamp accepted from the sender, which says when the window may
 * be forgotten safely (see {@link ReplayGuard}).
 *
 * <p>Not thread-safe: {@link ReplayGuard} guards every instance.
 */
final class ReplayWindow {
  static final int NEW = 0;
  static final int REPLAYED = 1;
  static final int BEHIND = 2;

  private final int size;
  private final long[] ring;
  private long highest;
  private long maxTimestamp;

  /** A window whose first accepted frame is {@code sequence} stamped {@code timestampMillis}. */
  ReplayWindow(int size, long sequence, long timestampMillis) {
    this.size = size;
    // size bits below and including the highest span at most size / 64 + 1 blocks.
    this.ring = new long[size / 64 + 1];
    this.highest = sequence;
    this.maxTimestamp = timestampMillis;
    ring[slot(sequence)] = bit(sequence);
  }

  /** {@link #NEW}, {@link #REPLAYED} or {@link #BEHIND}; changes nothing. */
  int check(long sequence) {
    if (Long.compareUnsigned(sequence, highest) > 0) {
      return NEW;
    }
    long behind = highest - sequence; // unsigned distance, < 2^64
    if (Long.compareUnsigned(behind, size) >= 0) {
      return BEHIND;
    }
    return (ring[slot(sequence)] & bit(sequence)) != 0 ? REPLAYED : NEW;
  }

  /** Records {@code sequence}, which {@link #check} just called {@link #NEW}. */
  void accept(long sequence, long timestampMillis) {
    if (Long.compareUnsigned(sequence, highest) > 0) {
      long fromBlock = highest >>> 6;
      long toBlock = sequence >>> 6;
      long advance = toBlock - fromBlock; // >= 0, unsigned order of blocks follows the numbers'
      if (Long.compareUnsigned(advance, ring.length) >= 0) {
        java.util.Arrays.fill(ring, 0L);
      } else {
        for (long b = fromBlock + 1; b != toBlock + 1; b++) {
          ring[(int) Long.remainderUnsigned(b, ring.length)] = 0L;
        }
      }
      highest = sequence;
    }
    ring[slot(sequence)] |= bit(sequence);
    if (timestampMillis > maxTimestamp) {
      maxTimestamp = timestampMillis;
    }
  }

  long highest() {
    return highest;
  }

  long maxTimestamp() {
    return maxTimestamp;
  }

  int size() {
    return size;
  }

  private int slot(long sequence) {
    return (int) ((sequence >>> 6) % ring.length);
  }

  private static long bit(long sequence) {
    return 1L << (sequence & 63);
  }
}
