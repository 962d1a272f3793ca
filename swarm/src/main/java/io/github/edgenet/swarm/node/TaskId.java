package io.github.edgenet.swarm.node;

import io.github.edgenet.core.identity.NodeId;
import java.util.Objects;

/**
 * The network-wide identity of one submitted task: the submitting node and a number that node
 * never reuses (it is kept in the node's storage, so it survives restarts on the same directory).
 *
 * <p>Immutable and thread-safe.
 *
 * @param submitter the node that submitted the task (and signs every message about it)
 * @param number the submitter's task number, {@code >= 0}
 */
public record TaskId(NodeId submitter, long number) {

  /**
   * Validates the components.
   *
   * @throws NullPointerException if {@code submitter} is null
   * @throws IllegalArgumentException if {@code number < 0}
   */
  public TaskId {
    Objects.requireNonNull(submitter, "submitter");
    if (number < 0) {
      throw new IllegalArgumentException("number must be >= 0, was " + number);
    }
  }

  /** The submitter in short form and the number, e.g. {@code 3fa2c1d0#17}. */
  @Override
  public String toString() {
    return submitter.toHex().substring(0, 8) + "#" + number;
  }
}
