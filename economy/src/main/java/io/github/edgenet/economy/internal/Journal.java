package io.github.edgenet.economy.internal;

import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.store.StorageException;
import java.util.ArrayList;
import java.util.List;

/**
 * The write side of a ledger: stores what its {@link ChainBook} accepted (the evidence an
 * acceptance promoted first, then the operation) in one SQLite transaction per call, and closes
 * itself for good when a write fails, so memory never runs ahead of the disk unnoticed. Not
 * thread-safe; the ledger serializes calls.
 */
public final class Journal {
  private static final System.Logger LOG = System.getLogger(Journal.class.getName());

  private final SqliteStore store;
  private final ChainBook book;
  private boolean closed;

  private Journal(SqliteStore store, ChainBook book) {
    this.store = store;
    this.book = book;
  }

  /**
   * Loads every operation {@code store} holds into the empty {@code book} (in arrival order,
   * without verifying signatures again) and returns the journal that stores what it accepts next.
   * On failure the store is closed.
   *
   * @param store the open database
   * @param book an empty book
   * @param name the database, for messages
   * @return the journal
   * @throws StorageException if a stored operation does not decode, hash or validate
   */
  public static Journal load(SqliteStore store, ChainBook book, String name)
      throws StorageException {
    try {
      book.load(store.loadAll(), name);
    } catch (StorageException | RuntimeException e) {
      store.close();
      throw e;
    }
    LOG.log(System.Logger.Level.DEBUG, () -> "opened ledger " + name + " with " + book.size()
        + " operations");
    return new Journal(store, book);
  }

  /**
   * The void operations the last acceptance moved into the held set, then {@code op}: what must
   * be stored, in that order.
   *
   * @param op the operation just accepted
   * @return the operations to store
   */
  public List<Operation> withEvidence(Operation op) {
    List<Operation> evidence = book.drainPromoted();
    if (evidence.isEmpty()) {
      return List.of(op);
    }
    List<Operation> out = new ArrayList<>(evidence);
    out.add(op);
    return out;
  }

  /**
   * Stores {@code ops} in one transaction.
   *
   * @param ops accepted operations
   * @throws IllegalStateException if the write failed: the journal (and its ledger) is closed
   */
  public void persist(List<Operation> ops) {
    try {
      store.insert(ops);
    } catch (StorageException e) {
      close();
      throw new IllegalStateException("ledger storage failed, the ledger is closed", e);
    }
  }

  /**
   * Throws if closed (by its owner, or after a failed write).
   *
   * @throws IllegalStateException if closed
   */
  public void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the ledger is closed");
    }
  }

  /** Closes the database. Idempotent. */
  public void close() {
    if (!closed) {
      closed = true;
      store.close();
    }
  }
}
