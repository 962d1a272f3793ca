package io.github.edgenet.swarm.node;

import io.github.edgenet.lora.LoraAdapter;
import java.util.Objects;

/**
 * What a {@link TaskExecutor} gets when its node won a task: the task's bytes, its embedding, the
 * adapter it runs with, and the embedding already passed through it.
 *
 * <p>The adapter is, for a type registered with a {@link TaskObjective} (a learned type), a frozen
 * snapshot of the type's shared adapter at its current version (key {@code
 * shared:<type>@<version>}): the node trains its own copy from each execution and the version
 * changes only when a sharing round closes, so an execution depends on the version alone. For any
 * other type it is the adapter the node's {@link io.github.edgenet.lora.pool.AdapterPool} selected
 * for the embedding, live: read it, do not train it from an executor.
 *
 * <p>The arrays are this call's own copies; the executor may modify them.
 *
 * @param id the task
 * @param type the task type
 * @param payload the input bytes from the submitter
 * @param embedding the task embedding as sent
 * @param adapted {@code embedding + adapter(embedding)}: the embedding after the selected adapter
 * @param adapterKey the adapter's key: in the node's pool, or {@code shared:<type>@<version>}
 * @param adapter the adapter (input and output dimension = the embedding dimension)
 */
public record TaskContext(
    TaskId id,
    String type,
    byte[] payload,
    float[] embedding,
    float[] adapted,
    String adapterKey,
    LoraAdapter adapter) {

  /**
   * Checks for nulls.
   *
   * @throws NullPointerException if a component is null
   */
  public TaskContext {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(embedding, "embedding");
    Objects.requireNonNull(adapted, "adapted");
    Objects.requireNonNull(adapterKey, "adapterKey");
    Objects.requireNonNull(adapter, "adapter");
  }
}
