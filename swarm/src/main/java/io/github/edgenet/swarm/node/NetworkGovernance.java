package io.github.edgenet.swarm.node;

import io.github.edgenet.economy.governance.GovernanceView;
import io.github.edgenet.economy.governance.NetworkConfig;
import io.github.edgenet.economy.governance.NetworkParameter;
import io.github.edgenet.economy.governance.Support;
import io.github.edgenet.economy.ledger.GovernanceBody;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.OperationId;
import io.github.edgenet.swarm.node.internal.LedgerSettlement;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Governance of the network's typed parameters on the replicated ledger, from this node's account
 * ({@link EdgeNode#governance()}): proposals, votes weighted by the stake at each proposal's
 * snapshot, queue and execution after the timelock, following economy's Governor (OpenZeppelin
 * Governor's states and boundaries; docs/economy.md, "Governance on the ledger"). An executed
 * proposal changes {@link #networkConfig()} on every node at once, and the ledger applies it where
 * it reads a parameter (the slash rates of later verdicts, for one). The rules ({@code
 * GovernorSettings}: delays, quorum, timelock, guardians) are {@link EdgeNode.Builder#governance}'s,
 * identical on every node.
 *
 * <p>Each call signs one operation of this node's chain and gossips it; it is accepted or refused
 * at once by this node's ledger. Thread-safe.
 */
public final class NetworkGovernance {
  private final LedgerSettlement ledger;

  NetworkGovernance(LedgerSettlement ledger) {
    this.ledger = ledger;
  }

  /**
   * Proposes new values for up to {@link NetworkParameter#values()} parameters.
   *
   * @param changes parameter to new value, each within the parameter's bounds
   * @param description what and why, at most 900 UTF-8 bytes
   * @return the proposal's operation id, which votes and the queue name
   * @throws LedgerException with reason {@code GOVERNANCE} (a value out of bounds, below the
   *     proposal threshold, the same proposal again) or {@code MALFORMED}; nothing changed
   * @throws IllegalStateException if the node is closed
   */
  public OperationId propose(Map<NetworkParameter, Long> changes, String description)
      throws LedgerException {
    return ledger.appendOwn(new GovernanceBody.Propose(Map.copyOf(changes),
        Objects.requireNonNull(description, "description"))).id();
  }

  /**
   * Votes on a proposal, once, between its snapshot and its deadline.
   *
   * @param proposal the proposal's operation id
   * @param support for, against or abstain
   * @throws LedgerException with reason {@code GOVERNANCE} (unknown proposal, not active, already
   *     voted, no voting power); nothing changed
   * @throws IllegalStateException if the node is closed
   */
  public void vote(OperationId proposal, Support support) throws LedgerException {
    ledger.appendOwn(new GovernanceBody.Vote(proposal, support));
  }

  /**
   * Queues a succeeded proposal whose outcome has closed (anyone may).
   *
   * @param proposal the proposal's operation id
   * @return the queue operation's id, which {@link #execute} names
   * @throws LedgerException with reason {@code GOVERNANCE} if it has not succeeded or not closed;
   *     nothing changed
   * @throws IllegalStateException if the node is closed
   */
  public OperationId queue(OperationId proposal) throws LedgerException {
    return ledger.appendOwn(new GovernanceBody.Queue(proposal)).id();
  }

  /**
   * Executes a queued proposal after its timelock (anyone may): the new values take effect on
   * every node that holds this operation.
   *
   * @param queue the queue operation's id
   * @throws LedgerException with reason {@code GOVERNANCE} before the eta, after the grace period,
   *     or if a guardian vetoed it; nothing changed
   * @throws IllegalStateException if the node is closed
   */
  public void execute(OperationId queue) throws LedgerException {
    ledger.appendOwn(new GovernanceBody.Execute(queue));
  }

  /**
   * A proposal as this node's ledger folds it: state, tally, closure.
   *
   * @param proposal the proposal's operation id
   * @return the view, or empty if this node does not hold the proposal
   */
  public Optional<GovernanceView.ProposalView> proposal(OperationId proposal) {
    return ledger.ledger().governance().proposal(proposal);
  }

  /**
   * The network parameters in force now, as this node's ledger folds them.
   *
   * @return the live configuration
   */
  public NetworkConfig networkConfig() {
    return ledger.ledger().networkConfig();
  }
}
