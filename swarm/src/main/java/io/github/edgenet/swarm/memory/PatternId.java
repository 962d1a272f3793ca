package io.github.edgenet.swarm.memory;

import io.github.edgenet.core.identity.NodeId;

/**
 * The identity of a semantic pattern: the node that consolidated it and its sequence number there.
 *
 * <p>Immutable and thread-safe.
 *
 * @param origin the node that formed the pattern
 * @param sequence its number at that node
 */
public record PatternId(NodeId origin, long sequence) {}
