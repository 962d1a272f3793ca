/**
 * Replication of the ledger over core's {@link io.github.edgenet.core.net.PeerNetwork}: gossip of
 * new operations and anti-entropy by chain heads, every message in a signed envelope.
 */
package io.github.edgenet.economy.replication;
