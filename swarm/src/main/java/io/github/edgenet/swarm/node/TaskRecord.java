package io.github.edgenet.swarm.node;

import io.github.edgenet.core.identity.NodeId;
import java.util.Objects;
import java.util.Optional;

/**
 * What a node keeps about one task it submitted, as returned by {@link EdgeNode#task(TaskId)}; read
 * from its storage, so it survives restarts on the same directory.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the task
 * @param type its task type
 * @param state where it stands
 * @param result the accepted result (empty unless {@link TaskState#COMPLETED})
 * @param failure why it failed (empty unless {@link TaskState#FAILED})
 * @param provider the node whose result was accepted (empty unless completed)
 * @param priceMicros the price agreed with that provider, in micro-units (0 unless completed)
 */
public record TaskRecord(
    TaskId id,
    String type,
    TaskState state,
    Optional<byte[]> result,
    Optional<TaskFailedException.Reason> failure,
    Optional<NodeId> provider,
    long priceMicros) {

  /**
   * Checks for nulls and copies the result.
   *
   * @throws NullPointerException if a component is null
   */
  public TaskRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(state, "state");
    result = Objects.requireNonNull(result, "result").map(byte[]::clone);
    Objects.requireNonNull(failure, "failure");
    Objects.requireNonNull(provider, "provider");
  }

  /**
   * A copy of the result, if any.
   *
   * @return a copy of the accepted result, empty unless {@link TaskState#COMPLETED}
   */
  @Override
  public Optional<byte[]> result() {
    return result.map(byte[]::clone);
  }
}
