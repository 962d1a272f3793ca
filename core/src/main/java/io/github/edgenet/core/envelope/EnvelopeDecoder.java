package io.github.edgenet.core.envelope;

import static io.github.edgenet.core.envelope.EnvelopeFormat.HEADER_LENGTH;
import static io.github.edgenet.core.envelope.EnvelopeFormat.OVERHEAD;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.envelope.EnvelopeException.Reason;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.SignatureVerifier;
import io.github.edgenet.core.internal.BigEndian;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens signed frames from peers: checks their shape and sizes, their freshness, their signature
 * and that they were not seen before, and hands back an {@link Envelope}, or rejects them with an
 * {@link EnvelopeException} naming the reason.
 *
 * <h2>Frame layout, version 1</h2>
 *
 * All integers big-endian; the signature is pure Ed25519 (RFC 8032) by the sender over every byte
 * before it.
 *
 * <pre>
 * offset  size  field
 *      0     3  magic "ENV" (45 4E 56)
 *      3     1  version, 1
 *      4     2  message type, unsigned, not interpreted here
 *      6    32  sender node id (Ed25519 public key)
 *     38     8  sequence number, unsigned, strictly increasing per sender
 *     46     8  timestamp, milliseconds since the Unix epoch, signed
 *     54     4  payload length n, unsigned
 *     58     n  payload
 *   58+n    64  Ed25519 signature over bytes [0, 58+n)
 * </pre>
 *
 * A frame is exactly {@code 122 + n} bytes; trailing bytes are an error.
 *
 * <h2>Checks, in order</h2>
 *
 * <ol>
 *   <li>Sizes, before anything is allocated: the frame against {@link
 *       EnvelopeLimits#maxFrameBytes()}, magic and version, the header, the payload length field
 *       against {@link EnvelopeLimits#maxPayloadBytes()} and against the bytes actually present.
 *   <li>Freshness: the timestamp must lie within [now - maxAge, now + maxFutureSkew] of the
 *       decoder's clock. "Now" never goes backwards inside one decoder even if the wall clock does
 *       (it is the largest reading seen so far).
 *   <li>Replay, read only: a sequence number already accepted from this sender, or older than its
 *       window, is rejected here so that replays cost no signature check.
 *   <li>Signature, with the decoder's {@link SignatureVerifier} (which caches decoded peer keys).
 *   <li>Replay, atomically checked again and recorded. Only a frame whose signature verified ever
 *       changes the replay state: unsigned garbage cannot advance or fill a victim's window.
 * </ol>
 *
 * <h2>Replay windows and freshness</h2>
 *
 * Each sender's window (see {@link EnvelopeLimits#replayWindow()}) remembers which of the last
 * {@code replayWindow} sequence numbers below its highest were accepted: frames may arrive out of
 * order within the window but only once. Windows are kept for at most {@link
 * EnvelopeLimits#maxTrackedPeers()} senders. A window is forgotten only when the sender has been
 * idle long enough that every frame it ever had accepted is older than maxAge, so the freshness
 * check alone rejects their replays; when the table is full and no window is that idle, frames from
 * new senders are rejected with {@link EnvelopeException.Reason#TOO_MANY_PEERS} rather than
 * forgetting a window that still protects something. Size the table for the peers a node really
 * talks to within maxAge.
 *
 * <p>Thread-safe: any number of threads may decode at once. Signature checks run in parallel; the
 * replay table takes one short lock per frame.
 */
public final class EnvelopeDecoder {
  private static final System.Logger LOG = System.getLogger(EnvelopeDecoder.class.getName());
  private static final HexFormat HEX = HexFormat.of();

  private final Clock clock;
  private final EnvelopeLimits limits;
  private final SignatureVerifier verifier;
  private final ReplayGuard replay;
  private final int maxFrame;
  private final long maxPayload;
  private final AtomicLong now = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong lastFullWarning = new AtomicLong(Long.MIN_VALUE);

  private EnvelopeDecoder(Clock clock, EnvelopeLimits limits, SignatureVerifier verifier) {
    this.clock = clock;
    this.limits = limits;
    this.verifier = verifier;
    this.replay =
        new ReplayGuard(limits.replayWindow(), limits.maxTrackedPeers(), limits.maxAgeMillis());
    this.maxFrame = limits.maxFrameBytes();
    this.maxPayload = limits.effectivePayloadLimit();
  }

  /**
   * A decoder with {@link EnvelopeLimits#defaults()}.
   *
   * @param clock the clock a frame's timestamp is checked against (age and future skew)
   * @return a decoder with {@link EnvelopeLimits#defaults()}
   */
  public static EnvelopeDecoder create(Clock clock) {
    return create(clock, EnvelopeLimits.defaults());
  }

  /**
   * A decoder with the given limits and its own {@link SignatureVerifier} caching up to {@code
   * min(maxTrackedPeers, 4096)} peer keys.
   *
   * @param clock the clock a frame's timestamp is checked against (age and future skew)
   * @param limits the sizes, time bounds and replay window to enforce
   * @return a decoder with the given limits and its own {@link SignatureVerifier} caching up to
   *     {@code min(maxTrackedPeers, 4096)} peer keys
   */
  public static EnvelopeDecoder create(Clock clock, EnvelopeLimits limits) {
    return create(
        clock, limits, SignatureVerifier.create(Math.min(limits.maxTrackedPeers(), 4096)));
  }

  /**
   * A decoder with the given limits that verifies with {@code verifier}, which it may share.
   *
   * @param clock the clock a frame's timestamp is checked against (age and future skew)
   * @param limits the sizes, time bounds and replay window to enforce
   * @param verifier the signature verifier, thread-safe and shareable between decoders (one key
   *     cache for a node's several decoders)
   * @return a decoder with the given limits that verifies with {@code verifier}, which it may share
   */
  public static EnvelopeDecoder create(
      Clock clock, EnvelopeLimits limits, SignatureVerifier verifier) {
    return new EnvelopeDecoder(
        Objects.requireNonNull(clock, "clock"),
        Objects.requireNonNull(limits, "limits"),
        Objects.requireNonNull(verifier, "verifier"));
  }

  /**
   * The limits this decoder enforces.
   *
   * @return the limits this decoder enforces
   */
  public EnvelopeLimits limits() {
    return limits;
  }

  /**
   * How many senders' replay windows are held now (a snapshot).
   *
   * @return how many senders' replay windows are held now (a snapshot)
   */
  public int trackedPeers() {
    return replay.size();
  }

  /** The replay state, for tests in this package. */
  ReplayGuard replayGuard() {
    return replay;
  }

  /**
   * Decodes and verifies a whole array as one frame.
   *
   * @param frame the whole frame, all of the array; not changed or kept
   * @return the verified envelope, with its own copy of the payload; its sequence number is now
   *     recorded, so the same frame decodes only once
   * @throws EnvelopeException if the frame is rejected; the decoder's state is then unchanged
   */
  public Envelope decode(byte[] frame) throws EnvelopeException {
    return decode(frame, 0, frame.length);
  }

  /**
   * Decodes and verifies the frame in {@code buffer[offset .. offset+length)}. Until the signature
   * has verified, the only allocations are the sender's {@link NodeId} (after the size checks) and
   * Bouncy Castle's small temporaries inside verification: never anything sized by the frame. The
   * returned envelope owns a copy of the payload, so the buffer may be reused at once.
   *
   * @param buffer the array holding the frame; not changed or kept
   * @param offset the index of the first element used
   * @param length the number of elements
   * @return the verified envelope, with its own copy of the payload; its sequence number is now
   *     recorded, so the same frame decodes only once
   * @throws EnvelopeException if the frame is rejected; the decoder's state is then unchanged
   * @throws IndexOutOfBoundsException if the range lies outside {@code buffer} (a caller bug, not a
   *     bad frame)
   */
  public Envelope decode(byte[] buffer, int offset, int length) throws EnvelopeException {
    Objects.checkFromIndexSize(offset, length, buffer.length);
    if (length > maxFrame) {
      throw new EnvelopeException(
          Reason.LENGTH_OVER_LIMIT,
          "frame of " + length + " bytes exceeds maxFrameBytes = " + maxFrame);
    }
    int magic = Math.min(length, EnvelopeFormat.MAGIC_LENGTH);
    if ((magic > 0 && buffer[offset] != EnvelopeFormat.MAGIC0)
        || (magic > 1 && buffer[offset + 1] != EnvelopeFormat.MAGIC1)
        || (magic > 2 && buffer[offset + 2] != EnvelopeFormat.MAGIC2)) {
      throw new EnvelopeException(
          Reason.BAD_MAGIC,
          "expected magic 454e56 (\"ENV\"), found "
              + HEX.formatHex(buffer, offset, offset + magic));
    }
    if (length <= EnvelopeFormat.OFF_VERSION) {
      throw truncated(length, "the magic and version");
    }
    int version = buffer[offset + EnvelopeFormat.OFF_VERSION] & 0xFF;
    if (version != EnvelopeFormat.VERSION) {
      throw new EnvelopeException(
          Reason.UNSUPPORTED_VERSION,
          "frame version " + version + ", this library reads version " + EnvelopeFormat.VERSION);
    }
    if (length < OVERHEAD) {
      throw truncated(length, "a " + HEADER_LENGTH + "-byte header and a 64-byte signature");
    }
    long payloadLength = BigEndian.getU32(buffer, offset + EnvelopeFormat.OFF_PAYLOAD_LENGTH);
    if (payloadLength > maxPayload) {
      throw new EnvelopeException(
          Reason.LENGTH_OVER_LIMIT,
          "payload length field "
              + payloadLength
              + " exceeds the limit of "
              + maxPayload
              + " bytes");
    }
    long expected = OVERHEAD + payloadLength;
    if (expected > length) {
      throw new EnvelopeException(
          Reason.TRUNCATED,
          "payload length field "
              + payloadLength
              + " needs a frame of "
              + expected
              + " bytes, only "
              + length
              + " present");
    }
    if (expected < length) {
      throw new EnvelopeException(
          Reason.LENGTH_MISMATCH,
          "payload length field "
              + payloadLength
              + " makes a frame of "
              + expected
              + " bytes, "
              + (length - expected)
              + " trailing bytes follow");
    }
    int n = (int) payloadLength;

    long timestamp = BigEndian.getU64(buffer, offset + EnvelopeFormat.OFF_TIMESTAMP);
    long oldestFresh = checkFreshness(timestamp, now());

    int type = BigEndian.getU16(buffer, offset + EnvelopeFormat.OFF_TYPE);
    long sequence = BigEndian.getU64(buffer, offset + EnvelopeFormat.OFF_SEQUENCE);
    NodeId sender = NodeId.read(buffer, offset + EnvelopeFormat.OFF_SENDER);
    try {
      replay.check(sender, sequence, oldestFresh);
    } catch (EnvelopeException e) {
      throw rejectedByReplay(e);
    }

    if (!verifier.verify(
        sender, buffer, offset, HEADER_LENGTH + n, buffer, offset + HEADER_LENGTH + n)) {
      throw new EnvelopeException(
          Reason.BAD_SIGNATURE,
          "signature of sequence "
              + Long.toUnsignedString(sequence)
              + " does not verify under "
              + sender.toHex());
    }

    try {
      replay.accept(sender, sequence, timestamp, oldestFresh);
    } catch (EnvelopeException e) {
      throw rejectedByReplay(e);
    }
    byte[] payload = Arrays.copyOfRange(buffer, offset + HEADER_LENGTH, offset + HEADER_LENGTH + n);
    return new Envelope(type, sender, sequence, timestamp, payload);
  }

  private static EnvelopeException truncated(int length, String needed) {
    return new EnvelopeException(
        Reason.TRUNCATED, "frame of " + length + " bytes is too short to hold " + needed);
  }

  /** The largest clock reading seen so far: time that never goes backwards. */
  private long now() {
    long reading = clock.epochMillis();
    long seen = now.get();
    while (reading > seen) {
      if (now.compareAndSet(seen, reading)) {
        return reading;
      }
      seen = now.get();
    }
    return seen;
  }

  /** Rejects a stale or future timestamp; returns the oldest fresh timestamp. */
  private long checkFreshness(long timestamp, long nowMillis) throws EnvelopeException {
    // Arithmetic on the trusted side only (the timestamp may be any 64-bit value), saturating.
    long oldest = nowMillis - limits.maxAgeMillis();
    if (oldest > nowMillis) {
      oldest = Long.MIN_VALUE;
    }
    long newest = nowMillis + limits.maxFutureSkewMillis();
    if (newest < nowMillis) {
      newest = Long.MAX_VALUE;
    }
    if (timestamp < oldest) {
      throw new EnvelopeException(
          Reason.TOO_OLD,
          "timestamp "
              + timestamp
              + " is older than maxAge = "
              + limits.maxAgeMillis()
              + " ms before now = "
              + nowMillis);
    }
    if (timestamp > newest) {
      throw new EnvelopeException(
          Reason.FROM_THE_FUTURE,
          "timestamp "
              + timestamp
              + " is more than maxFutureSkew = "
              + limits.maxFutureSkewMillis()
              + " ms after now = "
              + nowMillis);
    }
    return oldest;
  }

  /** Returns {@code e}, after logging it if it reports a full replay table. */
  private EnvelopeException rejectedByReplay(EnvelopeException e) {
    if (e.reason() == Reason.TOO_MANY_PEERS) {
      warnFull(e);
    }
    return e;
  }

  /** Logs a full replay table at most once per maxAge, so a flood cannot flood the log. */
  private void warnFull(EnvelopeException e) {
    long t = now.get();
    long last = lastFullWarning.get();
    if ((last == Long.MIN_VALUE || t - last >= limits.maxAgeMillis())
        && lastFullWarning.compareAndSet(last, t)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "replay table full ({0} senders): rejecting frames from new senders. Raise "
              + "EnvelopeLimits.maxTrackedPeers if this node really talks to that many peers. {1}",
          limits.maxTrackedPeers(),
          e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "EnvelopeDecoder[" + limits + ", tracked=" + replay.size() + "]";
  }
}
