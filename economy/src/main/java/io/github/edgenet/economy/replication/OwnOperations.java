package io.github.edgenet.economy.replication;

import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.economy.governance.GovernanceView;
import io.github.edgenet.economy.governance.ProposalState;
import io.github.edgenet.economy.ledger.ChainHead;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.LedgerException.Reason;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * The operations a replicator signs on its node's behalf without being asked: receives of
 * payments to it, claims of what vested, seals after governance deadlines. Each is appended
 * through {@link Ledger#append}, so it is checked against the chain and the fold like any other;
 * one the ledger refuses is logged and left out. Not thread-safe; owned by one replicator, called
 * under its lock.
 */
final class OwnOperations {
  private static final System.Logger LOG = System.getLogger(OwnOperations.class.getName());

  private final Ledger ledger;
  private final NodeIdentity identity;

  OwnOperations(Ledger ledger, NodeIdentity identity) {
    this.ledger = ledger;
    this.identity = identity;
  }

  /** A receive for every payment to this node it has not claimed yet. */
  List<Operation> receivePayments() {
    return appendEach(ledger.unclaimed(identity.id()).stream()
        .map(source -> (OperationBody) new OperationBody.Receive(source)).toList());
  }

  /** One claim per grant to this node with something releasable at {@code nowMillis}. */
  List<Operation> claimVested(long nowMillis) {
    return appendEach(ledger.vestingGrants(identity.id()).stream()
        .filter(g -> g.releasableAt(nowMillis) > 0)
        .map(g -> (OperationBody) new OperationBody.VestClaim(g.id())).toList());
  }

  /**
   * Appends each body in order; one the ledger refuses is logged and skipped, and a void chain
   * stops the rest (nothing more can be appended to it).
   */
  private List<Operation> appendEach(List<OperationBody> bodies) {
    List<Operation> appended = new ArrayList<>();
    for (OperationBody body : bodies) {
      try {
        appended.add(ledger.append(identity, body));
      } catch (LedgerException e) {
        if (e.reason() == Reason.CHAIN_VOID) {
          break;
        }
        LOG.log(Level.DEBUG, () -> "cannot append " + body + ": " + e.getMessage());
      }
    }
    return appended;
  }

  /**
   * A seal if a governance deadline this node knows of (a live proposal's deadline, or as a
   * guardian a queued proposal's eta) passed since its last operation, else null.
   */
  Operation sealIfDue(long nowMillis) {
    ChainHead h = ledger.head(identity.id());
    long last = h == null ? Long.MIN_VALUE
        : ledger.operation(h.head()).orElseThrow().timestampMillis();
    boolean guardian = ledger.config().governance().guardians().contains(identity.id());
    boolean due = false;
    for (GovernanceView.ProposalView p : ledger.governance().proposals()) {
      ProposalState s = p.state();
      if (s == ProposalState.EXECUTED || s == ProposalState.CANCELED
          || s == ProposalState.EXPIRED) {
        continue;
      }
      long deadline = p.tally().deadlineMillis();
      long eta = p.tally().etaMillis();
      due |= last <= deadline && deadline < nowMillis;
      due |= guardian && eta != 0 && last <= eta && eta < nowMillis;
    }
    if (!due) {
      return null;
    }
    try {
      return ledger.append(identity, new OperationBody.Seal());
    } catch (LedgerException e) {
      LOG.log(Level.DEBUG, () -> "cannot seal: " + e.getMessage());
      return null;
    }
  }
}
