package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.lora.LoraAdapter;
import io.github.edgenet.swarm.node.LearningMetrics;
import java.util.List;

/**
 * SEAM for the provider side of learning: which adapter a task type runs with, and what the node
 * learns from each execution. The default, {@link NoAdapterLearning}, leaves every type on the
 * adapter pool and learns nothing; {@link CollectiveLearning} trains one shared adapter per task
 * type that has a {@link io.github.edgenet.swarm.node.TaskObjective}, replays, consolidates and
 * aggregates the providers' adapters robustly.
 *
 * <p>{@link #select} and {@link #executed} are called by the provider under its engine's lock;
 * implementations take their own lock and never call back into the engine while holding it.
 */
public interface AdapterLearning {

  /**
   * The adapter an execution runs with: a frozen snapshot, named by a key that includes its
   * version.
   *
   * @param key the adapter's key, e.g. {@code shared:digits@12}
   * @param adapter the snapshot; never written after it is handed out
   */
  record Selected(String key, LoraAdapter adapter) {}

  /** Who runs a task type, as far as the node knows: where contributions go. */
  @FunctionalInterface
  interface ProviderDirectory {
    /**
     * Peers that announced {@code type}, at most {@code limit}.
     *
     * @param type a task type
     * @param limit the most to return
     * @return the peers, not this node
     */
    List<NodeId> providers(String type, int limit);
  }

  /**
   * The adapter tasks of {@code type} run with now.
   *
   * @param type a task type this node runs
   * @return the learned type's current snapshot, or null to route by embedding in the pool
   */
  Selected select(String type);

  /**
   * A task of a learned type ran successfully here: learn from it.
   *
   * @param type the task type ({@link #select} returned non-null for it)
   * @param embedding the task embedding (not kept: copied)
   * @param payload the task's payload, unmodified (kept for replay)
   */
  void executed(String type, float[] embedding, byte[] payload);

  /**
   * Whether results of {@code type} depend on learned adapters, so two providers' results need not
   * be equal byte for byte: the submitter then does not cross-check them (its verifier still runs).
   *
   * @param type a task type
   * @return {@code true} for learned types
   */
  boolean adaptive(String type);

  /**
   * Called once by the engine when it starts: how to find the providers of a type.
   *
   * @param directory the engine's view of announced capabilities (takes the engine's lock)
   */
  default void attach(ProviderDirectory directory) {}

  /**
   * A snapshot of the counters.
   *
   * @return the metrics
   */
  LearningMetrics metrics();

  /** Stops timers and message handling. Idempotent. */
  default void close() {}
}
