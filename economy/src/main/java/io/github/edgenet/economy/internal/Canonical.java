package io.github.edgenet.economy.internal;

import io.github.edgenet.core.identity.NodeId;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A canonical, big-endian encoder feeding SHA-256: the one encoding every market state digest is
 * computed over, so two nodes with the same state print the same digest. Not thread-safe; one per
 * digest computation.
 */
public final class Canonical {
  private final MessageDigest sha;
  private final byte[] buf = new byte[8];

  private Canonical(String domain) {
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
    text(domain);
  }

  /** A fresh encoder whose first field is the domain tag {@code domain}. */
  public static Canonical of(String domain) {
    return new Canonical(domain);
  }

  /** Appends a 64-bit big-endian integer. */
  public Canonical u64(long v) {
    for (int i = 7; i >= 0; i--) {
      buf[i] = (byte) v;
      v >>>= 8;
    }
    sha.update(buf, 0, 8);
    return this;
  }

  /** Appends the bit pattern of a double (its canonical IEEE-754 form). */
  public Canonical f64(double v) {
    return u64(Double.doubleToLongBits(v));
  }

  /** Appends a boolean as one byte. */
  public Canonical bool(boolean v) {
    sha.update((byte) (v ? 1 : 0));
    return this;
  }

  /** Appends a node id's 32 key bytes. */
  public Canonical id(NodeId id) {
    sha.update(id.toBytes());
    return this;
  }

  /** Appends a length-prefixed byte string. */
  public Canonical bytes(byte[] b) {
    u64(b.length);
    sha.update(b);
    return this;
  }

  /** Appends a length-prefixed UTF-8 string. */
  public Canonical text(String s) {
    return bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Appends a non-negative or negative big integer as length-prefixed two's complement. */
  public Canonical big(BigInteger v) {
    return bytes(v.toByteArray());
  }

  /** The SHA-256 digest of everything appended; the encoder must not be used afterwards. */
  public byte[] finish() {
    return sha.digest();
  }

  /** The digest as 64 lower-case hex digits. */
  public String finishHex() {
    return HexFormat.of().formatHex(finish());
  }

  /** SHA-256 of {@code data}. */
  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
