package io.github.edgenet.core.envelope;

import java.util.Objects;

/**
 * A frame was rejected by {@link EnvelopeDecoder#decode}. {@link #reason()} says why, the message
 * names the offending value. A rejected frame never changes the decoder's state.
 *
 * <p>Checked on purpose: every frame comes from a peer that may be broken or hostile, so a bad
 * frame is an expected outcome the receiving code must handle (drop it, count it, lower the peer's
 * reputation), and the compiler makes sure it does. For the same reason the exception is cheap: it
 * carries no stack trace (it always comes from the decoder, so a trace would say nothing) and has
 * suppression disabled, so a flood of garbage costs the message string and little else.
 */
public final class EnvelopeException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a frame was rejected, roughly in the order the decoder checks. */
  public enum Reason {
    /**
     * Longer than {@link EnvelopeLimits#maxFrameBytes()} or a payload length field over {@link
     * EnvelopeLimits#maxPayloadBytes()}.
     */
    LENGTH_OVER_LIMIT,
    /** Does not start with the envelope magic bytes. */
    BAD_MAGIC,
    /** A frame version this library does not read. */
    UNSUPPORTED_VERSION,
    /** Fewer bytes than the header, or than its payload length field announces. */
    TRUNCATED,
    /** More bytes than its payload length field announces. */
    LENGTH_MISMATCH,
    /** The timestamp is older than {@link EnvelopeLimits#maxAgeMillis()}. */
    TOO_OLD,
    /** The timestamp is further ahead than {@link EnvelopeLimits#maxFutureSkewMillis()}. */
    FROM_THE_FUTURE,
    /** This sender's frame with this sequence number was already accepted. */
    REPLAYED,
    /**
     * The sequence number is older than this sender's replay window: it cannot be told apart from a
     * replay, so it is rejected (as IPsec and DTLS do).
     */
    BEHIND_WINDOW,
    /** The signature does not verify under the sender's key, or the key is not a valid point. */
    BAD_SIGNATURE,
    /**
     * The sender is new, the table of tracked peers is full and no tracked peer has been idle long
     * enough to be forgotten safely (see {@link EnvelopeDecoder}).
     */
    TOO_MANY_PEERS
  }

  private final Reason reason;

  EnvelopeException(Reason reason, String message) {
    super(reason + ": " + message, null, false, false);
    this.reason = Objects.requireNonNull(reason);
  }

  /**
   * Why the frame was rejected.
   *
   * @return the reason, never null: the first check the frame failed (see {@link Reason})
   */
  public Reason reason() {
    return reason;
  }
}
