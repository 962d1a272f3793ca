package io.github.edgenet.core.net.sim;

import io.github.edgenet.core.identity.NodeId;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The nodes of a simulation: by dense index (join order, which is also the order of the random
 * streams they derive) and by id. Nodes are never removed; a closed or crashed node keeps its index.
 * Not thread-safe, like the simulator.
 */
final class NodeTable {
  private final Object2IntOpenHashMap<NodeId> indexOf = new Object2IntOpenHashMap<>();
  private SimulatedNode[] nodes = new SimulatedNode[16];
  private int count;

  NodeTable() {
    indexOf.defaultReturnValue(-1);
  }

  /** The number of nodes ever added, which is also the next node's index. */
  int count() {
    return count;
  }

  /** The node at {@code index}, which must be below {@link #count()}. */
  SimulatedNode get(int index) {
    return nodes[index];
  }

  /** The index of the node with this id, or -1 if it is not a node of the simulation. */
  int indexOf(NodeId id) {
    return indexOf.getInt(id);
  }

  boolean contains(NodeId id) {
    return indexOf.containsKey(id);
  }

  /** Adds {@code node}, whose index must be {@link #count()} and whose id must be new. */
  void add(SimulatedNode node) {
    int index = count;
    if (index == nodes.length) {
      nodes = Arrays.copyOf(nodes, index * 2);
    }
    nodes[index] = node;
    count++;
    indexOf.put(node.id, index);
  }

  /** All nodes in join order, a copy. */
  List<SimulatedNode> list() {
    return List.of(Arrays.copyOf(nodes, count));
  }

  /**
   * The index of the node with this id.
   *
   * @throws NullPointerException if {@code id} is null, naming it {@code name}
   * @throws IllegalArgumentException if it is not a node of the simulation
   */
  int indexOrThrow(String name, NodeId id) {
    Objects.requireNonNull(id, name);
    int i = indexOf.getInt(id);
    if (i < 0) {
      throw new IllegalArgumentException(name + " " + id + " is not a node of this simulator");
    }
    return i;
  }
}
