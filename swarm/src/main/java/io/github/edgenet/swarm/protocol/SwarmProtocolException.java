package io.github.edgenet.swarm.protocol;

import java.util.Objects;

/**
 * A swarm message that was well signed but cannot be used: wrong type, unknown version, a length
 * over its bound, a truncated field, a value out of range, or a payload whose signer is not the
 * origin it claims. The receiving structure is unchanged when this is thrown.
 *
 * <p>Immutable and thread-safe.
 */
public final class SwarmProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What was wrong with the message. */
  public enum Reason {
    /** The envelope type is not the one this structure reads. */
    WRONG_TYPE,
    /** The payload version byte is not one this library reads. */
    UNSUPPORTED_VERSION,
    /** A count or length field exceeds the bound of the receiving structure. */
    OVER_LIMIT,
    /** Fewer bytes than the fields announce, or bytes left over after the last field. */
    TRUNCATED,
    /** A value is out of its range (not finite, negative count, unknown option, bad UTF-8...). */
    BAD_VALUE,
    /** The payload claims an origin other than the node that signed the envelope. */
    WRONG_ORIGIN
  }

  private final Reason reason;

  /**
   * A rejection for {@code reason}, with a message naming the field and value.
   *
   * @param reason why the message was rejected
   * @param message what was wrong, naming the field and value
   */
  public SwarmProtocolException(Reason reason, String message) {
    super(reason + ": " + message, null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Why the message was rejected.
   *
   * @return the reason, never null
   */
  public Reason reason() {
    return reason;
  }
}
