package io.github.edgenet.lora.io;

import java.util.Objects;

/**
 * Encoded adapter bytes were rejected by {@link LoraCodec}. {@link #reason()} says why, the message
 * names the offending value.
 *
 * <p>Checked on purpose: encoded adapters come from disk or from peers, so bad bytes are an
 * expected outcome the caller must handle (drop them, count them, lower the peer's reputation).
 * Like core's {@code EnvelopeException} it is cheap: no stack trace (it always comes from the
 * decoder) and no suppression, so a flood of garbage costs the message string and little else.
 */
public final class LoraCodecException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why bytes were rejected, in the order the decoder checks. */
  public enum Reason {
    /** Fewer bytes than the header, or than the header announces. */
    TRUNCATED,
    /** The header announces more bytes than the caller's limit (streams only). */
    LENGTH_OVER_LIMIT,
    /** Does not start with the magic bytes {@code "ELRA"}. */
    BAD_MAGIC,
    /** A format version this library does not read. */
    UNSUPPORTED_VERSION,
    /**
     * A header field is out of range: unknown weight format or scaling rule, a dimension outside
     * 1..{@value LoraCodec#MAX_DIMENSION}, a rank outside 1..16, or an {@code alpha} that is not
     * finite and positive.
     */
    BAD_HEADER_VALUE,
    /**
     * The payload length field disagrees with the length the other header fields imply, or there
     * are bytes after the checksum.
     */
    LENGTH_MISMATCH,
    /** The CRC32C does not match: the bytes were damaged. */
    CHECKSUM_MISMATCH,
    /** A float weight, or a quantization block scale, is NaN or infinite. */
    NON_FINITE_WEIGHT
  }

  private final Reason reason;

  LoraCodecException(Reason reason, String message) {
    super(reason + ": " + message, null, false, false);
    this.reason = Objects.requireNonNull(reason);
  }

  /**
   * Why the bytes were rejected.
   *
   * @return the reason, never null
   */
  public Reason reason() {
    return reason;
  }
}
