package io.github.edgenet.core.identity;

import io.github.edgenet.core.internal.BigEndian;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * A node's secret key at rest: a small versioned file, encrypted with a password.
 *
 * <p>The password is stretched with Argon2id (RFC 9106; by default 64 MiB of memory, 3 passes, one
 * lane) into a 256-bit key that encrypts the 32-byte Ed25519 seed with AES-256-GCM. The whole
 * header is the GCM associated data, so a change to any byte of the file, the KDF parameters and
 * the public key included, makes decryption fail. After decryption the seed must derive the public
 * key stored in the header.
 *
 * <p>Format version 1, 124 bytes, integers big-endian:
 *
 * <pre>
 * offset size field
 *      0    4 magic "ENKF" (45 4E 4B 46)
 *      4    2 format version, 1
 *      6    4 Argon2id memory in KiB      (8 x parallelism .. 262144, i.e. at most 256 MiB)
 *     10    4 Argon2id iterations         (1 .. 10)
 *     14    2 Argon2id parallelism, lanes (1 .. 8)
 *     16   16 Argon2id salt, random
 *     32   12 AES-GCM nonce, random
 *     44   32 Ed25519 public key (the node id)
 *     76   32 AES-256-GCM ciphertext of the 32-byte seed
 *    108   16 AES-GCM tag (128 bits)
 * </pre>
 *
 * <p>Bytes 0 to 75, the header, are the GCM associated data.
 *
 * <p>Reading checks, in this order and before anything expensive: magic, version, exact length, KDF
 * parameter bounds. A file asking for more memory or passes than the bounds above is rejected
 * without running the KDF: a key file is input, and an unbounded one is a denial of service. Every
 * failure is a {@link KeyFileException} with a {@link KeyFileException.Reason}; no key is ever half
 * loaded.
 *
 * <p>Secrets are handled best effort: the password is taken as a {@code char[]} that this class
 * never keeps (the caller should clear it), and the UTF-8 password bytes, derived key and decrypted
 * seed are zeroed after use. Copies inside Bouncy Castle (the AES key schedule, Argon2's memory)
 * and in the JVM cannot be cleared from here.
 *
 * <p>Stateless and thread-safe. Each encryption or decryption with the default parameters takes 64
 * MiB of heap and a fraction of a second.
 */
public final class KeyFile {
  /** The format version this class writes. */
  public static final int FORMAT_VERSION = 1;

  /** Length in bytes of a version-1 key file. */
  public static final int FILE_LENGTH = 124;

  private static final System.Logger LOG = System.getLogger(KeyFile.class.getName());

  static final byte[] MAGIC = {'E', 'N', 'K', 'F'};
  static final int OFF_VERSION = 4;
  static final int OFF_MEMORY = 6;
  static final int OFF_ITERATIONS = 10;
  static final int OFF_PARALLELISM = 14;
  static final int OFF_SALT = 16;
  static final int SALT_LENGTH = 16;
  static final int OFF_NONCE = 32;
  static final int NONCE_LENGTH = 12;
  static final int OFF_PUBLIC_KEY = 44;
  static final int HEADER_LENGTH = 76;
  static final int TAG_LENGTH = 16;
  private static final int KEY_LENGTH = 32;

  private KeyFile() {}

  /**
   * Argon2id cost parameters.
   *
   * @param memoryKiB memory in KiB (1024 = 1 MiB), from {@code 8 * parallelism} to {@link
   *     #MAX_MEMORY_KIB}
   * @param iterations passes over the memory, 1 to {@link #MAX_ITERATIONS}
   * @param parallelism lanes, 1 to {@link #MAX_PARALLELISM}
   */
  public record KdfParameters(int memoryKiB, int iterations, int parallelism) {
    /** The largest memory a key file may ask for: 256 MiB, four times the default. */
    public static final int MAX_MEMORY_KIB = 256 * 1024;

    /** The most passes a key file may ask for. */
    public static final int MAX_ITERATIONS = 10;

    /** The most lanes a key file may ask for. */
    public static final int MAX_PARALLELISM = 8;

    /**
     * The parameters {@link KeyFile#encrypt(NodeIdentity, char[])} uses: 64 MiB, 3 passes, 1 lane
     * (RFC 9106 section 4, second recommended option, with 64 MiB for a small device).
     */
    public static final KdfParameters DEFAULT = new KdfParameters(64 * 1024, 3, 1);

    /**
     * Validates the bounds.
     *
     * @throws IllegalArgumentException if a parameter is outside its bounds, naming it
     */
    public KdfParameters {
      String problem = problem(memoryKiB, iterations, parallelism);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
    }

    /** Why these values are out of bounds, or null if they are fine. Values are unsigned. */
    static String problem(long memoryKiB, long iterations, long parallelism) {
      if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
        return "parallelism must be in [1, " + MAX_PARALLELISM + "], was " + parallelism;
      }
      if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
        return "memoryKiB must be in [8 * parallelism = "
            + 8 * parallelism
            + ", "
            + MAX_MEMORY_KIB
            + "], was "
            + memoryKiB;
      }
      if (iterations < 1 || iterations > MAX_ITERATIONS) {
        return "iterations must be in [1, " + MAX_ITERATIONS + "], was " + iterations;
      }
      return null;
    }
  }

  /**
   * Encrypts {@code identity}'s secret key under {@code password} with {@link
   * KdfParameters#DEFAULT} and fresh randomness from a {@link SecureRandom}.
   *
   * @param identity the identity whose 32-byte secret seed is encrypted (its public key is stored
   *     in clear beside it)
   * @param password the password, at least one character; encoded as UTF-8 for Argon2id, read and
   *     never kept or changed (the caller may clear the array afterwards)
   * @return a new {@value #FILE_LENGTH}-byte key file
   * @throws IllegalArgumentException if the password is empty or is not valid UTF-16 (an unpaired
   *     surrogate)
   */
  public static byte[] encrypt(NodeIdentity identity, char[] password) {
    return encrypt(identity, password, KdfParameters.DEFAULT, new SecureRandom());
  }

  /**
   * Encrypts {@code identity}'s secret key under {@code password}, with the given KDF cost and salt
   * and nonce from {@code random}. Weaker parameters than {@link KdfParameters#DEFAULT} make a
   * stolen file cheaper to attack; use them for tests, not real keys.
   *
   * @param identity the identity whose 32-byte secret seed is encrypted (its public key is stored
   *     in clear beside it)
   * @param password the password, at least one character; encoded as UTF-8 for Argon2id, read and
   *     never kept or changed (the caller may clear the array afterwards)
   * @param kdf the Argon2id cost (memory, passes, lanes); written into the file's header, so {@link
   *     #decrypt} uses the same
   * @param random the source of the 16-byte salt and the 12-byte nonce; a fresh {@link
   *     SecureRandom} for real keys (the same bytes twice would reuse a nonce under the same
   *     password)
   * @return a new {@value #FILE_LENGTH}-byte key file
   * @throws IllegalArgumentException if the password is empty or is not valid UTF-16 (an unpaired
   *     surrogate)
   */
  public static byte[] encrypt(
      NodeIdentity identity, char[] password, KdfParameters kdf, SecureRandom random) {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(kdf, "kdf");
    Objects.requireNonNull(random, "random");
    if (password.length == 0) {
      throw new IllegalArgumentException("password must not be empty");
    }
    byte[] file = new byte[FILE_LENGTH];
    System.arraycopy(MAGIC, 0, file, 0, MAGIC.length);
    BigEndian.putU16(file, OFF_VERSION, FORMAT_VERSION);
    BigEndian.putU32(file, OFF_MEMORY, kdf.memoryKiB());
    BigEndian.putU32(file, OFF_ITERATIONS, kdf.iterations());
    BigEndian.putU16(file, OFF_PARALLELISM, kdf.parallelism());
    byte[] salt = new byte[SALT_LENGTH];
    random.nextBytes(salt);
    System.arraycopy(salt, 0, file, OFF_SALT, SALT_LENGTH);
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    System.arraycopy(nonce, 0, file, OFF_NONCE, NONCE_LENGTH);
    identity.id().writeTo(file, OFF_PUBLIC_KEY);

    byte[] key = deriveKey(password, salt, kdf.memoryKiB(), kdf.iterations(), kdf.parallelism());
    byte[] seed = new byte[NodeIdentity.SEED_LENGTH];
    KeyParameter keyParameter = new KeyParameter(key);
    try {
      identity.copySeedTo(seed, 0);
      GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
      gcm.init(true, new AEADParameters(keyParameter, TAG_LENGTH * 8, nonce));
      gcm.processAADBytes(file, 0, HEADER_LENGTH);
      int n = gcm.processBytes(seed, 0, seed.length, file, HEADER_LENGTH);
      gcm.doFinal(file, HEADER_LENGTH + n);
    } catch (InvalidCipherTextException e) {
      // Encryption never checks a tag; Bouncy Castle declares the exception for both directions.
      throw new IllegalStateException("AES-GCM encryption failed", e);
    } finally {
      Arrays.fill(seed, (byte) 0);
      Arrays.fill(key, (byte) 0);
      Arrays.fill(keyParameter.getKey(), (byte) 0);
    }
    return file;
  }

  /**
   * Decrypts a key file made by {@link #encrypt}.
   *
   * @param file the whole key file, {@value #FILE_LENGTH} bytes (a shorter one is rejected as
   *     {@code TRUNCATED}, a longer one as {@code MALFORMED}); not changed
   * @param password the password it was encrypted with; read, never kept or changed
   * @return the identity stored in the file, whose public key equals the one in the file's header
   * @throws KeyFileException if the file is not a readable key file, its KDF parameters are out of
   *     bounds, the password is wrong or the file was modified; no key is loaded then
   */
  public static NodeIdentity decrypt(byte[] file, char[] password) throws KeyFileException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(password, "password");
    int magicBytes = Math.min(file.length, MAGIC.length);
    if (!Arrays.equals(file, 0, magicBytes, MAGIC, 0, magicBytes)) {
      throw new KeyFileException(
          KeyFileException.Reason.BAD_MAGIC,
          "expected magic 454e4b46 (\"ENKF\"), found "
              + java.util.HexFormat.of().formatHex(file, 0, magicBytes));
    }
    if (file.length < OFF_VERSION + 2) {
      throw truncated(file.length);
    }
    int version = BigEndian.getU16(file, OFF_VERSION);
    if (version != FORMAT_VERSION) {
      throw new KeyFileException(
          KeyFileException.Reason.UNSUPPORTED_VERSION,
          "format version " + version + ", this library reads version " + FORMAT_VERSION);
    }
    if (file.length < FILE_LENGTH) {
      throw truncated(file.length);
    }
    if (file.length > FILE_LENGTH) {
      throw new KeyFileException(
          KeyFileException.Reason.MALFORMED,
          "a version-1 key file is " + FILE_LENGTH + " bytes, this one is " + file.length);
    }
    long memoryKiB = BigEndian.getU32(file, OFF_MEMORY);
    long iterations = BigEndian.getU32(file, OFF_ITERATIONS);
    long parallelism = BigEndian.getU16(file, OFF_PARALLELISM);
    String problem = KdfParameters.problem(memoryKiB, iterations, parallelism);
    if (problem != null) {
      throw new KeyFileException(KeyFileException.Reason.KDF_PARAMETERS_OUT_OF_BOUNDS, problem);
    }

    byte[] salt = Arrays.copyOfRange(file, OFF_SALT, OFF_SALT + SALT_LENGTH);
    byte[] nonce = Arrays.copyOfRange(file, OFF_NONCE, OFF_NONCE + NONCE_LENGTH);
    byte[] key = deriveKey(password, salt, (int) memoryKiB, (int) iterations, (int) parallelism);
    KeyParameter keyParameter = new KeyParameter(key);
    byte[] seed = new byte[NodeIdentity.SEED_LENGTH];
    try {
      GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
      gcm.init(false, new AEADParameters(keyParameter, TAG_LENGTH * 8, nonce));
      gcm.processAADBytes(file, 0, HEADER_LENGTH);
      int n = gcm.processBytes(file, HEADER_LENGTH, FILE_LENGTH - HEADER_LENGTH, seed, 0);
      gcm.doFinal(seed, n);
      NodeIdentity identity = NodeIdentity.fromSeed(seed, 0);
      if (!MessageDigest.isEqual(
          identity.id().keyBytes(),
          Arrays.copyOfRange(file, OFF_PUBLIC_KEY, OFF_PUBLIC_KEY + NodeId.LENGTH))) {
        throw new KeyFileException(
            KeyFileException.Reason.PUBLIC_KEY_MISMATCH,
            "the decrypted secret key belongs to "
                + identity.id()
                + ", the header names "
                + NodeId.read(file, OFF_PUBLIC_KEY));
      }
      return identity;
    } catch (InvalidCipherTextException e) {
      throw new KeyFileException(
          KeyFileException.Reason.AUTHENTICATION_FAILED,
          "wrong password, or the file was modified (AES-GCM tag mismatch)",
          e);
    } finally {
      Arrays.fill(seed, (byte) 0);
      Arrays.fill(key, (byte) 0);
      Arrays.fill(keyParameter.getKey(), (byte) 0);
    }
  }

  /**
   * Writes {@code identity}'s secret key, encrypted with {@link KdfParameters#DEFAULT}, to a new
   * file at {@code path}, readable and writable by its owner only where the file system has POSIX
   * permissions. Never overwrites: losing a key file loses the identity.
   *
   * @param path where to create the file; must not exist
   * @param identity the identity to store
   * @param password the password, at least one character; read, never kept or changed
   * @throws java.nio.file.FileAlreadyExistsException if {@code path} exists
   * @throws IOException if the file cannot be written
   * @throws IllegalArgumentException if the password is empty or not valid UTF-16
   */
  public static void write(Path path, NodeIdentity identity, char[] password) throws IOException {
    if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      // Fail before the key derivation; CREATE_NEW below still closes the race.
      throw new java.nio.file.FileAlreadyExistsException(path.toString());
    }
    byte[] file = encrypt(identity, password);
    Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    FileAttribute<?>[] attributes =
        path.getFileSystem().supportedFileAttributeViews().contains("posix")
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(
                  EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))
            }
            : new FileAttribute<?>[0];
    try (FileChannel channel = FileChannel.open(path, options, attributes)) {
      ByteBuffer buffer = ByteBuffer.wrap(file);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    LOG.log(Level.DEBUG, "wrote key file for {0}", identity.id());
  }

  /**
   * Reads and decrypts the key file at {@code path}. Reads at most {@value #FILE_LENGTH} + 1 bytes
   * whatever the file's size.
   *
   * @param path the key file to read
   * @param password the password it was encrypted with; read, never kept or changed
   * @return the identity stored in the file
   * @throws IOException if the file cannot be read
   * @throws KeyFileException as {@link #decrypt(byte[], char[])}
   */
  public static NodeIdentity read(Path path, char[] password) throws IOException, KeyFileException {
    byte[] file;
    try (InputStream in = Files.newInputStream(path)) {
      file = in.readNBytes(FILE_LENGTH + 1);
    }
    return decrypt(file, password);
  }

  private static KeyFileException truncated(int length) {
    return new KeyFileException(
        KeyFileException.Reason.TRUNCATED,
        "a version-1 key file is " + FILE_LENGTH + " bytes, this one is " + length);
  }

  /** Argon2id v1.3 of the UTF-8 password; the caller clears the returned key. */
  private static byte[] deriveKey(
      char[] password, byte[] salt, int memoryKiB, int iterations, int parallelism) {
    byte[] passwordBytes = utf8(password);
    try {
      Argon2Parameters parameters =
          new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
              .withVersion(Argon2Parameters.ARGON2_VERSION_13)
              .withMemoryAsKB(memoryKiB)
              .withIterations(iterations)
              .withParallelism(parallelism)
              .withSalt(salt)
              .build();
      Argon2BytesGenerator generator = new Argon2BytesGenerator();
      generator.init(parameters);
      byte[] key = new byte[KEY_LENGTH];
      generator.generateBytes(passwordBytes, key);
      return key;
    } finally {
      Arrays.fill(passwordBytes, (byte) 0);
    }
  }

  /** UTF-8 bytes of the password in an array only this class sees; the caller clears it. */
  private static byte[] utf8(char[] password) {
    CharsetEncoder encoder =
        StandardCharsets.UTF_8
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    // At most 3 bytes per UTF-16 unit (a surrogate pair, 2 units, is 4 bytes).
    ByteBuffer out = ByteBuffer.allocate(3 * password.length);
    try {
      CharBuffer in = CharBuffer.wrap(password);
      CoderResult result = encoder.encode(in, out, true);
      if (!result.isError()) {
        result = encoder.flush(out);
      }
      if (result.isError()) {
        throw new IllegalArgumentException(
            "password is not valid UTF-16: unpaired surrogate at index " + in.position());
      }
      return Arrays.copyOf(out.array(), out.position());
    } finally {
      Arrays.fill(out.array(), (byte) 0);
    }
  }
}
