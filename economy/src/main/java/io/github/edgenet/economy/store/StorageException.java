package io.github.edgenet.economy.store;

import java.util.Objects;

/**
 * The ledger's database could not be opened or written. A file that is not a ledger database is
 * reported, never replaced or repaired.
 */
public final class StorageException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What was wrong with the storage. */
  public enum Reason {
    /** The file exists and is not an SQLite database. */
    NOT_A_DATABASE,
    /** The file is an SQLite database that fails its integrity check, or its rows are damaged. */
    CORRUPT,
    /** An SQLite database of something else (another application id or schema). */
    FOREIGN_DATABASE,
    /** A ledger database written by a newer schema version. */
    NEWER_SCHEMA,
    /** Any other I/O or database failure. */
    IO
  }

  private final Reason reason;

  /**
   * A storage failure.
   *
   * @param reason what was wrong
   * @param message details, naming the file
   * @param cause the underlying failure, or null
   */
  public StorageException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * What was wrong.
   *
   * @return what was wrong
   */
  public Reason reason() {
    return reason;
  }
}
