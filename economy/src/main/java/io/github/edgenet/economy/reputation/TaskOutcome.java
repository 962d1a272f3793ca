package io.github.edgenet.economy.reputation;

import java.util.Objects;
import io.github.edgenet.core.identity.NodeId;

/**
 * A verified task outcome, as carried by a signed application operation of the ledger. Immutable.
 *
 * @param worker the node that ran the task
 * @param valueMicros what the task was worth (its price), token micro-units, > 0
 * @param success whether the result was verified correct
 * @param atMillis when the outcome was decided, epoch millis (from the signed operation)
 */
public record TaskOutcome(NodeId worker, long valueMicros, boolean success, long atMillis) {
  /** Validates the worker. */
  public TaskOutcome {
    Objects.requireNonNull(worker, "worker");
  }
}
