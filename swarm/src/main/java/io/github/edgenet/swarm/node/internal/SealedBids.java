package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.economy.auction.Bid;
import io.github.edgenet.swarm.node.TaskId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A provider's sealed bids: for each task it committed to, the ask, the salt and the commitment
 * (economy's {@link Bid#commitment} format, bound to the task's {@linkplain #auctionId auction id}
 * and to this provider).
 *
 * <p><b>Salts.</b> A salt must be unpredictable to everyone but the bidder until it reveals, or the
 * commitment can be opened by hashing the few plausible prices. A seeded {@code RandomSource} is
 * not good enough: on a real node its default seed is derived from the public node id, and its
 * generator is not cryptographic. {@code SecureRandom} would be secret but not replayable. So the
 * salt is {@code HMAC-SHA256(k, "edgenet.auction.salt.v1" || auctionId)} with the key {@code k =
 * SHA-256(Ed25519 signature of "edgenet.auction.salt-key.v1")}: Ed25519 signatures are
 * deterministic and only the holder of the node's private key can compute them, so salts are
 * secret on a real node, replayable in a simulation (same key, same salts), and cost one signature
 * per node rather than one per bid. The domain tag cannot be mistaken for an envelope or a ledger
 * operation (those start with their own magic bytes), and the signature itself is never published.
 *
 * <p>At most {@value #MAX_BIDS} bids are remembered; when full, expired ones go first, then the
 * oldest. Confined to the engine's lock.
 */
final class SealedBids {
  /** What every bid promises besides its price: the flow auctions on price alone. */
  static final long LATENCY_PROMISE_MILLIS = 1;
  /** Quality promised by every bid, basis points. */
  static final int QUALITY_PROMISE_BPS = 10_000;
  /** Bids remembered at most. */
  static final int MAX_BIDS = 4096;

  private static final byte[] SALT_DOMAIN =
      "edgenet.auction.salt.v1".getBytes(StandardCharsets.US_ASCII);

  /**
   * One sealed bid.
   *
   * @param type the task type
   * @param bid the ask and its promises
   * @param salt the secret salt
   * @param commitment what was sent in the COMMIT
   * @param deadlineMillis the task's deadline
   */
  record Sealed(String type, Bid bid, byte[] salt, byte[] commitment, long deadlineMillis) {}

  private final NodeId self;
  private final SecretKeySpec saltKey;
  private final LinkedHashMap<TaskId, Sealed> bids = new LinkedHashMap<>();

  SealedBids(NodeIdentity identity) {
    this.self = identity.id();
    byte[] key = Wire.sha256(identity.sign(
        "edgenet.auction.salt-key.v1".getBytes(StandardCharsets.US_ASCII)));
    this.saltKey = new SecretKeySpec(key, "HmacSHA256");
  }

  /**
   * The auction id of a task (bound into every commitment for it): the first 8 bytes of SHA-256
   * over a domain tag, the submitter and the task number.
   */
  static long auctionId(TaskId id) {
    byte[] h = Wire.sha256("edgenet.auction.task.v1".getBytes(StandardCharsets.US_ASCII),
        id.submitter().toBytes(), ByteBuffer.allocate(8).putLong(id.number()).array());
    return ByteBuffer.wrap(h).getLong();
  }

  /** The salt of this provider's bid in auction {@code auctionId}. */
  byte[] salt(long auctionId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(saltKey);
      mac.update(SALT_DOMAIN);
      mac.update(ByteBuffer.allocate(8).putLong(auctionId).array());
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** The bid already sealed for {@code id}, or null. */
  Sealed get(TaskId id) {
    return bids.get(id);
  }

  /**
   * Seals a new bid at {@code askMicros} for task {@code id}, or returns the one sealed before (a
   * provider commits once per task: a repeated request gets the same commitment).
   *
   * @param nowMillis the provider's clock, to drop expired bids when full
   */
  Sealed seal(TaskId id, String type, long askMicros, long deadlineMillis, long nowMillis) {
    Sealed s = bids.get(id);
    if (s != null) {
      return s;
    }
    if (bids.size() >= MAX_BIDS) {
      bids.values().removeIf(b -> b.deadlineMillis() <= nowMillis);
      Iterator<Map.Entry<TaskId, Sealed>> it = bids.entrySet().iterator();
      while (bids.size() >= MAX_BIDS && it.hasNext()) {
        it.next();
        it.remove();
      }
    }
    long auction = auctionId(id);
    byte[] salt = salt(auction);
    Bid bid = new Bid(askMicros, LATENCY_PROMISE_MILLIS, QUALITY_PROMISE_BPS);
    s = new Sealed(type, bid, salt, bid.commitment(auction, self, salt), deadlineMillis);
    bids.put(id, s);
    return s;
  }

  /** Bids held (for tests). */
  int size() {
    return bids.size();
  }
}
