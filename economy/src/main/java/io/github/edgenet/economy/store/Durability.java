package io.github.edgenet.economy.store;

/**
 * How hard SQLite works to make a commit durable (its {@code synchronous} setting in WAL mode).
 * Either way a commit that returned survives the process being killed; they differ on power loss.
 */
public enum Durability {
  /** {@code synchronous=FULL}: the WAL is synced at every commit; survives power loss. Default. */
  FULL,
  /**
   * {@code synchronous=NORMAL}: the WAL is synced at checkpoints only; a power loss may undo the
   * last commits (never corrupt the file), a killed process loses nothing.
   */
  NORMAL
}
