package io.github.edgenet.core.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.KeyFile.KdfParameters;
import io.github.edgenet.core.identity.KeyFileException.Reason;
import io.github.edgenet.core.internal.BigEndian;
import io.github.edgenet.core.testing.Allocations;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {
  /** 64 KiB, one pass: a cheap KDF so that tests can decrypt hundreds of files. */
  private static final KdfParameters FAST = new KdfParameters(64, 1, 1);

  private static final char[] PASSWORD = "correct horse battery staple".toCharArray();

  private static NodeIdentity identity() {
    return NodeIdentity.generate(RandomSource.seeded(11));
  }

  private static byte[] fastFile(NodeIdentity identity) {
    return KeyFile.encrypt(identity, PASSWORD, FAST, new SecureRandom());
  }

  private static KeyFileException rejected(byte[] file, char[] password) {
    try {
      NodeIdentity loaded = KeyFile.decrypt(file, password);
      fail("accepted a bad file and loaded " + loaded);
      return null;
    } catch (KeyFileException e) {
      return e;
    }
  }

  /** The real parameters (64 MiB, 3 passes): two derivations, well under a second each. */
  @Test
  void roundTripWithDefaultParameters() throws Exception {
    NodeIdentity identity = identity();
    byte[] file = KeyFile.encrypt(identity, PASSWORD);

    assertEquals(KeyFile.FILE_LENGTH, file.length);
    assertEquals(64 * 1024, (int) BigEndian.getU32(file, KeyFile.OFF_MEMORY));
    assertEquals(3, (int) BigEndian.getU32(file, KeyFile.OFF_ITERATIONS));
    NodeIdentity loaded = KeyFile.decrypt(file, PASSWORD);
    assertEquals(identity.id(), loaded.id());
    byte[] message = {1, 2, 3};
    assertArrayEquals(identity.sign(message), loaded.sign(message), "same secret key");
  }

  @Test
  void roundTripWithNonAsciiPassword() throws Exception {
    char[] password = "pässwörd ✓ \uD83D\uDD11".toCharArray(); // includes a surrogate pair
    NodeIdentity identity = identity();
    byte[] file = KeyFile.encrypt(identity, password, FAST, new SecureRandom());
    assertEquals(identity.id(), KeyFile.decrypt(file, password).id());
    assertEquals(Reason.AUTHENTICATION_FAILED, rejected(file, "passwörd".toCharArray()).reason());
  }

  @Test
  void freshSaltAndNonceEveryTime() {
    NodeIdentity identity = identity();
    byte[] a = fastFile(identity);
    byte[] b = fastFile(identity);
    assertNotEquals(HexFormat.of().formatHex(a), HexFormat.of().formatHex(b));
    assertArrayEquals(
        Arrays.copyOfRange(a, KeyFile.OFF_PUBLIC_KEY, KeyFile.OFF_PUBLIC_KEY + 32),
        identity.id().toBytes(),
        "the public key is stored in clear");
  }

  /**
   * The salt and the nonce are each drawn from the given {@link SecureRandom} (in that order), and
   * each differs between two files: a file whose salt or nonce stopped being random (a skipped
   * {@code nextBytes}, a reused buffer) fails here even if the other field still varies.
   */
  @Test
  void saltAndNonceAreEachDrawnFromTheRandom() throws Exception {
    java.util.List<byte[]> drawn = new java.util.ArrayList<>();
    SecureRandom recording = new SecureRandom() {
      @Override
      public void nextBytes(byte[] bytes) {
        super.nextBytes(bytes);
        drawn.add(bytes.clone());
      }
    };
    NodeIdentity identity = identity();
    byte[] file = KeyFile.encrypt(identity, PASSWORD, FAST, recording);
    assertEquals(2, drawn.size(), "one draw for the salt, one for the nonce");
    assertArrayEquals(drawn.get(0), Arrays.copyOfRange(file, KeyFile.OFF_SALT,
        KeyFile.OFF_SALT + KeyFile.SALT_LENGTH), "the salt is the first draw");
    assertArrayEquals(drawn.get(1), Arrays.copyOfRange(file, KeyFile.OFF_NONCE,
        KeyFile.OFF_NONCE + KeyFile.NONCE_LENGTH), "the nonce is the second draw");
    assertEquals(identity.id(), KeyFile.decrypt(file, PASSWORD).id());

    Set<String> salts = new java.util.HashSet<>();
    Set<String> nonces = new java.util.HashSet<>();
    for (int i = 0; i < 8; i++) {
      byte[] f = fastFile(identity);
      salts.add(HexFormat.of().formatHex(f, KeyFile.OFF_SALT, KeyFile.OFF_SALT + KeyFile.SALT_LENGTH));
      nonces.add(HexFormat.of().formatHex(f, KeyFile.OFF_NONCE, KeyFile.OFF_NONCE + KeyFile.NONCE_LENGTH));
    }
    assertEquals(8, salts.size(), "8 files, distinct salts: " + salts);
    assertEquals(8, nonces.size(), "8 files, distinct nonces: " + nonces);
  }

  @Test
  void wrongPasswordIsATypedError() {
    byte[] file = fastFile(identity());
    KeyFileException e = rejected(file, "correct horse battery stapler".toCharArray());
    assertEquals(Reason.AUTHENTICATION_FAILED, e.reason());
    assertEquals(Reason.AUTHENTICATION_FAILED, rejected(file, new char[0]).reason());
  }

  /**
   * Every byte of the file, changed in one bit, in its top bit or in all bits, is detected: the
   * header is authenticated data, the rest is ciphertext and tag.
   */
  @Test
  void everySingleByteChangeIsRejected() {
    byte[] file = fastFile(identity());
    for (int i = 0; i < file.length; i++) {
      for (int mask : new int[] {0x01, 0x80, 0xFF}) {
        byte[] bad = file.clone();
        bad[i] ^= (byte) mask;
        Reason reason = rejected(bad, PASSWORD).reason();
        Set<Reason> allowed =
            i < 4
                ? EnumSet.of(Reason.BAD_MAGIC)
                : i < KeyFile.OFF_MEMORY
                    ? EnumSet.of(Reason.UNSUPPORTED_VERSION)
                    : i < KeyFile.OFF_SALT
                        ? EnumSet.of(
                            Reason.KDF_PARAMETERS_OUT_OF_BOUNDS, Reason.AUTHENTICATION_FAILED)
                        : EnumSet.of(Reason.AUTHENTICATION_FAILED);
        assertTrue(
            allowed.contains(reason),
            "byte "
                + i
                + " ^ 0x"
                + Integer.toHexString(mask)
                + ": "
                + reason
                + ", expected one of "
                + allowed);
      }
    }
  }

  @Test
  void everyTruncationAndAnyExtensionIsRejected() {
    byte[] file = fastFile(identity());
    for (int length = 0; length < file.length; length++) {
      KeyFileException e = rejected(Arrays.copyOf(file, length), PASSWORD);
      assertEquals(Reason.TRUNCATED, e.reason(), "length " + length);
      assertTrue(e.getMessage().contains(Integer.toString(length)), e.getMessage());
    }
    assertEquals(
        Reason.MALFORMED, rejected(Arrays.copyOf(file, file.length + 1), PASSWORD).reason());
  }

  @Test
  void otherFilesAndVersionsAreRejected() {
    byte[] file = fastFile(identity());
    byte[] version2 = file.clone();
    BigEndian.putU16(version2, KeyFile.OFF_VERSION, 2);
    KeyFileException e = rejected(version2, PASSWORD);
    assertEquals(Reason.UNSUPPORTED_VERSION, e.reason());
    assertTrue(e.getMessage().contains("version 2"), e.getMessage());

    byte[] text = "-----BEGIN PRIVATE KEY-----".getBytes(StandardCharsets.US_ASCII);
    assertEquals(Reason.BAD_MAGIC, rejected(text, PASSWORD).reason());
    assertEquals(Reason.BAD_MAGIC, rejected(new byte[] {'E', 'N', 'X'}, PASSWORD).reason());
  }

  /**
   * A file asking for absurd KDF work is refused before the KDF runs: the refusal allocates next to
   * nothing (4 GiB of Argon2 memory would be an OutOfMemoryError, a billion passes a timeout).
   */
  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void absurdKdfParametersAreRefusedWithoutRunningTheKdf() {
    assumeTrue(Allocations.supported(), "per-thread allocation counting");
    byte[] file = fastFile(identity());
    long[][] absurd = {
      {4L * 1024 * 1024, 1, 1}, // m = 4 GiB
      {0xFFFF_FFFFL, 1, 1}, // m = 4 TiB
      {KdfParameters.MAX_MEMORY_KIB + 1, 1, 1},
      {64, 1_000_000_000L, 1}, // t = 10^9
      {64, 0xFFFF_FFFFL, 1},
      {64, 0, 1}, // t = 0
      {64, 1, 0}, // p = 0
      {64 * 1024, 1, 0xFFFF}, // p = 65535
      {8, 1, 2}, // m < 8 p
    };
    for (long[] p : absurd) {
      byte[] bad = file.clone();
      BigEndian.putU32(bad, KeyFile.OFF_MEMORY, (int) p[0]);
      BigEndian.putU32(bad, KeyFile.OFF_ITERATIONS, (int) p[1]);
      BigEndian.putU16(bad, KeyFile.OFF_PARALLELISM, (int) p[2]);
      rejected(bad, PASSWORD); // warm up
      long before = Allocations.current();
      KeyFileException e = rejected(bad, PASSWORD);
      long allocated = Allocations.current() - before;
      assertEquals(Reason.KDF_PARAMETERS_OUT_OF_BOUNDS, e.reason(), Arrays.toString(p));
      assertTrue(allocated < 64 * 1024, Arrays.toString(p) + " allocated " + allocated + " bytes");
    }
  }

  /** A file built by hand from the documented layout, with Bouncy Castle directly, is read. */
  @Test
  void readsAFileBuiltFromTheDocumentedLayout() throws Exception {
    NodeIdentity identity = identity();
    byte[] seed = new byte[32];
    identity.copySeedTo(seed, 0);
    byte[] file = sealByHand(identity.id(), seed, PASSWORD);
    assertEquals(identity.id(), KeyFile.decrypt(file, PASSWORD).id());
  }

  /** A well-encrypted seed under someone else's public key is refused after decryption. */
  @Test
  void secretKeyMustMatchTheStoredPublicKey() {
    NodeIdentity identity = identity();
    NodeIdentity other = NodeIdentity.generate(RandomSource.seeded(12));
    byte[] seed = new byte[32];
    identity.copySeedTo(seed, 0);
    byte[] file = sealByHand(other.id(), seed, PASSWORD);
    KeyFileException e = rejected(file, PASSWORD);
    assertEquals(Reason.PUBLIC_KEY_MISMATCH, e.reason());
    assertTrue(e.getMessage().contains(other.id().toString()), e.getMessage());
  }

  @Test
  void writeAndReadAFile(@TempDir Path dir) throws Exception {
    NodeIdentity identity = identity();
    Path path = dir.resolve("node.key");
    KeyFile.write(path, identity, PASSWORD);

    assertEquals(KeyFile.FILE_LENGTH, Files.size(path));
    if (Files.getFileStore(path).supportsFileAttributeView("posix")) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
    }
    assertEquals(identity.id(), KeyFile.read(path, PASSWORD).id());
    assertThrows(FileAlreadyExistsException.class, () -> KeyFile.write(path, identity, PASSWORD));
    assertEquals(identity.id(), KeyFile.read(path, PASSWORD).id(), "not overwritten");
  }

  @Test
  void readRefusesAnOversizedFileWithoutReadingIt(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("big.key");
    byte[] file = fastFile(identity());
    byte[] big = Arrays.copyOf(file, 1 << 20);
    Files.write(path, big);
    KeyFileException e = assertThrows(KeyFileException.class, () -> KeyFile.read(path, PASSWORD));
    assertEquals(Reason.MALFORMED, e.reason());
  }

  @Test
  void programmerErrors() {
    NodeIdentity identity = identity();
    IllegalArgumentException empty =
        assertThrows(
            IllegalArgumentException.class,
            () -> KeyFile.encrypt(identity, new char[0], FAST, new SecureRandom()));
    assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    IllegalArgumentException surrogate =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                KeyFile.encrypt(
                    identity, new char[] {'a', '\uD800', 'b'}, FAST, new SecureRandom()));
    assertTrue(surrogate.getMessage().contains("index 1"), surrogate.getMessage());
    IllegalArgumentException memory =
        assertThrows(IllegalArgumentException.class, () -> new KdfParameters(1 << 30, 3, 1));
    assertTrue(
        memory.getMessage().contains("memoryKiB") && memory.getMessage().contains("1073741824"));
    assertThrows(IllegalArgumentException.class, () -> new KdfParameters(64, 11, 1));
    assertThrows(IllegalArgumentException.class, () -> new KdfParameters(64, 1, 9));
  }

  /**
   * Builds a version-1 key file from the layout in {@link KeyFile}'s documentation, using Bouncy
   * Castle directly: an independent check of the format, and a way to make files the library itself
   * would never write.
   */
  private static byte[] sealByHand(NodeId publicKey, byte[] seed, char[] password) {
    byte[] file = new byte[124];
    byte[] salt = new byte[16];
    byte[] nonce = new byte[12];
    RandomSource random = RandomSource.seeded(13);
    random.nextBytes(salt);
    random.nextBytes(nonce);
    byte[] header =
        HexFormat.of()
            .parseHex(
                "454e4b46" // "ENKF"
                    + "0001" // version 1
                    + "00000040" // 64 KiB
                    + "00000002" // 2 passes
                    + "0001"); // 1 lane
    System.arraycopy(header, 0, file, 0, 16);
    System.arraycopy(salt, 0, file, 16, 16);
    System.arraycopy(nonce, 0, file, 32, 12);
    publicKey.writeTo(file, 44);

    byte[] key = new byte[32];
    Argon2BytesGenerator argon2 = new Argon2BytesGenerator();
    argon2.init(
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(64)
            .withIterations(2)
            .withParallelism(1)
            .withSalt(salt)
            .build());
    argon2.generateBytes(new String(password).getBytes(StandardCharsets.UTF_8), key);
    try {
      GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
      gcm.init(
          true, new AEADParameters(new KeyParameter(key), 128, nonce, Arrays.copyOf(file, 76)));
      int n = gcm.processBytes(seed, 0, 32, file, 76);
      gcm.doFinal(file, 76 + n);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return file;
  }
}
