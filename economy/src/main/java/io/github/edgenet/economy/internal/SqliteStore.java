package io.github.edgenet.economy.internal;

import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.store.Durability;
import io.github.edgenet.economy.store.StorageException;
import io.github.edgenet.economy.store.StorageException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ledger's SQLite database: a table of operations in arrival order (rowid), a table of chain
 * heads and a small key-value table. WAL mode, explicit transactions, one connection. Not
 * thread-safe; the ledger serializes calls.
 */
public final class SqliteStore implements AutoCloseable {
  /** {@code PRAGMA application_id}: "EDLG". */
  static final int APPLICATION_ID = 0x45444C47;

  static final int SCHEMA_VERSION = 1;

  private static final byte[] SQLITE_HEADER =
      "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

  private final Connection connection;
  private final String name;
  private final PreparedStatement insertOp;
  private final PreparedStatement upsertHead;

  private SqliteStore(Connection connection, String name) throws SQLException {
    this.connection = connection;
    this.name = name;
    this.insertOp =
        connection.prepareStatement("INSERT INTO ops(id, account, seq, bytes) VALUES (?, ?, ?, ?)");
    this.upsertHead =
        connection.prepareStatement(
            "INSERT INTO heads(account, seq, id) VALUES (?, ?, ?) ON CONFLICT(account) DO UPDATE"
                + " SET seq = excluded.seq, id = excluded.id WHERE excluded.seq > heads.seq");
  }

  /**
   * Opens (or creates) {@code file}.
   *
   * @param file the database file
   * @param durability the synchronous setting
   * @return the store
   * @throws StorageException if the file is not a ledger database or cannot be opened
   */
  public static SqliteStore open(Path file, Durability durability) throws StorageException {
    boolean exists = Files.exists(file);
    if (exists) {
      checkHeader(file);
    } else {
      try {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
      } catch (IOException e) {
        throw new StorageException(Reason.IO, "cannot create the directory of " + file, e);
      }
    }
    return connect("jdbc:sqlite:" + file.toAbsolutePath(), file.toString(), true, durability);
  }

  /**
   * A private in-memory database.
   *
   * @return the store
   * @throws StorageException if SQLite cannot start
   */
  public static SqliteStore inMemory() throws StorageException {
    return connect("jdbc:sqlite::memory:", ":memory:", false, Durability.NORMAL);
  }

