package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.swarm.node.LearningMetrics;
import java.util.Set;

/**
 * The default {@link AdapterLearning}: every type runs with the adapter the pool routes its
 * embedding to, and nothing is learned. Types the host declared adaptive (their results depend on
 * other nodes' learned adapters) are still exempt from byte cross-checks. Immutable, thread-safe.
 */
public final class NoAdapterLearning implements AdapterLearning {
  private final Set<String> adaptive;

  /** No adaptive types. */
  public NoAdapterLearning() {
    this(Set.of());
  }

  /**
   * With types declared adaptive.
   *
   * @param adaptive types whose results are not cross-checked byte for byte
   */
  public NoAdapterLearning(Set<String> adaptive) {
    this.adaptive = Set.copyOf(adaptive);
  }

  @Override
  public Selected select(String type) {
    return null;
  }

  @Override
  public void executed(String type, float[] embedding, byte[] payload) {}

  @Override
  public boolean adaptive(String type) {
    return adaptive.contains(type);
  }

  @Override
  public LearningMetrics metrics() {
    return LearningMetrics.NONE;
  }
}
