package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.node.Task;
import io.github.edgenet.swarm.node.TaskFailedException;
import io.github.edgenet.swarm.node.TaskId;
import io.github.edgenet.swarm.node.TaskRecord;
import io.github.edgenet.swarm.node.TaskState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A node's own state in SQLite: the tasks it submitted, the executions it ran for others (with
 * their results, so a repeated award is answered without running again), its sealed asks, its
 * part of the swarm's shared state, its adapter index and its learned adapters (both in lora's
 * {@link io.github.edgenet.lora.io.LoraCodec} format). One file {@code node.db} in the storage
 * directory, in WAL mode; or an in-memory database for a node without one.
 *
 * <p>Every write is one explicit transaction that is committed before the method returns: what a
 * method acknowledged survives a killed process. Thread-safe: every method holds this object's
 * monitor for its whole transaction and calls nothing outside it (the engine and the learning call
 * it from their own locks). Failures throw {@link UncheckedIOException} wrapping the {@link
 * SQLException}.
 */
public final class NodeStore implements AutoCloseable {
  /** The database file's name in a storage directory. */
  public static final String FILE_NAME = "node.db";

  private static final String SCHEMA = """
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS submitted (
        number INTEGER PRIMARY KEY, type TEXT NOT NULL, payload BLOB NOT NULL,
        embedding BLOB NOT NULL, max_price INTEGER NOT NULL, deadline_ms INTEGER NOT NULL,
        deadline_span_ms INTEGER NOT NULL, state TEXT NOT NULL, result BLOB, provider BLOB,
        price INTEGER NOT NULL DEFAULT 0, failure TEXT);
      CREATE TABLE IF NOT EXISTS executions (
        submitter BLOB NOT NULL, number INTEGER NOT NULL, role INTEGER NOT NULL,
        status INTEGER NOT NULL, result BLOB NOT NULL, acknowledged INTEGER NOT NULL DEFAULT 0,
        inputs BLOB, PRIMARY KEY (submitter, number, role));
      CREATE TABLE IF NOT EXISTS adapters (
        key TEXT PRIMARY KEY, embedding BLOB NOT NULL, codec BLOB NOT NULL);
      CREATE TABLE IF NOT EXISTS bids (
        submitter BLOB NOT NULL, number INTEGER NOT NULL, type TEXT NOT NULL,
        ask INTEGER NOT NULL, deadline_ms INTEGER NOT NULL, PRIMARY KEY (submitter, number));
      CREATE TABLE IF NOT EXISTS shared (
        type INTEGER NOT NULL, part INTEGER NOT NULL, payload BLOB NOT NULL,
        PRIMARY KEY (type, part));
      CREATE TABLE IF NOT EXISTS learned (
        type TEXT PRIMARY KEY, version INTEGER NOT NULL, frozen BLOB NOT NULL,
        working BLOB NOT NULL);
      """;

  private final Connection db;

  /** A submitted task that is not finished, as stored. */
  record PendingRow(long number, Task task, long deadlineMillis) {}

  /**
   * An execution this node ran, as stored; {@code inputs} is the digest of the award's inputs its
   * RESULT was signed for (null in rows written before the column existed).
   */
  record ExecutionRow(int status, byte[] result, boolean acknowledged, byte[] inputs) {}

  /** A sealed bid this node committed to, as stored (its salt and commitment are derived). */
  record BidRow(String type, long askMicros, long deadlineMillis) {}

  /** An adapter in the index, as stored. */
  record AdapterRow(String key, float[] embedding, byte[] codec) {}

  /** A learned type's adapter, as stored: its frozen version and the working copy (codec bytes). */
  record LearnedRow(long version, byte[] frozen, byte[] working) {}

  private NodeStore(Connection db) {
    this.db = db;
  }

  /**
   * Opens (creating if needed) the database in {@code directory}, or an in-memory one if {@code
   * directory} is null.
   *
   * @throws UncheckedIOException if the database cannot be opened or its schema created
   */
  public static NodeStore open(Path directory) {
    String url = directory == null
        ? "jdbc:sqlite::memory:"
        : "jdbc:sqlite:" + directory.resolve(FILE_NAME).toAbsolutePath();
    try {
      Connection c = DriverManager.getConnection(url);
      try (Statement s = c.createStatement()) {
        if (directory != null) {
          s.execute("PRAGMA journal_mode=WAL");
          s.execute("PRAGMA synchronous=NORMAL"); // WAL + NORMAL: a killed process loses nothing
        }
        s.execute("PRAGMA busy_timeout=5000");
        for (String statement : SCHEMA.split(";")) {
          if (!statement.isBlank()) {
            s.execute(statement);
          }
        }
        addColumnIfMissing(s, "executions", "inputs", "BLOB");
      }
      c.setAutoCommit(false);
      c.commit();
      return new NodeStore(c);
    } catch (SQLException e) {
      throw failure("open " + url, e);
    }
  }

