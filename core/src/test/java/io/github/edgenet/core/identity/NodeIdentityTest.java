package io.github.edgenet.core.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NodeIdentityTest {
  private static final HexFormat HEX = HexFormat.of();

  static IntStream vectorIndexes() {
    return IntStream.range(0, Rfc8032Vectors.VECTORS.length);
  }

  /** Our public key and signature match RFC 8032 section 7.1 byte for byte, and verify. */
  @ParameterizedTest
  @MethodSource("vectorIndexes")
  void matchesRfc8032Vectors(int index) {
    String[] v = Rfc8032Vectors.VECTORS[index];
    byte[] message = HEX.parseHex(v[2]);
    NodeIdentity identity = NodeIdentity.fromSeed(HEX.parseHex(v[0]));

    assertEquals(v[1], identity.id().toHex(), "public key of vector " + index);
    assertEquals(v[3], HEX.formatHex(identity.sign(message)), "signature of vector " + index);

    byte[] signature = HEX.parseHex(v[3]);
    NodeId signer = NodeId.fromHex(v[1]);
    assertTrue(NodeIdentity.verify(signer, message, 0, message.length, signature, 0));
    assertTrue(
        SignatureVerifier.create(4).verify(signer, message, 0, message.length, signature, 0));
  }

  @Test
  void shaAbcVectorMessageIsSha512OfAbc() throws Exception {
    byte[] expected = MessageDigest.getInstance("SHA-512").digest("abc".getBytes("US-ASCII"));
    assertEquals(HEX.formatHex(expected), Rfc8032Vectors.VECTORS[3][2]);
  }

  @Test
  void signsAndVerifiesAtOffsets() {
    NodeIdentity identity = NodeIdentity.generate(RandomSource.seeded(1));
    byte[] buffer = new byte[300];
    RandomSource.seeded(2).nextBytes(buffer);
    byte[] signatures = new byte[100];

    identity.sign(buffer, 17, 200, signatures, 30);

    assertTrue(NodeIdentity.verify(identity.id(), buffer, 17, 200, signatures, 30));
    byte[] plain = identity.sign(Arrays.copyOfRange(buffer, 17, 217));
    assertArrayEquals(plain, Arrays.copyOfRange(signatures, 30, 94), "offsets change nothing");
    assertFalse(NodeIdentity.verify(identity.id(), buffer, 18, 200, signatures, 30));
  }

  /** Every single-bit change of message, signature or key makes verification fail. */
  @Test
  void tamperedMessageSignatureOrKeyFails() {
    NodeIdentity identity = NodeIdentity.generate(RandomSource.seeded(3));
    byte[] message = "pay 10 to n:3fa2".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] signature = identity.sign(message);
    NodeId id = identity.id();
    assertTrue(NodeIdentity.verify(id, message, 0, message.length, signature, 0));

    for (int bit = 0; bit < message.length * 8; bit++) {
      byte[] m = message.clone();
      m[bit / 8] ^= (byte) (1 << (bit % 8));
      assertFalse(NodeIdentity.verify(id, m, 0, m.length, signature, 0), "message bit " + bit);
    }
    for (int bit = 0; bit < signature.length * 8; bit++) {
      byte[] s = signature.clone();
      s[bit / 8] ^= (byte) (1 << (bit % 8));
      assertFalse(
          NodeIdentity.verify(id, message, 0, message.length, s, 0), "signature bit " + bit);
    }
    byte[] key = id.toBytes();
    for (int bit = 0; bit < key.length * 8; bit++) {
      byte[] k = key.clone();
      k[bit / 8] ^= (byte) (1 << (bit % 8));
      assertFalse(
          NodeIdentity.verify(NodeId.of(k), message, 0, message.length, signature, 0),
          "key bit " + bit);
    }
    NodeIdentity other = NodeIdentity.generate(RandomSource.seeded(4));
    assertFalse(NodeIdentity.verify(other.id(), message, 0, message.length, signature, 0));
  }

  /** Keys that are not valid points, or are of small order, give false, not an exception. */
  @Test
  void invalidPublicKeysAreRejectedQuietly() {
    byte[] message = {1, 2, 3};
    byte[] signature = NodeIdentity.generate(RandomSource.seeded(5)).sign(message);
    byte[] ff = new byte[32];
    Arrays.fill(ff, (byte) 0xFF); // y = 2^255 - 1 >= p: not canonical
    byte[] one = new byte[32];
    one[0] = 1; // y = 1: the neutral element, small order
    for (byte[] key : new byte[][] {new byte[32], ff, one}) {
      NodeId id = NodeId.of(key);
      assertFalse(NodeIdentity.verify(id, message, 0, 3, signature, 0), HEX.formatHex(key));
      assertFalse(SignatureVerifier.create(4).verify(id, message, 0, 3, signature, 0));
    }
  }

  @Test
  void seededIdentitiesAreReproducible() {
    assertEquals(
        NodeIdentity.generate(RandomSource.seeded(42)).id(),
        NodeIdentity.generate(RandomSource.seeded(42)).id());
    assertNotEquals(
        NodeIdentity.generate(RandomSource.seeded(42)).id(),
        NodeIdentity.generate(RandomSource.seeded(43)).id());
    assertNotEquals(NodeIdentity.generate(new SecureRandom()).id(), NodeIdentity.generate().id());
  }

  @Test
  void fromSeedCopiesItsInput() {
    byte[] seed = HEX.parseHex(Rfc8032Vectors.VECTORS[0][0]);
    NodeIdentity identity = NodeIdentity.fromSeed(seed);
    Arrays.fill(seed, (byte) 0);
    assertEquals(Rfc8032Vectors.VECTORS[0][1], identity.id().toHex());
    assertEquals(Rfc8032Vectors.VECTORS[0][3], HEX.formatHex(identity.sign(new byte[0])));
  }

  @Test
  void programmerErrorsNameTheValue() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> NodeIdentity.fromSeed(new byte[31]));
    assertTrue(e.getMessage().contains("31"), e.getMessage());
    NodeIdentity identity = NodeIdentity.generate(RandomSource.seeded(6));
    assertThrows(
        IndexOutOfBoundsException.class, () -> identity.sign(new byte[10], 5, 6, new byte[64], 0));
    assertThrows(
        IndexOutOfBoundsException.class, () -> identity.sign(new byte[10], 0, 10, new byte[64], 1));
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> NodeIdentity.verify(identity.id(), new byte[10], 0, 10, new byte[63], 0));
  }

  @Test
  void toStringShowsTheIdNotTheSecret() {
    byte[] seed = HEX.parseHex(Rfc8032Vectors.VECTORS[1][0]);
    String s = NodeIdentity.fromSeed(seed).toString();
    assertTrue(s.contains("n:3d4017c3e843895a"), s);
    assertFalse(s.contains(Rfc8032Vectors.VECTORS[1][0].substring(0, 8)), s);
  }
}
