package io.github.edgenet.core.identity;

import io.github.edgenet.core.RandomSource;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A node's Ed25519 key pair (RFC 8032, pure Ed25519, no context): the secret that makes a node who
 * it is, and the {@link NodeId} (its public key) by which peers know it.
 *
 * <p>The secret is the 32-byte RFC 8032 seed; it never leaves this object except encrypted, through
 * {@link KeyFile}. Real identities come from {@link #generate()} or {@link #generate(SecureRandom)}
 * and are stored with {@link KeyFile}. Simulations and tests that must be replayable use {@link
 * #generate(RandomSource)} or {@link #fromSeed(byte[])}: those keys are as predictable as their
 * seed and must never be used on a real network.
 *
 * <p>Signing writes into caller arrays ({@link #sign(byte[], int, int, byte[], int)}); this class
 * allocates nothing per signature (Bouncy Castle allocates a few small temporaries inside). The
 * public key is passed to Bouncy Castle with the seed, so a signature costs one fixed-base scalar
 * multiplication, not two.
 *
 * <p>Verification needs no secret: {@link #verify(NodeId, byte[], int, int, byte[], int)} checks
 * one signature; a {@link SignatureVerifier} does the same and caches decoded public keys per peer.
 *
 * <p>Immutable and thread-safe: any number of threads may sign with one identity at once.
 */
public final class NodeIdentity {
  /** Length of the secret seed in bytes. */
  public static final int SEED_LENGTH = Ed25519.SECRET_KEY_SIZE;

  /** Length of a signature in bytes. */
  public static final int SIGNATURE_LENGTH = Ed25519.SIGNATURE_SIZE;

  private final byte[] seed;
  private final byte[] publicKey;
  private final NodeId id;

  /** Takes ownership of {@code seed}: the caller must not keep or modify it. */
  private NodeIdentity(byte[] seed) {
    this.seed = seed;
    this.publicKey = new byte[NodeId.LENGTH];
    Ed25519.generatePublicKey(seed, 0, publicKey, 0);
    this.id = NodeId.of(publicKey);
  }

  /**
   * A new identity whose seed is drawn from a fresh {@link SecureRandom}: the way to create a real
   * node's identity.
   *
   * @return a new identity whose seed is drawn from a fresh {@link SecureRandom}
   */
  public static NodeIdentity generate() {
    return generate(new SecureRandom());
  }

  /**
   * A new identity whose 32-byte seed is drawn from {@code random}.
   *
   * @param random the source of the 32-byte seed: a {@link SecureRandom}, so the secret key is
   *     unpredictable
   * @return a new identity whose 32-byte seed is drawn from {@code random}
   * @throws NullPointerException if {@code random} is null
   */
  public static NodeIdentity generate(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    byte[] seed = new byte[SEED_LENGTH];
    random.nextBytes(seed);
    return new NodeIdentity(seed);
  }

  /**
   * A deterministic identity whose seed is the next 32 bytes of {@code random}, for simulations and
   * tests that must replay from a seed. <b>Not for real keys</b>: anyone who knows the simulation
   * seed knows the secret key.
   *
   * @param random the seeded stream to draw the 32-byte seed from; it advances by 32 bytes
   * @return a deterministic identity whose seed is the next 32 bytes of {@code random}, for
   *     simulations and tests that must replay from a seed
   * @throws NullPointerException if {@code random} is null
   */
  public static NodeIdentity generate(RandomSource random) {
    Objects.requireNonNull(random, "random");
    byte[] seed = new byte[SEED_LENGTH];
    random.nextBytes(seed);
    return new NodeIdentity(seed);
  }

  /**
   * The identity whose RFC 8032 secret key (seed) is {@code seed} (copied; the caller may clear its
   * array afterwards). For test vectors and simulations; a real key should come from {@link
   * #generate()} and live in a {@link KeyFile}.
   *
   * @param seed the 32-byte RFC 8032 secret key; copied, so the caller may clear it afterwards
   * @return the identity whose RFC 8032 secret key (seed) is {@code seed}
   * @throws IllegalArgumentException if {@code seed} is not exactly 32 bytes
   */
  public static NodeIdentity fromSeed(byte[] seed) {
    if (seed.length != SEED_LENGTH) {
      throw new IllegalArgumentException(
          "seed must be " + SEED_LENGTH + " bytes, was " + seed.length + " bytes");
    }
    return new NodeIdentity(seed.clone());
  }

  /**
   * Used by {@link KeyFile}: builds the identity from a range of a buffer the caller then clears.
   */
  static NodeIdentity fromSeed(byte[] buffer, int offset) {
    return new NodeIdentity(Arrays.copyOfRange(buffer, offset, offset + SEED_LENGTH));
  }

  /** Used by {@link KeyFile}: copies the seed into {@code dst}, which the caller then clears. */
  void copySeedTo(byte[] dst, int offset) {
    System.arraycopy(seed, 0, dst, offset, SEED_LENGTH);
  }

  /**
   * This node's id: its public key.
   *
   * @return this node's id
   */
  public NodeId id() {
    return id;
  }

  /**
   * Signs {@code message[offset .. offset+length)} and writes the 64-byte signature into {@code
   * signature[signatureOffset ..]}. Deterministic: the same identity and message always give the
   * same signature (RFC 8032).
   *
   * @param message the array holding the bytes to sign; not changed
   * @param offset the index of the first element used
   * @param length the number of elements
   * @param signature the array to write the 64-byte signature into
   * @param signatureOffset the index in {@code signature} of its first element used
   * @throws IndexOutOfBoundsException if either range lies outside its array
   */
  public void sign(byte[] message, int offset, int length, byte[] signature, int signatureOffset) {
    Objects.checkFromIndexSize(offset, length, message.length);
    Objects.checkFromIndexSize(signatureOffset, SIGNATURE_LENGTH, signature.length);
    Ed25519.sign(seed, 0, publicKey, 0, message, offset, length, signature, signatureOffset);
  }

  /**
   * Signs all of {@code message} and returns a new 64-byte signature.
   *
   * @param message the bytes to sign, all of the array; not changed
   * @return a new 64-byte Ed25519 signature of {@code message}
   */
  public byte[] sign(byte[] message) {
    byte[] signature = new byte[SIGNATURE_LENGTH];
    sign(message, 0, message.length, signature, 0);
    return signature;
  }

  /**
   * Whether {@code signature[signatureOffset .. +64)} is {@code signer}'s valid Ed25519 signature
   * of {@code message[offset .. offset+length)}. Returns {@code false}, never throws, for any
   * malformed signature or a public key that is not a valid curve point (non-canonical encodings
   * and points of small order are rejected, as Bouncy Castle does). Stateless and thread-safe; a
   * {@link SignatureVerifier} is faster for peers seen repeatedly.
   *
   * @param signer the claimed signer, whose public key checks the signature
   * @param message the array holding the signed bytes; not changed
   * @param offset the index of the first element used
   * @param length the number of elements
   * @param signature the array holding the 64-byte signature; not changed
   * @param signatureOffset the index in {@code signature} of its first element used
   * @return whether {@code signature[signatureOffset .. +64)} is {@code signer}'s valid Ed25519
   *     signature of {@code message[offset .. offset+length)}
   * @throws IndexOutOfBoundsException if either range lies outside its array
   */
  public static boolean verify(
      NodeId signer,
      byte[] message,
      int offset,
      int length,
      byte[] signature,
      int signatureOffset) {
    Objects.checkFromIndexSize(offset, length, message.length);
    Objects.checkFromIndexSize(signatureOffset, SIGNATURE_LENGTH, signature.length);
    return Ed25519.verify(
        signature, signatureOffset, signer.keyBytes(), 0, message, offset, length);
  }

  /** Shows the node id only, never the secret. */
  @Override
  public String toString() {
    return "NodeIdentity[" + id + "]";
  }
}
