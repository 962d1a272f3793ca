package io.github.edgenet.economy.replication;

/** Placeholder, replaced below. */
final class LedgerReplicator {
  private LedgerReplicator() {}
}
