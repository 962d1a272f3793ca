/**
 * The ledger's storage options and failures. The ledger keeps its operations in SQLite (WAL mode,
 * explicit transactions): one file {@code ledger.db} in a node's storage directory, or an in-memory
 * database for simulated nodes. See {@link io.github.edgenet.economy.ledger.Ledger#open}.
 */
package io.github.edgenet.economy.store;
