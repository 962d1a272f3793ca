package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.node.Task;
import io.github.edgenet.swarm.node.TaskId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The task protocol's messages: envelope types and payload layouts (all integers big-endian). Each
 * {@code decode} reads one payload with every length bounded (see {@link Wire.Reader}) and rejects
 * trailing bytes.
 *
 * <pre>
 * ANNOUNCE   u16 n, n x (type, i64 priceMicros)
 * REQUEST    taskId, type, i64 maxPriceMicros, i64 deadlineEpochMillis
 * (0x5303, the clear-text OFFER, is retired: providers answer a REQUEST with a sealed COMMIT)
 * AWARD      taskId, u8 role, type, i64 priceMicros, i64 deadlineEpochMillis, bytes payload,
 *            floats embedding
 * RESULT     taskId, u8 role, u8 status, hash inputs, bytes result
 * COMPLETE   taskId
 * COMMIT     taskId, hash commitment
 * SHORTLIST  taskId, u8 n, n x (id bidder, hash commitment)
 * REVEAL     taskId, i64 priceMicros, i64 latencyMillis, u16 qualityBps, hash salt
 * EVIDENCE   u8 kind, taskId, id accused, bytes first frame, bytes second frame
 * CHALLENGE  taskId, hash commitment
 * taskId  = 32-byte submitter id, i64 number; type = u16 length + printable ASCII;
 * id      = 32 bytes; hash = 32 bytes;
 * bytes   = i32 length + bytes; floats = u16 count + IEEE 754 singles
 * </pre>
 *
 * <p>{@code inputs} in a RESULT is {@link #inputDigest} of the award it answers: the provider signs
 * which inputs its result is for, so nobody can pair its signed result with other inputs.
 */
final class Messages {
  private Messages() {}

  static final int ANNOUNCE = 0x5301;
  static final int REQUEST = 0x5302;
  static final int AWARD = 0x5304;
  static final int RESULT = 0x5305;
  static final int COMPLETE = 0x5306;
  static final int COMMIT = 0x5307;
  static final int SHORTLIST = 0x5308;
  static final int REVEAL = 0x5309;
  static final int EVIDENCE = 0x530A;
  static final int CHALLENGE = 0x530B;
  static final int BUSY = 0x530C;

  /** Whether {@code type} is in the task protocol's range (retired types included). */
  static boolean isTaskProtocol(int type) {
    return type >= ANNOUNCE && type <= CHALLENGE;
  }

  /** The most bidders one SHORTLIST may name. */
  static final int MAX_SHORTLIST = 64;

  /** Role of an award: the primary execution, or a re-execution that checks it. */
  static final int PRIMARY = 0;
  static final int CROSS_CHECK = 1;

  /** Status of a result. */
  static final int OK = 0;
  static final int EXECUTOR_FAILED = 1;

  /** The most task types one announcement may list. */
  static final int MAX_ANNOUNCED_TYPES = 64;

  record Announce(Map<String, Long> prices) {}

  record Request(TaskId id, String type, long maxPriceMicros, long deadlineMillis) {}

  record Award(TaskId id, int role, String type, long priceMicros, long deadlineMillis,
      byte[] payload, float[] embedding) {}

  record Result(TaskId id, int role, int status, byte[] inputs, byte[] result) {}

  record Commit(TaskId id, byte[] commitment) {}

  /** A provider declined a request for now: ask again after {@code retryAfterMillis}. */
  record Busy(TaskId id, long retryAfterMillis) {}

  /** The longest wait a BUSY may ask for, milliseconds. */
  static final long MAX_RETRY_AFTER_MILLIS = 60_000;

  /** One shortlisted bidder and the commitment the submitter holds for it. */
  record Listed(NodeId bidder, byte[] commitment) {}

  record Shortlist(TaskId id, List<Listed> bidders) {}

  record Reveal(TaskId id, long priceMicros, long latencyMillis, int qualityBps, byte[] salt) {}

  record EvidenceMessage(int kind, TaskId id, NodeId accused, byte[] first, byte[] second) {}

  static byte[] announce(Map<String, Long> prices) {
    Wire.Writer w = new Wire.Writer().u16(prices.size());
    prices.forEach((type, price) -> w.ascii(type).i64(price));
    return w.toByteArray();
  }

  static Announce decodeAnnounce(ByteBuffer in) throws Wire.MalformedException {
    Wire.Reader r = new Wire.Reader(in);
    int n = r.u16("announce count");
    if (n > MAX_ANNOUNCED_TYPES) {
      throw new Wire.MalformedException(
          "announce count must be <= " + MAX_ANNOUNCED_TYPES + ", was " + n);
    }
    Map<String, Long> prices = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String type = r.taskType("announce type", Task.MAX_TYPE_LENGTH);
      if (prices.put(type, r.nonNegative("announce price")) != null) {
        throw new Wire.MalformedException("announce lists " + type + " twice");
      }
    }
    r.end();
    return new Announce(prices);
  }

  static byte[] request(Request m) {
    return taskId(new Wire.Writer(), m.id()).ascii(m.type()).i64(m.maxPriceMicros())
        .i64(m.deadlineMillis()).toByteArray();
  }

  static Request decodeRequest(ByteBuffer in) throws Wire.MalformedException {
    Wire.Reader r = new Wire.Reader(in);
    Request m = new Request(taskId(r), r.taskType("type", Task.MAX_TYPE_LENGTH),
        r.nonNegative("maxPrice"), r.i64("deadline"));
    r.end();
    return m;
  }

  static byte[] award(Award m) {
    return taskId(new Wire.Writer(), m.id()).u8(m.role()).ascii(m.type()).i64(m.priceMicros())
        .i64(m.deadlineMillis()).bytes(m.payload()).floats(m.embedding()).toByteArray();
  }

  static Award decodeAward(ByteBuffer in, int maxPayload, int dimension)
      throws Wire.MalformedException {
    Wire.Reader r = new Wire.Reader(in);
    TaskId id = taskId(r);
    int role = role(r);
    Award m = new Award(id, role, r.taskType("type", Task.MAX_TYPE_LENGTH),
        r.nonNegative("price"), r.i64("deadline"), r.bytes("payload", maxPayload),
        r.embedding("embedding", dimension));
    r.end();
    return m;
  }

  static byte[] result(Result m) {
    return taskId(new Wire.Writer(), m.id()).u8(m.role()).u8(m.status()).hash(m.inputs())
        .bytes(m.result()).toByteArray();
  }

  static Result decodeResult(ByteBuffer in, int maxResult) throws Wire.MalformedException {
    Wire.Reader r = new Wire.Reader(in);
    TaskId id = taskId(r);
    int role = role(r);
    int status = r.u8("status");
    if (status != OK && status != EXECUTOR_FAILED) {
      throw new Wire.MalformedException("status must be 0 or 1, was " + status);
    }
    Result m = new Result(id, role, status, r.hash("inputs"), r.bytes("result", maxResult));
    r.end();
    return m;
  }

  static byte[] complete(TaskId id) {
    return taskId(new Wire.Writer(), id).toByteArray();
  }

  static TaskId decodeComplete(ByteBuffer in) throws Wire.MalformedException {
    Wire.Reader r = new Wire.Reader(in);
    TaskId id = taskId(r);
    r.end();
    return id;
  }

  static byte[] commit(Commit m) {
    return taskId(new Wire.Writer(), m.id()).hash(m.commitment()).toByteArray();
  }

  static Commit decodeCommit(ByteBuffer in) throws Wire.MalformedException {
    Wire.Reader r = new Wire.Reader(in);
    Commit m = new Commit(taskId(r), r.hash("commitment"));
    r.end();
    return m;
  }

  static byte[] shortlist(Shortlist m) {
    Wire.Writer w = taskId(new Wire.Writer(), m.id()).u8(m.bidders().size());
    for (Listed l : m.bidders()) {
      w.id(l.bidder()).hash(l.commitment());
    }
    return w.toByteArray();
  }

  static Shortlist decodeShortlist(ByteBuffer in) throws Wire.MalformedException {
    Wire.Reader r = new Wire.Reader(in);
    TaskId id = taskId(r);
    int n = r.u8("shortlist count");
    if (n < 1 || n > MAX_SHORTLIST) {
      throw new Wire.MalformedException(
          "shortlist count must be in [1, " + MAX_SHORTLIST + "], was " + n);
    }
    List<Listed> bidders = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      bidders.add(new Listed(r.id("bidder"), r.hash("commitment")));
    }
    r.end();
    return new Shortlist(id, List.copyOf(bidders));
  }

  static byte[] reveal(Reveal m) {
    return taskId(new Wire.Writer(), m.id()).i64(m.priceMicros()).i64(m.latencyMillis())
        .u16(m.qualityBps()).hash(m.salt()).toByteArray();
  }

  static Reveal decodeReveal(ByteBuffer in) throws Wire.MalformedException {
    Wire.Reader r = new Wire.Reader(in);
    Reveal m = new Reveal(taskId(r), r.nonNegative("price"), r.nonNegative("latency"),
        r.u16("quality"), r.hash("salt"));
    r.end();
    return m;
  }

  static byte[] evidence(EvidenceMessage m) {
    return taskId(new Wire.Writer().u8(m.kind()), m.id()).id(m.accused()).bytes(m.first())
        .bytes(m.second()).toByteArray();
  }

  /**
   * Decodes an EVIDENCE payload; each embedded frame is at most {@code maxFrame} bytes.
   *
   * @param kinds the number of evidence kinds (a kind byte must be below it)
   */
  static EvidenceMessage decodeEvidence(ByteBuffer in, int kinds, int maxFrame)
      throws Wire.MalformedException {
    Wire.Reader r = new Wire.Reader(in);
    int kind = r.u8("evidence kind");
    if (kind >= kinds) {
      throw new Wire.MalformedException("evidence kind must be < " + kinds + ", was " + kind);
    }
    EvidenceMessage m = new EvidenceMessage(kind, taskId(r), r.id("accused"),
        r.bytes("first frame", maxFrame), r.bytes("second frame", maxFrame));
    r.end();
    return m;
  }

  static byte[] challenge(Commit m) {
    return commit(m);
  }

  static byte[] busy(Busy m) {
    return taskId(new Wire.Writer(), m.id()).i64(m.retryAfterMillis()).toByteArray();
  }

  static Busy decodeBusy(ByteBuffer in) throws Wire.MalformedException {
    Wire.Reader r = new Wire.Reader(in);
    Busy m = new Busy(taskId(r), r.nonNegative("retryAfterMillis"));
    r.end();
    if (m.retryAfterMillis() > MAX_RETRY_AFTER_MILLIS) {
      throw new Wire.MalformedException("retryAfterMillis must be <= " + MAX_RETRY_AFTER_MILLIS
          + ", was " + m.retryAfterMillis());
    }
    return m;
  }

  static Commit decodeChallenge(ByteBuffer in) throws Wire.MalformedException {
    return decodeCommit(in);
  }

  /**
   * The digest of an award's inputs, which its RESULT carries: SHA-256 over a domain tag, the task
   * id, the role, the type, the payload and the embedding, in the AWARD's encoding.
   */
  static byte[] inputDigest(TaskId id, int role, String type, byte[] payload, float[] embedding) {
    byte[] body = taskId(new Wire.Writer().ascii("edgenet.task.inputs.v1"), id).u8(role)
        .ascii(type).bytes(payload).floats(embedding).toByteArray();
    return Wire.sha256(body);
  }

  /** {@link #inputDigest} of an award. */
  static byte[] inputDigest(Award a) {
    return inputDigest(a.id(), a.role(), a.type(), a.payload(), a.embedding());
  }

  private static Wire.Writer taskId(Wire.Writer w, TaskId id) {
    return w.id(id.submitter()).i64(id.number());
  }

  private static TaskId taskId(Wire.Reader r) throws Wire.MalformedException {
    NodeId submitter = r.id("task submitter");
    return new TaskId(submitter, r.nonNegative("task number"));
  }

  private static int role(Wire.Reader r) throws Wire.MalformedException {
    int role = r.u8("role");
    if (role != PRIMARY && role != CROSS_CHECK) {
      throw new Wire.MalformedException("role must be 0 or 1, was " + role);
    }
    return role;
  }
}
