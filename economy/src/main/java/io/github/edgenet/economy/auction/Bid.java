package io.github.edgenet.economy.auction;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.internal.Canonical;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A bidder's offer: the price it asks for the task and what it promises. Immutable.
 *
 * @param priceMicros the price asked, token micro-units
 * @param latencyMillis the promised completion latency
 * @param qualityBps the promised quality (e.g. accuracy) in basis points
 */
public record Bid(long priceMicros, long latencyMillis, int qualityBps) {
  /** Length of a commitment (SHA-256) and of a salt, in bytes. */
  public static final int HASH_LENGTH = 32;

  private static final byte[] DOMAIN = "edgenet.auction.commit.v1".getBytes(StandardCharsets.UTF_8);

  /**
   * The commitment a bidder publishes before the commit deadline:
   * {@code SHA-256("edgenet.auction.commit.v1" || auctionId || bidder || price || latency ||
   * quality || salt)}, integers as 8 big-endian bytes. Binding the auction and the bidder stops a
   * commitment from being copied or replayed elsewhere; the secret 32-byte salt (from a
   * {@code SecureRandom}) stops anyone from guessing the price by hashing candidates.
   *
   * @param auctionId the auction's id
   * @param bidder the committing node
   * @param salt 32 secret random bytes
   * @return the 32-byte commitment
   * @throws AuctionException {@code MALFORMED} if the salt is not 32 bytes
   */
  public byte[] commitment(long auctionId, NodeId bidder, byte[] salt) {
    Objects.requireNonNull(bidder, "bidder");
    if (salt == null || salt.length != HASH_LENGTH) {
      throw new AuctionException(AuctionException.Reason.MALFORMED,
          "salt must be " + HASH_LENGTH + " bytes, got " + (salt == null ? "null" : salt.length));
    }
    byte[] msg = new byte[DOMAIN.length + 8 + NodeId.LENGTH + 8 + 8 + 8 + HASH_LENGTH];
    int o = 0;
    System.arraycopy(DOMAIN, 0, msg, o, DOMAIN.length);
    o += DOMAIN.length;
    o = put(msg, o, auctionId);
    bidder.writeTo(msg, o);
    o += NodeId.LENGTH;
    o = put(msg, o, priceMicros);
    o = put(msg, o, latencyMillis);
    o = put(msg, o, qualityBps);
    System.arraycopy(salt, 0, msg, o, HASH_LENGTH);
    return Canonical.sha256(msg);
  }

  static boolean matches(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }

  private static int put(byte[] b, int o, long v) {
    for (int i = 7; i >= 0; i--) {
      b[o + i] = (byte) v;
      v >>>= 8;
    }
    return o + 8;
  }
}
