/**
 * Entropy-based consensus on one of k options with certainty-weighted, quality-modulated votes and
 * annealed learning rates. Entry point: {@link io.github.edgenet.swarm.consensus.EntropyConsensus}.
 */
package io.github.edgenet.swarm.consensus;
