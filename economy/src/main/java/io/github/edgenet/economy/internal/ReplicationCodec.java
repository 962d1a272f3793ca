package io.github.edgenet.economy.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.LedgerException.Reason;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationId;
import java.util.ArrayList;
import java.util.List;

/**
 * Payload layouts of the replication messages, all integers big-endian, every count and length
 * checked against the bytes present and its bound before anything is allocated.
 *
 * <pre>
 * ops:   u16 count (<= MAX_OPS), then count x (u16 length <= Operation.MAX_BYTES, operation)
 * heads: u16 count (<= MAX_ENTRIES), then count x (account 32, length u64, head 32, conflict i64)
 * pull:  u16 count (<= MAX_ENTRIES), then count x (account 32, first sequence u64)
 * </pre>
 */
public final class ReplicationCodec {
  /** Bytes of one heads entry. */
  public static final int HEAD_BYTES = 32 + 8 + 32 + 8;

  /** Bytes of one pull entry. */
  public static final int PULL_BYTES = 32 + 8;

  /** Most operations in one message. */
  public static final int MAX_OPS = 256;

  /** Most heads or pull entries in one message. */
  public static final int MAX_ENTRIES = 4096;

  private ReplicationCodec() {}

  /** One chain head as sent. */
  public record HeadEntry(NodeId account, long length, OperationId head, long conflict) {}

  /** One pull request entry. */
  public record PullEntry(NodeId account, long fromSeq) {}

  /**
   * Packs operations into as few payloads of at most {@code maxPayload} bytes as possible.
   *
   * @param ops the operations
   * @param maxPayload the payload bound
   * @return the payloads
   */
  public static List<byte[]> encodeOps(List<Operation> ops, int maxPayload) {
    List<byte[]> out = new ArrayList<>();
    int i = 0;
    while (i < ops.size()) {
      int size = 2;
      int j = i;
      while (j < ops.size() && j - i < MAX_OPS && size + 2 + ops.get(j).encodedLength()
          <= maxPayload) {
        size += 2 + ops.get(j).encodedLength();
        j++;
      }
      byte[] b = new byte[size];
      put16(b, 0, j - i);
      int p = 2;
      for (int k = i; k < j; k++) {
        Operation op = ops.get(k);
        put16(b, p, op.encodedLength());
        op.writeTo(b, p + 2);
        p += 2 + op.encodedLength();
      }
      out.add(b);
      i = j;
    }
    return out;
  }

  /**
   * Decodes an operations payload (signatures are checked by the ledger).
   *
   * @param b the payload
   * @return the operations
   * @throws LedgerException if a count or length is over its bound or the bytes are malformed
   */
  public static List<Operation> decodeOps(byte[] b) throws LedgerException {
    int count = count(b, MAX_OPS, -1);
    List<Operation> ops = new ArrayList<>(count);
    int p = 2;
    for (int i = 0; i < count; i++) {
      if (p + 2 > b.length) {
        throw new LedgerException(Reason.MALFORMED, "ops message truncated at " + p);
      }
      int len = get16(b, p);
      if (len > Operation.MAX_BYTES) {
        throw new LedgerException(Reason.OVERSIZED, "an operation of " + len + " bytes");
      }
      if (p + 2 + len > b.length) {
        throw new LedgerException(Reason.MALFORMED, "ops message truncated at " + p);
      }
      ops.add(Operation.decode(b, p + 2, len));
      p += 2 + len;
    }
    if (p != b.length) {
      throw new LedgerException(Reason.MALFORMED, (b.length - p) + " trailing bytes");
    }
    return ops;
  }

  /**
   * Encodes heads.
   *
   * @param heads at most {@link #MAX_ENTRIES}
   * @return the payload
   */
  public static byte[] encodeHeads(List<HeadEntry> heads) {
    byte[] b = new byte[2 + heads.size() * HEAD_BYTES];
    put16(b, 0, heads.size());
    int p = 2;
    for (HeadEntry h : heads) {
      h.account().writeTo(b, p);
      put64(b, p + 32, h.length());
      h.head().writeTo(b, p + 40);
      put64(b, p + 72, h.conflict());
      p += HEAD_BYTES;
    }
    return b;
  }

  /**
   * Decodes heads.
   *
   * @param b the payload
   * @return the entries
   * @throws LedgerException if the count or a value is out of range
   */
  public static List<HeadEntry> decodeHeads(byte[] b) throws LedgerException {
    int count = count(b, MAX_ENTRIES, HEAD_BYTES);
    List<HeadEntry> out = new ArrayList<>(count);
    for (int i = 0, p = 2; i < count; i++, p += HEAD_BYTES) {
      long length = get64(b, p + 32);
      long conflict = get64(b, p + 72);
      if (length < 1 || conflict < -1 || conflict >= length) {
        throw new LedgerException(
            Reason.MALFORMED, "head of length " + length + ", conflict " + conflict);
      }
      out.add(new HeadEntry(NodeId.read(b, p), length, OperationId.read(b, p + 40), conflict));
    }
    return out;
  }

  /**
   * Encodes pull entries.
   *
   * @param pulls at most {@link #MAX_ENTRIES}
   * @return the payload
   */
  public static byte[] encodePulls(List<PullEntry> pulls) {
    byte[] b = new byte[2 + pulls.size() * PULL_BYTES];
    put16(b, 0, pulls.size());
    int p = 2;
    for (PullEntry e : pulls) {
      e.account().writeTo(b, p);
      put64(b, p + 32, e.fromSeq());
      p += PULL_BYTES;
    }
    return b;
  }

  /**
   * Decodes pull entries.
   *
   * @param b the payload
   * @return the entries
   * @throws LedgerException if the count or a value is out of range
   */
  public static List<PullEntry> decodePulls(byte[] b) throws LedgerException {
    int count = count(b, MAX_ENTRIES, PULL_BYTES);
    List<PullEntry> out = new ArrayList<>(count);
    for (int i = 0, p = 2; i < count; i++, p += PULL_BYTES) {
      long from = get64(b, p + 32);
      if (from < 0) {
        throw new LedgerException(Reason.MALFORMED, "pull from sequence " + from);
      }
      out.add(new PullEntry(NodeId.read(b, p), from));
    }
    return out;
  }

  private static int count(byte[] b, int max, int entryBytes) throws LedgerException {
    if (b.length < 2) {
      throw new LedgerException(Reason.MALFORMED, "message of " + b.length + " bytes");
    }
    int count = get16(b, 0);
    if (count > max) {
      throw new LedgerException(Reason.OVERSIZED, count + " entries, at most " + max);
    }
    if (entryBytes > 0 && b.length != 2 + (long) count * entryBytes) {
      throw new LedgerException(
          Reason.MALFORMED, count + " entries in " + b.length + " bytes");
    }
    return count;
  }

  private static void put16(byte[] b, int p, int v) {
    b[p] = (byte) (v >>> 8);
    b[p + 1] = (byte) v;
  }

  private static int get16(byte[] b, int p) {
    return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
  }

  private static void put64(byte[] b, int p, long v) {
    for (int i = 7; i >= 0; i--) {
      b[p + i] = (byte) v;
      v >>>= 8;
    }
  }

  private static long get64(byte[] b, int p) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[p + i] & 0xFF);
    }
    return v;
  }
}
