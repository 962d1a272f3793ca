package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.node.Task;
import io.github.edgenet.swarm.node.TaskId;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The task protocol's messages: envelope types and payload layouts (all integers big-endian). Each
 * {@code decode} reads one payload with every length bounded (see {@link Wire.Reader}) and rejects
 * trailing bytes.
 *
 * <pre>
 * ANNOUNCE  u16 n, n x (type, i64 priceMicros)
 * REQUEST   taskId, type, i64 maxPriceMicros, i64 deadlineEpochMillis
 * OFFER     taskId, i64 priceMicros
 * AWARD     taskId, u8 role, type, i64 priceMicros, i64 deadlineEpochMillis, bytes payload,
 *           floats embedding
 * RESULT    taskId, u8 role, u8 status, bytes result
 * COMPLETE  taskId
 * taskId  = 32-byte submitter id, i64 number; type = u16 length + printable ASCII;
 * bytes   = i32 length + bytes; floats = u16 count + IEEE 754 singles
 * </pre>
 */
final class Messages {
  private Messages() {}

  static final int ANNOUNCE = 0x5301;
  static final int REQUEST = 0x5302;
  static final int OFFER = 0x5303;
  static final int AWARD = 0x5304;
  static final int RESULT = 0x5305;
  static final int COMPLETE = 0x5306;

  /** Whether {@code type} is one of the task protocol's message types above. */
  static boolean isTaskProtocol(int type) {
    return type >= ANNOUNCE && type <= COMPLETE;
  }

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

  record Offer(TaskId id, long priceMicros) {}

  record Award(TaskId id, int role, String type, long priceMicros, long deadlineMillis,
      byte[] payload, float[] embedding) {}

  record Result(TaskId id, int role, int status, byte[] result) {}

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

  static byte[] offer(Offer m) {
    return taskId(new Wire.Writer(), m.id()).i64(m.priceMicros()).toByteArray();
  }

  static Offer decodeOffer(ByteBuffer in) throws Wire.MalformedException {
    Wire.Reader r = new Wire.Reader(in);
    Offer m = new Offer(taskId(r), r.nonNegative("price"));
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
    return taskId(new Wire.Writer(), m.id()).u8(m.role()).u8(m.status()).bytes(m.result())
        .toByteArray();
  }

  static Result decodeResult(ByteBuffer in, int maxResult) throws Wire.MalformedException {
    Wire.Reader r = new Wire.Reader(in);
    TaskId id = taskId(r);
    int role = role(r);
    int status = r.u8("status");
    if (status != OK && status != EXECUTOR_FAILED) {
      throw new Wire.MalformedException("status must be 0 or 1, was " + status);
    }
    Result m = new Result(id, role, status, r.bytes("result", maxResult));
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
