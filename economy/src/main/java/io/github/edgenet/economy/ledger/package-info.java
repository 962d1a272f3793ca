/**
 * The replicated ledger: per-account hash-linked chains of signed {@link
 * io.github.edgenet.economy.ledger.Operation}s, validated before they are stored, and the state
 * every node derives from them ({@link io.github.edgenet.economy.ledger.Ledger}).
 */
package io.github.edgenet.economy.ledger;
