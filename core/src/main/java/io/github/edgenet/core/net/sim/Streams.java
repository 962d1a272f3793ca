package io.github.edgenet.core.net.sim;

import io.github.edgenet.core.RandomSource;

/**
 * The simulation's named random streams, each derived once from the seed by purpose; a node
 * derives its own from them by index, so adding a node or a fault does not shift unrelated draws.
 */
record Streams(
    RandomSource latency,
    RandomSource loss,
    RandomSource duplication,
    RandomSource reorder,
    RandomSource gossip,
    RandomSource node,
    RandomSource nodeId) {
  Streams(RandomSource root) {
    this(
        root.derive("latency"),
        root.derive("loss"),
        root.derive("duplication"),
        root.derive("reorder"),
        root.derive("gossip"),
        root.derive("node"),
        root.derive("node-id"));
  }
}
