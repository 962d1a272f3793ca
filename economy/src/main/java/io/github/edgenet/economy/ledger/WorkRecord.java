package io.github.edgenet.economy.ledger;

import io.github.edgenet.core.identity.NodeId;
import java.util.Objects;

/**
 * One piece of signed evidence about a worker, as the ledger's canonical fold met it: what
 * reputation is computed from, identically on every node that holds the same operations.
 *
 * @param kind success, failure or slash
 * @param worker the node it is about
 * @param valueMicros the escrow's amount for a success or failure; the slashed amount for a slash
 * @param atMillis the timestamp of the operation that carries it, epoch milliseconds
 * @param workerStakeMicros the worker's bonded stake (not counting unbonding stake) in the fold
 *     at that point: what "only staked nodes have reputation" is judged by
 * @param operation the id of that operation (the release, vest, failure report or slash; for an
 *     equivocation slash, the equivocator's last effective operation)
 */
public record WorkRecord(
    Kind kind, NodeId worker, long valueMicros, long atMillis, long workerStakeMicros,
    OperationId operation) {

  /** What a {@link WorkRecord} says. */
  public enum Kind {
    /** An escrow paying the worker was released ({@link OperationBody.EscrowRelease}) or
     * released as a vesting grant ({@link OperationBody.EscrowVest}). */
    SUCCESS,
    /** The escrow's payer reported the task failed ({@link OperationBody.TaskFailed}). */
    FAILURE,
    /** The worker was slashed (by a verdict or for equivocation). */
    SLASHED
  }

  /** Checks for nulls. */
  public WorkRecord {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(worker, "worker");
    Objects.requireNonNull(operation, "operation");
  }
}
