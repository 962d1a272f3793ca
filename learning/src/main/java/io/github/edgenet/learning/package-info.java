/**
 * Decentralized learning with peers: push-sum gossip averaging (Kempe et al.), robust aggregation
 * (Krum, trimmed mean, median), federated rounds, prioritized experience replay (Schaul et al.) and
 * elastic weight consolidation. Nothing is implemented yet; this package marks where it will live.
 */
package io.github.edgenet.learning;