  /** Upgrades a database written before {@code column} existed. */
  private static void addColumnIfMissing(Statement s, String table, String column, String type)
      throws SQLException {
    try (ResultSet r = s.executeQuery("PRAGMA table_info(" + table + ")")) {
      while (r.next()) {
        if (column.equals(r.getString("name"))) {
          return;
        }
      }
    }
    s.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
  }

  private static UncheckedIOException failure(String what, SQLException e) {
    return new UncheckedIOException(new IOException("node storage: cannot " + what, e));
  }

  private long nextCounter(String key) throws SQLException {
    long value = 0;
    try (PreparedStatement q = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
      q.setString(1, key);
      try (ResultSet r = q.executeQuery()) {
        if (r.next()) {
          value = r.getLong(1);
        }
      }
    }
    try (PreparedStatement u =
        db.prepareStatement("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)")) {
      u.setString(1, key);
      u.setLong(2, value + 1);
      u.executeUpdate();
    }
    return value;
  }

  private void rollbackQuietly(SQLException cause) {
    try {
      db.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** Stores a newly submitted task under a fresh number and returns the number. */
  synchronized long insertSubmitted(Task task, long deadlineMillis) {
    try {
      long number = nextCounter("task");
      try (PreparedStatement s = db.prepareStatement("INSERT INTO submitted (number, type, payload,"
          + " embedding, max_price, deadline_ms, deadline_span_ms, state) VALUES (?,?,?,?,?,?,?,?)")) {
        s.setLong(1, number);
        s.setString(2, task.type());
        s.setBytes(3, task.payload());
        s.setBytes(4, floatsToBytes(task.embedding()));
        s.setLong(5, task.maxPriceMicros());
        s.setLong(6, deadlineMillis);
        s.setLong(7, task.deadline().toMillis());
        s.setString(8, TaskState.REQUESTING.name());
        s.executeUpdate();
      }
      db.commit();
      return number;
    } catch (SQLException e) {
      rollbackQuietly(e);
      throw failure("store a submitted task", e);
    }
  }

  /** Marks a submitted task completed with its accepted result. */
  synchronized void completeSubmitted(long number, byte[] result, NodeId provider, long priceMicros) {
    update("complete a task", "UPDATE submitted SET state = ?, result = ?, provider = ?, price = ?"
        + " WHERE number = ?", TaskState.COMPLETED.name(), result, provider.toBytes(), priceMicros,
        number);
  }

  /** Marks a submitted task failed. */
  synchronized void failSubmitted(long number, TaskFailedException.Reason reason) {
    update("fail a task", "UPDATE submitted SET state = ?, failure = ? WHERE number = ?",
        TaskState.FAILED.name(), reason.name(), number);
  }

  /** Marks a submitted task awarded (informational: a restart re-requests it anyway). */
  synchronized void awardSubmitted(long number) {
    update("award a task", "UPDATE submitted SET state = ? WHERE number = ? AND state = ?",
        TaskState.AWARDED.name(), number, TaskState.REQUESTING.name());
  }

  private void update(String what, String sql, Object... args) {
    try {
      try (PreparedStatement s = db.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) {
          s.setObject(i + 1, args[i]);
        }
        s.executeUpdate();
      }
      db.commit();
    } catch (SQLException e) {
      rollbackQuietly(e);
      throw failure(what, e);
    }
  }

  /** The record of task {@code number} submitted by {@code self}, if stored. */
  synchronized Optional<TaskRecord> submitted(NodeId self, long number) {
    try (PreparedStatement q = db.prepareStatement(
        "SELECT type, state, result, provider, price, failure FROM submitted WHERE number = ?")) {
      q.setLong(1, number);
      try (ResultSet r = q.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        TaskState state = TaskState.valueOf(r.getString(2));
        byte[] result = r.getBytes(3);
        byte[] provider = r.getBytes(4);
        String failure = r.getString(6);
        return Optional.of(new TaskRecord(new TaskId(self, number), r.getString(1), state,
            Optional.ofNullable(result),
            Optional.ofNullable(failure).map(TaskFailedException.Reason::valueOf),
            Optional.ofNullable(provider).map(NodeId::of), r.getLong(5)));
      }
    } catch (SQLException e) {
      throw failure("read a task", e);
    }
  }

  /** Submitted tasks that completed or failed, by number (read at a restart). */
  public synchronized List<TaskRecord> endedSubmitted(NodeId self) {
    List<TaskRecord> rows = new ArrayList<>();
    try (PreparedStatement q = db.prepareStatement("SELECT number, type, state, provider, price"
        + " FROM submitted WHERE state IN (?, ?) ORDER BY number")) {
      q.setString(1, TaskState.COMPLETED.name());
      q.setString(2, TaskState.FAILED.name());
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          byte[] provider = r.getBytes(4);
          rows.add(new TaskRecord(new TaskId(self, r.getLong(1)), r.getString(2),
              TaskState.valueOf(r.getString(3)), Optional.empty(), Optional.empty(),
              Optional.ofNullable(provider).map(NodeId::of), r.getLong(5)));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw failure("read ended tasks", e);
    }
  }

  /** Submitted tasks not yet completed or failed, by number. */
  synchronized List<PendingRow> pendingSubmitted() {
    List<PendingRow> rows = new ArrayList<>();
    try (PreparedStatement q = db.prepareStatement("SELECT number, type, payload, embedding,"
        + " max_price, deadline_ms, deadline_span_ms FROM submitted WHERE state IN (?, ?)"
        + " ORDER BY number")) {
      q.setString(1, TaskState.REQUESTING.name());
      q.setString(2, TaskState.AWARDED.name());
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          Task task = new Task(r.getString(2), r.getBytes(3), bytesToFloats(r.getBytes(4)),
              r.getLong(5), Duration.ofMillis(Math.max(1, r.getLong(7))));
          rows.add(new PendingRow(r.getLong(1), task, r.getLong(6)));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw failure("read pending tasks", e);
    }
  }

  /** Counts of submitted tasks per state, as stored. */
  synchronized long countSubmitted(TaskState state) {
    try (PreparedStatement q =
        db.prepareStatement("SELECT COUNT(*) FROM submitted WHERE state = ?")) {
      q.setString(1, state.name());
      try (ResultSet r = q.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    } catch (SQLException e) {
      throw failure("count tasks", e);
    }
  }

  /** The execution of {@code id} in {@code role}, if this node ran it. */
  synchronized Optional<ExecutionRow> execution(TaskId id, int role) {
    try (PreparedStatement q = db.prepareStatement("SELECT status, result, acknowledged, inputs"
        + " FROM executions WHERE submitter = ? AND number = ? AND role = ?")) {
      q.setBytes(1, id.submitter().toBytes());
      q.setLong(2, id.number());
      q.setInt(3, role);
      try (ResultSet r = q.executeQuery()) {
        return r.next()
            ? Optional.of(new ExecutionRow(r.getInt(1), r.getBytes(2), r.getInt(3) != 0,
                r.getBytes(4)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("read an execution", e);
    }
  }

  /**
   * Stores the outcome of running {@code id} in {@code role} on the inputs of digest {@code
   * inputs}, before the result is sent.
   */
  synchronized void storeExecution(TaskId id, int role, int status, byte[] result, byte[] inputs) {
    update("store an execution", "INSERT INTO executions (submitter, number, role, status, result,"
        + " inputs) VALUES (?,?,?,?,?,?)", id.submitter().toBytes(), id.number(), role, status,
        result, inputs);
  }

  /**
   * Stores the ask this node seals for task {@code id}, before its COMMIT is sent: a node that
   * committed can open its commitment after a restart. A second bid for the task is ignored.
   */
  synchronized void storeBid(TaskId id, String type, long askMicros, long deadlineMillis) {
    update("store a bid", "INSERT OR IGNORE INTO bids (submitter, number, type, ask, deadline_ms)"
        + " VALUES (?,?,?,?,?)", id.submitter().toBytes(), id.number(), type, askMicros,
        deadlineMillis);
  }

  /** The bid this node sealed for {@code id}, if any. */
  synchronized Optional<BidRow> bid(TaskId id) {
    try (PreparedStatement q = db.prepareStatement(
        "SELECT type, ask, deadline_ms FROM bids WHERE submitter = ? AND number = ?")) {
      q.setBytes(1, id.submitter().toBytes());
      q.setLong(2, id.number());
      try (ResultSet r = q.executeQuery()) {
        return r.next() ? Optional.of(new BidRow(r.getString(1), r.getLong(2), r.getLong(3)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("read a bid", e);
    }
  }

  /** Forgets the bids of tasks whose deadline is at or before {@code millis}. */
  synchronized void deleteBidsBefore(long millis) {
    update("delete expired bids", "DELETE FROM bids WHERE deadline_ms <= ?", millis);
  }

  /** Notes that the submitter accepted the result of {@code id}. */
  synchronized void acknowledgeExecution(TaskId id) {
    update("acknowledge an execution", "UPDATE executions SET acknowledged = 1 WHERE submitter = ?"
        + " AND number = ?", id.submitter().toBytes(), id.number());
  }

  /** Executions stored. */
  synchronized long countExecutions() {
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM executions")) {
      r.next();
      return r.getLong(1);
    } catch (SQLException e) {
      throw failure("count executions", e);
    }
  }

  /** Adds an adapter to the index under a fresh key {@code adapter-<n>} and returns the key. */
  synchronized String insertAdapter(float[] embedding, byte[] codec) {
    try {
      String key = "adapter-" + nextCounter("adapter");
      try (PreparedStatement s =
          db.prepareStatement("INSERT INTO adapters (key, embedding, codec) VALUES (?,?,?)")) {
        s.setString(1, key);
        s.setBytes(2, floatsToBytes(embedding));
        s.setBytes(3, codec);
        s.executeUpdate();
      }
      db.commit();
      return key;
    } catch (SQLException e) {
      rollbackQuietly(e);
      throw failure("store an adapter", e);
    }
  }

  /** The codec bytes of the adapter stored under {@code key}, if any. */
  synchronized Optional<byte[]> adapterCodec(String key) {
    try (PreparedStatement q = db.prepareStatement("SELECT codec FROM adapters WHERE key = ?")) {
      q.setString(1, key);
      try (ResultSet r = q.executeQuery()) {
        return r.next() ? Optional.of(r.getBytes(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("read an adapter", e);
    }
  }

  /** Every adapter in the index, by key. */
  synchronized List<AdapterRow> adapters() {
    List<AdapterRow> rows = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT key, embedding, codec FROM adapters ORDER BY key")) {
      while (r.next()) {
        rows.add(new AdapterRow(r.getString(1), bytesToFloats(r.getBytes(2)), r.getBytes(3)));
      }
      return rows;
    } catch (SQLException e) {
      throw failure("read adapters", e);
    }
  }

  /** Replaces the stored payloads of this node's part of a shared state (one transaction). */
  synchronized void saveShared(int type, List<byte[]> payloads) {
    try {
      try (PreparedStatement d = db.prepareStatement("DELETE FROM shared WHERE type = ?")) {
        d.setInt(1, type);
        d.executeUpdate();
      }
      try (PreparedStatement s = db.prepareStatement(
          "INSERT INTO shared (type, part, payload) VALUES (?,?,?)")) {
        for (int i = 0; i < payloads.size(); i++) {
          s.setInt(1, type);
          s.setInt(2, i);
          s.setBytes(3, payloads.get(i));
          s.addBatch();
        }
        s.executeBatch();
      }
      db.commit();
    } catch (SQLException e) {
      rollbackQuietly(e);
      throw failure("store shared state", e);
    }
  }

  /** The stored payloads of this node's part of a shared state, in order (empty if none). */
  synchronized List<byte[]> shared(int type) {
    List<byte[]> out = new ArrayList<>();
    try (PreparedStatement q =
        db.prepareStatement("SELECT payload FROM shared WHERE type = ? ORDER BY part")) {
      q.setInt(1, type);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          out.add(r.getBytes(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("read shared state", e);
    }
  }

  /** Stores a learned type's frozen version and working copy, replacing what was stored. */
  synchronized void saveLearned(String type, long version, byte[] frozen, byte[] working) {
    try (PreparedStatement s = db.prepareStatement("INSERT OR REPLACE INTO learned (type, version,"
        + " frozen, working) VALUES (?,?,?,?)")) {
      s.setString(1, type);
      s.setLong(2, version);
      s.setBytes(3, frozen);
      s.setBytes(4, working);
      s.executeUpdate();
      db.commit();
    } catch (SQLException e) {
      rollbackQuietly(e);
      throw failure("store a learned adapter", e);
    }
  }

  /** The stored learned adapter of {@code type}, if any. */
  synchronized Optional<LearnedRow> learned(String type) {
    try (PreparedStatement q =
        db.prepareStatement("SELECT version, frozen, working FROM learned WHERE type = ?")) {
      q.setString(1, type);
      try (ResultSet r = q.executeQuery()) {
        return r.next() ? Optional.of(new LearnedRow(r.getLong(1), r.getBytes(2), r.getBytes(3)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("read a learned adapter", e);
    }
  }

  static byte[] floatsToBytes(float[] f) {
    ByteBuffer b = ByteBuffer.allocate(4 * f.length);
    for (float v : f) {
      b.putFloat(v);
    }
    return b.array();
  }

  static float[] bytesToFloats(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    float[] f = new float[bytes.length / 4];
    for (int i = 0; i < f.length; i++) {
      f[i] = b.getFloat();
    }
    return f;
  }

  /** Closes the database. Idempotent. */
  @Override
  public synchronized void close() {
    try {
      db.close();
    } catch (SQLException e) {
      throw failure("close", e);
    }
  }
}
