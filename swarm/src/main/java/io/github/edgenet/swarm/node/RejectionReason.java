package io.github.edgenet.swarm.node;

import io.github.edgenet.core.envelope.EnvelopeException;

/**
 * Why a node dropped a message from a peer, as counted in {@link NodeMetrics#rejectedByReason()}.
 * The first group mirrors core's {@link EnvelopeException.Reason} (the frame itself was bad); the
 * rest are the task protocol's own checks on a frame whose signature verified. A rejected message
 * changes nothing but this counter.
 */
public enum RejectionReason {
  /** Envelope: too long. */
  LENGTH_OVER_LIMIT,
  /** Envelope: wrong magic bytes. */
  BAD_MAGIC,
  /** Envelope: unknown frame version. */
  UNSUPPORTED_VERSION,
  /** Envelope: shorter than its header or announced payload. */
  TRUNCATED,
  /** Envelope: longer than its announced payload. */
  LENGTH_MISMATCH,
  /** Envelope: timestamp too old. */
  TOO_OLD,
  /** Envelope: timestamp too far ahead. */
  FROM_THE_FUTURE,
  /** Envelope: already accepted from that sender. */
  REPLAYED,
  /** Envelope: older than the sender's replay window. */
  BEHIND_WINDOW,
  /** Envelope: the signature does not verify. */
  BAD_SIGNATURE,
  /** Envelope: too many senders tracked. */
  TOO_MANY_PEERS,
  /** Protocol: an envelope type the task protocol does not know. */
  UNKNOWN_MESSAGE_TYPE,
  /** Protocol: the payload does not parse or a field is out of its bound. */
  MALFORMED_PAYLOAD,
  /** Protocol: the signer is not the node the message speaks for (e.g. a task of another node). */
  SENDER_MISMATCH,
  /** Protocol: no such task here, or it is not in a state where this message makes sense. */
  UNEXPECTED,
  /** Protocol: the task's deadline has passed. */
  EXPIRED,
  /** Protocol: an award of a task type this node does not run or did not bid on. */
  NOT_OFFERED,
  /** Protocol: an award at a price below this node's sealed ask. */
  BELOW_ASK,
  /** Protocol: a reveal that does not open the bidder's own commitment. */
  REVEAL_MISMATCH,
  /** Protocol: misbehaviour evidence whose signed frames do not show what it claims. */
  INVALID_EVIDENCE;

  /**
   * The reason for an envelope rejection: each of core's envelope reasons has a constant of the
   * same name here.
   *
   * @param reason why core rejected the envelope
   * @return the constant of the same name
   * @throws NullPointerException if {@code reason} is null
   */
  public static RejectionReason of(EnvelopeException.Reason reason) {
    return valueOf(reason.name());
  }
}
