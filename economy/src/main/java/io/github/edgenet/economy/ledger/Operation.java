package io.github.edgenet.economy.ledger;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.identity.SignatureVerifier;
import io.github.edgenet.economy.ledger.LedgerException.Reason;
import io.github.edgenet.economy.ledger.OperationBody.Application;
import io.github.edgenet.economy.ledger.OperationBody.Burn;
import io.github.edgenet.economy.ledger.OperationBody.EscrowLock;
import io.github.edgenet.economy.ledger.OperationBody.EscrowRefund;
import io.github.edgenet.economy.ledger.OperationBody.EscrowRelease;
import io.github.edgenet.economy.ledger.OperationBody.EscrowVest;
import io.github.edgenet.economy.ledger.OperationBody.Mint;
import io.github.edgenet.economy.ledger.OperationBody.Receive;
import io.github.edgenet.economy.ledger.OperationBody.Send;
import io.github.edgenet.economy.ledger.OperationBody.Slash;
import io.github.edgenet.economy.ledger.OperationBody.Stake;
import io.github.edgenet.economy.ledger.OperationBody.TaskFailed;
import io.github.edgenet.economy.ledger.OperationBody.Unstake;
import io.github.edgenet.economy.ledger.OperationBody.VestClaim;
import io.github.edgenet.economy.ledger.OperationBody.VestClawBack;
import io.github.edgenet.economy.ledger.OperationBody.Withdraw;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;

/**
 * One signed operation of an account's chain: the account, its sequence number (0 for the first),
 * the id of the operation before it, a timestamp, a {@link OperationBody} and the account's
 * Ed25519 signature.
 *
 * <h2>Canonical encoding, version 1</h2>
 *
 * All integers big-endian; the signature is pure Ed25519 over bytes {@code [0, 86+n)}; the {@link
 * #id()} is the SHA-256 of those same bytes.
 *
 * <pre>
 * offset size field
 *      0    2 magic "EL" (45 4C)
 *      2    1 version, 1
 *      3    1 kind ({@link OperationKind#code()})
 *      4   32 account (Ed25519 public key)
 *     36    8 sequence number, >= 0
 *     44   32 previous operation id (all zero for sequence 0)
 *     76    8 timestamp, epoch milliseconds, >= 0
 *     84    2 body length n, at most {@link #MAX_BODY_BYTES}, exact for fixed-size kinds
 *     86    n body: fields in record order; ids and keys 32 bytes, amounts and times 8, offense 1
 *   86+n   64 signature
 * </pre>
 *
 * Every encoding decodes to one operation and every operation has one encoding: amounts must be
 * positive, flags and codes known, lengths exact, nothing may trail.
 *
 * <p>Immutable and thread-safe.
 */
public final class Operation {
  /** Bytes before the body. */
  public static final int HEADER_BYTES = 86;

  /** The largest body: an application operation's kind and data. */
  public static final int MAX_BODY_BYTES = 2 + OperationBody.MAX_APPLICATION_DATA;

  /** The largest encoded operation. */
  public static final int MAX_BYTES = HEADER_BYTES + MAX_BODY_BYTES + 64;

  private static final int VERSION = 1;

  private final NodeId account;
  private final long sequence;
  private final OperationId previous;
  private final long timestampMillis;
  private final OperationBody body;
  private final byte[] encoded;
  private final OperationId id;

  private Operation(
      NodeId account,
      long sequence,
      OperationId previous,
      long timestampMillis,
      OperationBody body,
      byte[] encoded) {
    this.account = account;
    this.sequence = sequence;
    this.previous = previous;
    this.timestampMillis = timestampMillis;
    this.body = body;
    this.encoded = encoded;
    this.id = OperationId.wrap(sha256(encoded, encoded.length - 64));
  }

