package io.github.edgenet.core.identity;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Verifies Ed25519 signatures and remembers the decoded public keys of the peers it has seen.
 *
 * <p>Decoding a public key from its 32 bytes costs a field square root, a noticeable part of one
 * verification. This verifier keeps up to {@code maxCachedKeys} decoded keys (Bouncy Castle's
 * {@code Ed25519.PublicPoint}), least recently used out first, so a node that hears from the same
 * peers again and again pays for the decoding once per peer.
 *
 * <p>Results are exactly those of {@link NodeIdentity#verify}: the same key checks (canonical
 * encoding, not of small order, on the curve) and the same equation. A key enters the cache only
 * after a signature under it verified, so a flood of garbage under random keys cannot evict the
 * keys of real peers; it only costs the attacker's victims the uncached price.
 *
 * <p>Thread-safe. The cache is split into independently locked segments by node id; the locks are
 * held for a map lookup or insertion only, never during the curve arithmetic.
 */
public final class SignatureVerifier {
  private static final int MAX_SEGMENTS = 16;
  private static final int MIN_KEYS_PER_SEGMENT = 16;

  private final int maxCachedKeys;
  private final Segment[] segments;

  private SignatureVerifier(int maxCachedKeys) {
    this.maxCachedKeys = maxCachedKeys;
    int segmentCount = 1;
    while (segmentCount < MAX_SEGMENTS
        && maxCachedKeys / (segmentCount * 2) >= MIN_KEYS_PER_SEGMENT) {
      segmentCount *= 2;
    }
    this.segments = new Segment[maxCachedKeys == 0 ? 0 : segmentCount];
    int perSegment = maxCachedKeys == 0 ? 0 : Math.ceilDiv(maxCachedKeys, segmentCount);
    for (int i = 0; i < segments.length; i++) {
      segments[i] = new Segment(perSegment);
    }
  }

  /**
   * A verifier that caches the decoded keys of up to {@code maxCachedKeys} peers (rounded up to a
   * multiple of the segment count, at most 15 more); 0 disables the cache. Each cached key costs
   * about 200 bytes.
   *
   * @param maxCachedKeys how many peers' decoded public keys to keep, {@code >= 0}; 0 verifies
   *     without a cache (each call decodes the key again)
   * @return a verifier that caches the decoded keys of up to {@code maxCachedKeys} peers (rounded
   *     up to a multiple of the segment count, at most 15 more)
   * @throws IllegalArgumentException if {@code maxCachedKeys} is negative
   */
  public static SignatureVerifier create(int maxCachedKeys) {
    if (maxCachedKeys < 0) {
      throw new IllegalArgumentException("maxCachedKeys must be >= 0, was " + maxCachedKeys);
    }
    return new SignatureVerifier(maxCachedKeys);
  }

  /**
   * The largest number of decoded keys this verifier keeps.
   *
   * @return the largest number of decoded keys this verifier keeps
   */
  public int maxCachedKeys() {
    return maxCachedKeys;
  }

  /**
   * How many decoded keys are cached now (a snapshot; other threads may be changing it).
   *
   * @return how many decoded keys are cached now
   */
  public int cachedKeys() {
    int n = 0;
    for (Segment s : segments) {
      synchronized (s) {
        n += s.size();
      }
    }
    return n;
  }

  /**
   * Whether {@code signature[signatureOffset .. +64)} is {@code signer}'s valid signature of {@code
   * message[offset .. offset+length)}. Returns {@code false}, never throws, for a malformed
   * signature or an invalid public key.
   *
   * @param signer the claimed signer, whose public key checks the signature
   * @param message the array holding the signed bytes; not changed
   * @param offset the index of the first element used
   * @param length the number of elements
   * @param signature the array holding the 64-byte signature; not changed
   * @param signatureOffset the index in {@code signature} of its first element used
   * @return whether {@code signature[signatureOffset .. +64)} is {@code signer}'s valid signature
   *     of {@code message[offset .. offset+length)}
   * @throws IndexOutOfBoundsException if either range lies outside its array
   */
  public boolean verify(
      NodeId signer,
      byte[] message,
      int offset,
      int length,
      byte[] signature,
      int signatureOffset) {
    Objects.checkFromIndexSize(offset, length, message.length);
    Objects.checkFromIndexSize(signatureOffset, NodeIdentity.SIGNATURE_LENGTH, signature.length);
    if (segments.length == 0) {
      return Ed25519.verify(
          signature, signatureOffset, signer.keyBytes(), 0, message, offset, length);
    }
    Segment segment = segments[segmentIndex(signer)];
    Ed25519.PublicPoint point;
    synchronized (segment) {
      point = segment.get(signer);
    }
    if (point != null) {
      return Ed25519.verify(signature, signatureOffset, point, message, offset, length);
    }
    // Partial validation is what Ed25519.verify(byte[] pk ...) does itself: canonical, not of
    // small order, decodable. Full validation would add a scalar multiplication per new peer.
    point = Ed25519.validatePublicKeyPartialExport(signer.keyBytes(), 0);
    if (point == null) {
      return false;
    }
    boolean valid = Ed25519.verify(signature, signatureOffset, point, message, offset, length);
    if (valid) {
      synchronized (segment) {
        segment.putIfAbsent(signer, point);
      }
    }
    return valid;
  }

  private int segmentIndex(NodeId id) {
    int h = id.hashCode();
    h ^= h >>> 16;
    return h & (segments.length - 1);
  }

  @Override
  public String toString() {
    return "SignatureVerifier[maxCachedKeys=" + maxCachedKeys + "]";
  }

  /** One LRU segment; guarded by its own monitor. */
  private static final class Segment extends LinkedHashMap<NodeId, Ed25519.PublicPoint> {
    private static final long serialVersionUID = 1L;
    private final int capacity;

    Segment(int capacity) {
      super(16, 0.75f, true);
      this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<NodeId, Ed25519.PublicPoint> eldest) {
      return size() > capacity;
    }
  }
}