  private static void checkHeader(Path file) throws StorageException {
    byte[] head = new byte[SQLITE_HEADER.length];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw new StorageException(Reason.IO, "cannot read " + file, e);
    }
    if (n == 0) {
      return; // an empty file is an empty database to SQLite
    }
    if (n < head.length || !Arrays.equals(head, SQLITE_HEADER)) {
      throw new StorageException(
          Reason.NOT_A_DATABASE, file + " is not an SQLite database (bad header); left untouched",
          null);
    }
  }

  private static SqliteStore connect(String url, String name, boolean wal, Durability durability)
      throws StorageException {
    Connection c = null;
    try {
      c = DriverManager.getConnection(url);
      try (Statement s = c.createStatement()) {
        String check = scalar(s, "PRAGMA quick_check");
        if (!"ok".equals(check)) {
          throw new StorageException(
              Reason.CORRUPT, name + " fails SQLite's integrity check: " + check, null);
        }
        int appId = Integer.parseInt(scalar(s, "PRAGMA application_id"));
        int version = Integer.parseInt(scalar(s, "PRAGMA user_version"));
        int tables = Integer.parseInt(scalar(s, "SELECT count(*) FROM sqlite_master"));
        if (appId == 0 && tables == 0) {
          createSchema(c, s);
        } else if (appId != APPLICATION_ID) {
          throw new StorageException(
              Reason.FOREIGN_DATABASE,
              name + " is an SQLite database of another application (id " + appId + ")",
              null);
        } else if (version > SCHEMA_VERSION) {
          throw new StorageException(
              Reason.NEWER_SCHEMA, name + " has schema " + version + " > " + SCHEMA_VERSION, null);
        }
        if (wal) {
          scalar(s, "PRAGMA journal_mode=WAL");
        }
        s.execute("PRAGMA synchronous=" + durability.name());
      }
      c.setAutoCommit(false);
      return new SqliteStore(c, name);
    } catch (SQLException e) {
      closeQuietly(c);
      String msg = String.valueOf(e.getMessage());
      if (msg.contains("SQLITE_NOTADB")) {
        throw new StorageException(Reason.NOT_A_DATABASE, name + ": " + msg, e);
      }
      if (msg.contains("SQLITE_CORRUPT")) {
        throw new StorageException(Reason.CORRUPT, name + ": " + msg, e);
      }
      throw new StorageException(Reason.IO, name + ": " + msg, e);
    } catch (StorageException | RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  private static void createSchema(Connection c, Statement s) throws SQLException {
    c.setAutoCommit(false);
    s.execute("PRAGMA application_id=" + APPLICATION_ID);
    s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
    s.execute(
        "CREATE TABLE ops(rowid INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE,"
            + " account BLOB NOT NULL, seq INTEGER NOT NULL, bytes BLOB NOT NULL)");
    s.execute("CREATE INDEX ops_chain ON ops(account, seq)");
    s.execute(
        "CREATE TABLE heads(account BLOB PRIMARY KEY, seq INTEGER NOT NULL, id BLOB NOT NULL)");
    s.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL)");
    c.commit();
    c.setAutoCommit(true);
  }

  private static String scalar(Statement s, String sql) throws SQLException {
    try (ResultSet r = s.executeQuery(sql)) {
      return r.next() ? r.getString(1) : null;
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already failing; the first error is the one reported
      }
    }
  }

  /**
   * Writes {@code ops} in one transaction and commits: when this returns they are durable.
   *
   * @param ops the operations, in acceptance order
   * @throws StorageException if the write fails (the transaction is rolled back)
   */
  public void insert(List<Operation> ops) throws StorageException {
    try {
      for (Operation op : ops) {
        byte[] id = op.id().toBytes();
        byte[] account = op.account().toBytes();
        insertOp.setBytes(1, id);
        insertOp.setBytes(2, account);
        insertOp.setLong(3, op.sequence());
        insertOp.setBytes(4, op.encoded());
        insertOp.addBatch();
        upsertHead.setBytes(1, account);
        upsertHead.setLong(2, op.sequence());
        upsertHead.setBytes(3, id);
        upsertHead.addBatch();
      }
      insertOp.executeBatch();
      upsertHead.executeBatch();
      connection.commit();
    } catch (SQLException e) {
      try {
        connection.rollback();
      } catch (SQLException r) {
        e.addSuppressed(r);
      }
      throw new StorageException(Reason.IO, name + ": write failed: " + e.getMessage(), e);
    }
  }

  /** One stored row. */
  public record Row(byte[] id, byte[] bytes) {}

  /**
   * Every stored operation in the order it was accepted.
   *
   * @return the rows
   * @throws StorageException if reading fails
   */
  public List<Row> loadAll() throws StorageException {
    List<Row> rows = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet r = s.executeQuery("SELECT id, bytes FROM ops ORDER BY rowid")) {
      while (r.next()) {
        rows.add(new Row(r.getBytes(1), r.getBytes(2)));
      }
      connection.commit();
    } catch (SQLException e) {
      throw new StorageException(
          e.getMessage() != null && e.getMessage().contains("CORRUPT") ? Reason.CORRUPT : Reason.IO,
          name + ": read failed: " + e.getMessage(),
          e);
    }
    return rows;
  }

  /**
   * Stores a metadata value.
   *
   * @param key the key
   * @param value the value
   * @throws StorageException if the write fails
   */
  public void putMeta(String key, byte[] value) throws StorageException {
    try (PreparedStatement p =
        connection.prepareStatement("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)")) {
      p.setString(1, key);
      p.setBytes(2, value);
      p.executeUpdate();
      connection.commit();
    } catch (SQLException e) {
      throw new StorageException(Reason.IO, name + ": meta write failed: " + e.getMessage(), e);
    }
  }

  /**
   * A metadata value, or null.
   *
   * @param key the key
   * @return the value or null
   * @throws StorageException if reading fails
   */
  public byte[] getMeta(String key) throws StorageException {
    try (PreparedStatement p = connection.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
      p.setString(1, key);
      try (ResultSet r = p.executeQuery()) {
        byte[] v = r.next() ? r.getBytes(1) : null;
        connection.commit();
        return v;
      }
    } catch (SQLException e) {
      throw new StorageException(Reason.IO, name + ": meta read failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      insertOp.close();
      upsertHead.close();
      connection.close();
    } catch (SQLException e) {
      System.getLogger(SqliteStore.class.getName())
          .log(System.Logger.Level.WARNING, "closing " + name + " failed", e);
    }
  }
}