  /**
   * Builds and signs an operation.
   *
   * @param identity the account's identity, which signs
   * @param sequence the operation's sequence number in the chain, {@code >= 0}
   * @param previous the id of the operation at {@code sequence - 1}, or {@link OperationId#ZERO}
   *     for sequence 0
   * @param timestampMillis epoch milliseconds, {@code >= 0}
   * @param body what it does
   * @return the signed operation
   * @throws IllegalArgumentException if {@code sequence} or {@code timestampMillis} is negative, or
   *     {@code previous} is not ZERO exactly when {@code sequence} is 0
   */
  public static Operation sign(
      NodeIdentity identity,
      long sequence,
      OperationId previous,
      long timestampMillis,
      OperationBody body) {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(body, "body");
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0, was " + sequence);
    }
    if (timestampMillis < 0) {
      throw new IllegalArgumentException("timestampMillis must be >= 0, was " + timestampMillis);
    }
    if ((sequence == 0) != previous.equals(OperationId.ZERO)) {
      throw new IllegalArgumentException(
          "previous must be ZERO exactly for sequence 0; sequence " + sequence + ", previous "
              + previous);
    }
    byte[] bodyBytes = encodeBody(body);
    byte[] out = new byte[HEADER_BYTES + bodyBytes.length + 64];
    out[0] = 0x45;
    out[1] = 0x4C;
    out[2] = VERSION;
    out[3] = (byte) body.kind().code();
    identity.id().writeTo(out, 4);
    putLong(out, 36, sequence);
    previous.writeTo(out, 44);
    putLong(out, 76, timestampMillis);
    out[84] = (byte) (bodyBytes.length >>> 8);
    out[85] = (byte) bodyBytes.length;
    System.arraycopy(bodyBytes, 0, out, HEADER_BYTES, bodyBytes.length);
    int signed = HEADER_BYTES + bodyBytes.length;
    identity.sign(out, 0, signed, out, signed);
    return new Operation(identity.id(), sequence, previous, timestampMillis, body, out);
  }

  /**
   * Decodes an operation from untrusted bytes, checking its shape and every bound before
   * allocating anything; the signature is not checked here (see {@link #verify}).
   *
   * @param src the buffer
   * @param offset where the operation starts
   * @param length its length in bytes
   * @return the operation
   * @throws LedgerException with {@link Reason#OVERSIZED}, {@link Reason#MALFORMED} or {@link
   *     Reason#NON_POSITIVE_AMOUNT}
   * @throws IndexOutOfBoundsException if the range lies outside {@code src}
   */
  public static Operation decode(byte[] src, int offset, int length) throws LedgerException {
    Objects.checkFromIndexSize(offset, length, src.length);
    if (length > MAX_BYTES) {
      throw new LedgerException(
          Reason.OVERSIZED, "operation of " + length + " bytes, at most " + MAX_BYTES);
    }
    if (length < HEADER_BYTES + 64) {
      throw new LedgerException(Reason.MALFORMED, "operation of " + length + " bytes is truncated");
    }
    if (src[offset] != 0x45 || src[offset + 1] != 0x4C || src[offset + 2] != VERSION) {
      throw new LedgerException(Reason.MALFORMED, "bad magic or version");
    }
    OperationKind kind = OperationKind.ofCode(src[offset + 3] & 0xFF);
    if (kind == null) {
      throw new LedgerException(Reason.MALFORMED, "unknown kind " + (src[offset + 3] & 0xFF));
    }
    int n = ((src[offset + 84] & 0xFF) << 8) | (src[offset + 85] & 0xFF);
    if (n > MAX_BODY_BYTES) {
      throw new LedgerException(Reason.OVERSIZED, "body of " + n + " bytes, at most "
          + MAX_BODY_BYTES);
    }
    if (kind.bodyLength() >= 0 ? n != kind.bodyLength() : n < kind.minBodyLength()) {
      throw new LedgerException(Reason.MALFORMED, kind + " body of " + n + " bytes");
    }
    if (length != HEADER_BYTES + n + 64) {
      throw new LedgerException(
          Reason.MALFORMED, "length " + length + " does not match body length " + n);
    }
    byte[] bytes = Arrays.copyOfRange(src, offset, offset + length);
    long sequence = getLong(bytes, 36);
    long timestamp = getLong(bytes, 76);
    if (sequence < 0 || timestamp < 0) {
      throw new LedgerException(
          Reason.MALFORMED, "negative sequence " + sequence + " or timestamp " + timestamp);
    }
    OperationId previous = OperationId.read(bytes, 44);
    if ((sequence == 0) != previous.equals(OperationId.ZERO)) {
      throw new LedgerException(Reason.MALFORMED, "previous link of sequence " + sequence);
    }
    OperationBody body = decodeBody(kind, bytes, HEADER_BYTES, n);
    return new Operation(NodeId.read(bytes, 4), sequence, previous, timestamp, body, bytes);
  }

  /**
   * Decodes all of {@code bytes}; see {@link #decode(byte[], int, int)}.
   *
   * @param bytes the encoded operation
   * @return the operation
   * @throws LedgerException if the bytes are not a well-formed operation
   */
  public static Operation decode(byte[] bytes) throws LedgerException {
    return decode(bytes, 0, bytes.length);
  }

  /**
   * Whether the signature is the account's valid signature of the operation.
   *
   * @param verifier the verifier to use (it caches decoded keys)
   * @return true if it verifies
   */
  public boolean verify(SignatureVerifier verifier) {
    int signed = encoded.length - 64;
    return verifier.verify(account, encoded, 0, signed, encoded, signed);
  }

  /**
   * The signing account.
   *
   * @return the signing account
   */
  public NodeId account() {
    return account;
  }

  /**
   * The sequence number in the account's chain.
   *
   * @return the sequence number in the account's chain
   */
  public long sequence() {
    return sequence;
  }

  /**
   * The id of the operation before this one in the chain; ZERO for sequence 0.
   *
   * @return the id of the operation before this one in the chain; ZERO for sequence 0
   */
  public OperationId previous() {
    return previous;
  }

  /**
   * The timestamp the account signed, epoch milliseconds.
   *
   * @return the timestamp the account signed, epoch milliseconds
   */
  public long timestampMillis() {
    return timestampMillis;
  }

  /**
   * What the operation does.
   *
   * @return what the operation does
   */
  public OperationBody body() {
    return body;
  }

  /**
   * The kind of the body.
   *
   * @return the kind of the body
   */
  public OperationKind kind() {
    return body.kind();
  }

  /**
   * The operation's id: SHA-256 of its unsigned bytes.
   *
   * @return the operation's id: SHA-256 of its unsigned bytes
   */
  public OperationId id() {
    return id;
  }

  /**
   * The encoded length in bytes.
   *
   * @return the encoded length in bytes
   */
  public int encodedLength() {
    return encoded.length;
  }

  /**
   * A copy of the canonical encoding, signature included.
   *
   * @return a copy of the canonical encoding, signature included
   */
  public byte[] encoded() {
    return encoded.clone();
  }

  /**
   * Copies the canonical encoding into {@code dst[offset ..]}.
   *
   * @param dst the buffer
   * @param offset where to write
   * @throws IndexOutOfBoundsException if it does not fit
   */
  public void writeTo(byte[] dst, int offset) {
    System.arraycopy(encoded, 0, dst, offset, encoded.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Operation other && Arrays.equals(encoded, other.encoded);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "Operation[" + account + " #" + sequence + " " + body + " id=" + id + "]";
  }

  // ---- body codec ----

  private static byte[] encodeBody(OperationBody body) {
    if (body instanceof GovernanceBody || body instanceof AuctionBody
        || body instanceof OperationBody.Seal) {
      return BodyCodec.encode(body);
    }
    byte[] b = new byte[body.kind().bodyLength() >= 0
        ? body.kind().bodyLength()
        : 2 + ((Application) body).data().length];
    switch (body) {
      case Send s -> {
        s.to().writeTo(b, 0);
        putLong(b, 32, s.amount());
      }
      case Receive r -> r.source().writeTo(b, 0);
      case Mint m -> putLong(b, 0, m.amount());
      case Burn m -> putLong(b, 0, m.amount());
      case EscrowLock e -> {
        e.worker().writeTo(b, 0);
        putLong(b, 32, e.amount());
        putLong(b, 40, e.deadlineMillis());
        System.arraycopy(e.task(), 0, b, 48, 32);
      }
      case EscrowRelease e -> e.escrow().writeTo(b, 0);
      case EscrowRefund e -> e.escrow().writeTo(b, 0);
      case Stake s -> putLong(b, 0, s.amount());
      case Unstake s -> putLong(b, 0, s.amount());
      case Withdraw s -> putLong(b, 0, s.amount());
      case Slash s -> {
        s.offender().writeTo(b, 0);
        s.offenderHead().writeTo(b, 32);
        b[64] = (byte) s.offense().code();
        s.adjudicator().writeTo(b, 65);
        System.arraycopy(s.evidence(), 0, b, 97, 32);
        System.arraycopy(s.verdict(), 0, b, 129, 64);
      }
      case EscrowVest v -> {
        v.escrow().writeTo(b, 0);
        putLong(b, 32, v.cliffMillis());
        putLong(b, 40, v.durationMillis());
      }
      case VestClaim c -> c.grant().writeTo(b, 0);
      case VestClawBack c -> {
        c.grant().writeTo(b, 0);
        c.recipient().writeTo(b, 32);
      }
      case TaskFailed f -> {
        f.escrow().writeTo(b, 0);
        f.worker().writeTo(b, 32);
      }
      case OperationBody.Seal x -> throw new AssertionError(x);
      case GovernanceBody x -> throw new AssertionError(x);
      case AuctionBody x -> throw new AssertionError(x);
      case Application a -> {
        b[0] = (byte) (a.appKind() >>> 8);
        b[1] = (byte) a.appKind();
        byte[] data = a.data();
        System.arraycopy(data, 0, b, 2, data.length);
      }
    }
    return b;
  }

  private static OperationBody decodeBody(OperationKind kind, byte[] b, int o, int n)
      throws LedgerException {
    return switch (kind) {
      case SEND -> new Send(NodeId.read(b, o), amount(b, o + 32));
      case RECEIVE -> new Receive(OperationId.read(b, o));
      case MINT -> new Mint(amount(b, o));
      case BURN -> new Burn(amount(b, o));
      case ESCROW_LOCK -> {
        long deadline = getLong(b, o + 40);
        if (deadline < 0) {
          throw new LedgerException(Reason.MALFORMED, "negative deadline " + deadline);
        }
        yield new EscrowLock(
            NodeId.read(b, o), amount(b, o + 32), deadline, Arrays.copyOfRange(b, o + 48, o + 80));
      }
      case ESCROW_RELEASE -> new EscrowRelease(OperationId.read(b, o));
      case ESCROW_REFUND -> new EscrowRefund(OperationId.read(b, o));
      case STAKE -> new Stake(amount(b, o));
      case UNSTAKE -> new Unstake(amount(b, o));
      case WITHDRAW -> new Withdraw(amount(b, o));
      case SLASH -> {
        Offense offense = Offense.ofCode(b[o + 64] & 0xFF);
        if (offense == null) {
          throw new LedgerException(Reason.MALFORMED, "unknown offense " + (b[o + 64] & 0xFF));
        }
        yield new Slash(
            NodeId.read(b, o),
            OperationId.read(b, o + 32),
            offense,
            NodeId.read(b, o + 65),
            Arrays.copyOfRange(b, o + 97, o + 129),
            Arrays.copyOfRange(b, o + 129, o + 193));
      }
      case ESCROW_VEST -> {
        long cliff = getLong(b, o + 32);
        long duration = getLong(b, o + 40);
        if (cliff < 0 || duration < 0 || cliff > duration) {
          throw new LedgerException(
              Reason.MALFORMED, "vesting cliff " + cliff + ", duration " + duration);
        }
        yield new EscrowVest(OperationId.read(b, o), cliff, duration);
      }
      case VEST_CLAIM -> new VestClaim(OperationId.read(b, o));
      case VEST_CLAWBACK -> new VestClawBack(OperationId.read(b, o), NodeId.read(b, o + 32));
      case TASK_FAILED -> new TaskFailed(OperationId.read(b, o), NodeId.read(b, o + 32));
      case APPLICATION -> new Application(
          ((b[o] & 0xFF) << 8) | (b[o + 1] & 0xFF), Arrays.copyOfRange(b, o + 2, o + n));
      default -> BodyCodec.decode(kind, b, o, n);
    };
  }

  private static long amount(byte[] b, int o) throws LedgerException {
    long v = getLong(b, o);
    if (v <= 0) {
      throw new LedgerException(Reason.NON_POSITIVE_AMOUNT, "amount " + v);
    }
    return v;
  }

  static void putLong(byte[] b, int o, long v) {
    for (int i = 7; i >= 0; i--) {
      b[o + i] = (byte) v;
      v >>>= 8;
    }
  }

  static long getLong(byte[] b, int o) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[o + i] & 0xFF);
    }
    return v;
  }

  static byte[] sha256(byte[] data, int length) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(data, 0, length);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
