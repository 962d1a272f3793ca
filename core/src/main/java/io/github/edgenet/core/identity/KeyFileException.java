package io.github.edgenet.core.identity;

import java.util.Objects;

/**
 * An encrypted key file could not be loaded. {@link #reason()} says why; the message names the
 * offending value. When this is thrown no key was loaded, not even partly.
 *
 * <p>Checked, because a missing password or a damaged file is an expected condition that the caller
 * must answer (ask again, restore a backup), not a bug.
 */
public final class KeyFileException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a key file was rejected. */
  public enum Reason {
    /** Shorter than its format requires. */
    TRUNCATED,
    /** Does not start with the key-file magic bytes: not an edgenet key file. */
    BAD_MAGIC,
    /** A format version this library does not read. */
    UNSUPPORTED_VERSION,
    /** Structurally wrong: longer than its format allows. */
    MALFORMED,
    /**
     * The key-derivation parameters are outside the accepted bounds. Checked before any key
     * derivation runs, so a file cannot make the reader allocate gigabytes or spin for hours.
     */
    KDF_PARAMETERS_OUT_OF_BOUNDS,
    /**
     * Decryption failed its authentication check: the password is wrong, or the file was modified.
     * The two cannot be told apart.
     */
    AUTHENTICATION_FAILED,
    /**
     * The file decrypted, but the secret key does not belong to the public key in its header: the
     * file was made by someone who knew the password but not with this library.
     */
    PUBLIC_KEY_MISMATCH
  }

  private final Reason reason;

  KeyFileException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = Objects.requireNonNull(reason);
  }

  KeyFileException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = Objects.requireNonNull(reason);
  }

  /**
   * Why the file was rejected.
   *
   * @return the reason, never null: what was wrong with the file or the password
   */
  public Reason reason() {
    return reason;
  }
}
