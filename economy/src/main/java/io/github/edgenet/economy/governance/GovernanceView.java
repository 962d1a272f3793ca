package io.github.edgenet.economy.governance;

import io.github.edgenet.economy.ledger.OperationId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of governance as a ledger folds it ({@code Ledger.governance()}): the live
 * configuration and how it got there, every proposal with its tally, state and closure, and the
 * guardian cancel log. The same on every node that holds the same operations. Immutable.
 *
 * @param genesis the configuration before any execution
 * @param config the live configuration at the end of the fold
 * @param executions every executed proposal in fold order, each with the configuration it made
 * @param proposals every proposal that took effect, in fold order
 * @param cancelLog every guardian veto that took effect, re-verifiable ({@link
 *     GuardianCancel#verifies()})
 * @param digest the governor's {@link Governor#digest()}
 */
public record GovernanceView(NetworkConfig genesis, NetworkConfig config,
    List<Execution> executions,
    List<ProposalView> proposals, List<GuardianCancel> cancelLog, String digest) {

  /** Copies the lists. */
  public GovernanceView {
    Objects.requireNonNull(genesis, "genesis");
    Objects.requireNonNull(config, "config");
    executions = List.copyOf(executions);
    proposals = List.copyOf(proposals);
    cancelLog = List.copyOf(cancelLog);
    Objects.requireNonNull(digest, "digest");
  }

  /**
   * Whether a proposal's outcome can still change (docs/economy.md, "closed").
   */
  public enum Closure {
    /**
     * Some account that has not sealed past the deadline (or the snapshot) could still change
     * the outcome with votes or stake dated inside the window; it cannot be queued yet.
     */
    OPEN,
    /** Succeeds whatever the accounts that have not sealed do: it may be queued. */
    SUCCEEDED,
    /** Fails whatever the accounts that have not sealed do. */
    DEFEATED
  }

  /**
   * One proposal as the ledger folds it.
   *
   * @param operation the id of its {@code Propose} operation (what votes name)
   * @param id its content id
   * @param tally proposer, changes, snapshot, deadline, the For/Against/Abstain stake and eta
   * @param state its OpenZeppelin state at the time the view was taken
   * @param closure whether the outcome is closed, evaluated at the end of the fold
   * @param queue the queue operation that took effect (what an execute names), or null
   */
  public record ProposalView(OperationId operation, ProposalId id, Proposal tally,
      ProposalState state, Closure closure, OperationId queue) {
    /** Checks the arguments. */
    public ProposalView {
      Objects.requireNonNull(operation, "operation");
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(tally, "tally");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(closure, "closure");
    }
  }

  /**
   * One executed proposal.
   *
   * @param proposal the proposal's operation
   * @param execute the execute operation that took effect
   * @param atMillis the execute operation's time: the new values apply from there in the fold
   * @param config the configuration it made live
   */
  public record Execution(OperationId proposal, OperationId execute, long atMillis,
      NetworkConfig config) {}

  /**
   * The configuration in force for an operation dated {@code atMillis}: that of the last execution
   * dated before it, else genesis. The fold is a time order, so every node that holds the same
   * operations answers the same; an execution applies to what comes after it in the fold, so an
   * operation of the same millisecond may fall on either side (by id) and is given the older one
   * here.
   *
   * @param atMillis epoch ms
   * @return the configuration
   */
  public NetworkConfig configAt(long atMillis) {
    NetworkConfig c = genesis;
    for (Execution e : executions) {
      if (e.atMillis() < atMillis) {
        c = e.config();
      }
    }
    return c;
  }

  /**
   * The proposal created by the given operation.
   *
   * @param operation the {@code Propose} operation's id
   * @return the proposal, or empty if no such proposal took effect
   */
  public Optional<ProposalView> proposal(OperationId operation) {
    return proposals.stream().filter(p -> p.operation().equals(operation)).findFirst();
  }
}
