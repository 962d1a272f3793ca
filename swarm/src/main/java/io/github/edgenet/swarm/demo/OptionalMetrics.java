package io.github.edgenet.swarm.demo;

import io.github.edgenet.swarm.node.NodeMetrics;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;

/**
 * Reads {@link NodeMetrics} components that the node may not report yet, by name: the demo draws
 * charts for reputation and slashing from them once the node's economy wiring adds them, and says
 * "not wired" until then. The names and types it looks for:
 *
 * <ul>
 *   <li>{@value #REPUTATION} ({@code double}): this node's own reputation score in [0, 1], as its
 *       copy of the ledger computes it;
 *   <li>{@value #SLASHES} ({@code long}): slashing operations against this node on its ledger;
 *   <li>{@value #SLASHED_MICROS} ({@code long}): stake slashed from this node, micro-units.
 * </ul>
 *
 * A component with another type is treated as absent.
 */
final class OptionalMetrics {
  static final String REPUTATION = "reputation";
  static final String SLASHES = "slashes";
  static final String SLASHED_MICROS = "slashedMicros";
  private static final Method REPUTATION_ACCESSOR = accessor(REPUTATION, double.class);
  private static final Method SLASHES_ACCESSOR = accessor(SLASHES, long.class);
  private static final Method SLASHED_ACCESSOR = accessor(SLASHED_MICROS, long.class);

  private OptionalMetrics() {}

  private static Method accessor(String name, Class<?> type) {
    for (RecordComponent c : NodeMetrics.class.getRecordComponents()) {
      if (c.getName().equals(name) && c.getType() == type) {
        return c.getAccessor();
      }
    }
    return null;
  }

  static boolean hasReputation() {
    return REPUTATION_ACCESSOR != null;
  }

  static boolean hasSlashes() {
    return SLASHES_ACCESSOR != null;
  }

  static double reputation(NodeMetrics m) {
    return (double) read(REPUTATION_ACCESSOR, m);
  }

  static long slashes(NodeMetrics m) {
    return (long) read(SLASHES_ACCESSOR, m);
  }

  static long slashedMicros(NodeMetrics m) {
    return SLASHED_ACCESSOR == null ? 0 : (long) read(SLASHED_ACCESSOR, m);
  }

  private static Object read(Method accessor, NodeMetrics m) {
    if (accessor == null) {
      throw new IllegalStateException("NodeMetrics has no such component");
    }
    try {
      return accessor.invoke(m);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + accessor.getName() + " of NodeMetrics", e);
    }
  }
}
