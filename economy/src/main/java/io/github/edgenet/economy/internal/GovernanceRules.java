package io.github.edgenet.economy.internal;

import io.github.edgenet.economy.governance.GovernanceException;
import io.github.edgenet.economy.governance.GovernorSettings;
import io.github.edgenet.economy.governance.GuardianCancel;
import io.github.edgenet.economy.governance.NetworkParameter;
import io.github.edgenet.economy.governance.ProposalId;
import io.github.edgenet.economy.ledger.GovernanceBody;
import io.github.edgenet.economy.ledger.GovernanceBody.CancelProposal;
import io.github.edgenet.economy.ledger.GovernanceBody.Execute;
import io.github.edgenet.economy.ledger.GovernanceBody.Propose;
import io.github.edgenet.economy.ledger.GovernanceBody.Queue;
import io.github.edgenet.economy.ledger.GovernanceBody.Veto;
import io.github.edgenet.economy.ledger.GovernanceBody.Vote;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationId;
import java.util.Map;
import java.util.function.Function;

/**
 * What a governance operation's own chain can check (acceptance), and the bookkeeping that makes
 * those checks possible: parameter bounds, the proposal threshold by the chain's own stake,
 * duplicate proposals, the voting window from the named proposal's time, one vote per proposal,
 * the voter's own stake at the snapshot, who may cancel or veto, the timelock from the named
 * queue's time. The tally and closure are the fold's ({@code GovernanceFold}). Stateless.
 */
final class GovernanceRules {
  private GovernanceRules() {}

  static void applyOwn(AccountState a, Operation op, GovernanceBody body, LedgerConfig config,
      Function<OperationId, Operation> lookup) throws LedgerException {
    GovernorSettings g = config.governance();
    long ts = op.timestampMillis();
    switch (body) {
      case Propose p -> {
        for (Map.Entry<NetworkParameter, Long> e : p.changes().entrySet()) {
          try {
            e.getKey().check(e.getValue());
          } catch (GovernanceException x) {
            throw refused(x.reason(), x.getMessage());
          }
        }
        if (a.stake < g.proposalThresholdMicros()) {
          throw refused(GovernanceException.Reason.BELOW_PROPOSAL_THRESHOLD,
              op.account() + " stakes " + a.stake + " < " + g.proposalThresholdMicros());
        }
        if (ts > Long.MAX_VALUE - g.votingDelayMillis() - g.votingPeriodMillis()) {
          throw refused(GovernanceException.Reason.MALFORMED_PROPOSAL, "time " + ts
              + " overflows");
        }
        ProposalId id = ProposalId.of(op.account(), p.changes(), p.description());
        if (!a.proposed.add(id)) {
          throw refused(GovernanceException.Reason.PROPOSAL_EXISTS, id.toString());
        }
      }
      case Vote v -> {
        Operation proposal = proposal(lookup, v.proposal());
        long snapshot = snapshot(proposal, g);
        long deadline = snapshot + g.votingPeriodMillis();
        if (ts <= snapshot || ts > deadline) {
          throw refused(GovernanceException.Reason.UNEXPECTED_STATE, "vote at " + ts
              + ", voting is open after " + snapshot + " until " + deadline);
        }
        if (a.votedOn.contains(v.proposal())) {
          throw refused(GovernanceException.Reason.ALREADY_VOTED, op.account() + " on "
              + v.proposal());
        }
        if (a.ownStakeAt(snapshot) <= 0) {
          throw refused(GovernanceException.Reason.NO_VOTING_POWER, op.account()
              + " had no stake at the snapshot " + snapshot);
        }
        a.votedOn.add(v.proposal());
      }
      case Queue q -> {
        long deadline = snapshot(proposal(lookup, q.proposal()), g) + g.votingPeriodMillis();
        if (ts <= deadline) {
          throw refused(GovernanceException.Reason.UNEXPECTED_STATE, "queue at " + ts
              + ", voting is open until " + deadline);
        }
      }
      case Execute e -> {
        Operation queue = lookup.apply(e.queue());
        if (!(queue.body() instanceof Queue)) {
          throw refused(GovernanceException.Reason.UNKNOWN_PROPOSAL, e.queue() + " is no queue");
        }
        long eta = eta(queue, g);
        if (ts < eta) {
          throw refused(GovernanceException.Reason.TIMELOCK_NOT_READY, "execute at " + ts
              + ", executable from " + eta);
        }
        if (ts - eta >= g.gracePeriodMillis()) {
          throw refused(GovernanceException.Reason.UNEXPECTED_STATE, "execute at " + ts
              + ": expired at " + (eta + g.gracePeriodMillis()));
        }
      }
      case CancelProposal c -> {
        Operation proposal = proposal(lookup, c.proposal());
        if (!proposal.account().equals(op.account())) {
          throw refused(GovernanceException.Reason.NOT_PROPOSER, op.account() + " did not propose "
              + c.proposal());
        }
        if (ts > snapshot(proposal, g)) {
          throw refused(GovernanceException.Reason.UNEXPECTED_STATE, "cancel at " + ts
              + ", pending until " + snapshot(proposal, g));
        }
      }
      case Veto v -> {
        if (!g.guardians().contains(op.account())) {
          throw refused(GovernanceException.Reason.NOT_GUARDIAN, op.account() + " is no guardian");
        }
        Operation proposal = proposal(lookup, v.proposal());
        long deadline = snapshot(proposal, g) + g.votingPeriodMillis();
        if (ts <= deadline) {
          throw refused(GovernanceException.Reason.UNEXPECTED_STATE, "veto at " + ts
              + " while voting is open until " + deadline);
        }
        if (!cancel(op, v, proposal).verifies()) {
          throw refused(GovernanceException.Reason.BAD_SIGNATURE, "veto of " + v.proposal()
              + " by " + op.account());
        }
      }
    }
  }

  /** The Governor's record of a veto operation. */
  static GuardianCancel cancel(Operation op, Veto v, Operation proposal) {
    return new GuardianCancel(GovernanceBody.proposalId(proposal), op.account(), v.reason(),
        op.timestampMillis(), v.signature());
  }

  /** The held proposal operation {@code id} names, or a typed refusal. */
  static Operation proposal(Function<OperationId, Operation> lookup, OperationId id)
      throws LedgerException {
    Operation p = lookup.apply(id);
    if (p == null || !(p.body() instanceof Propose)) {
      throw refused(GovernanceException.Reason.UNKNOWN_PROPOSAL, id + " is no proposal");
    }
    return p;
  }

  /** A proposal's snapshot: its time plus the voting delay. */
  static long snapshot(Operation proposal, GovernorSettings g) {
    return proposal.timestampMillis() + g.votingDelayMillis();
  }

  /** The eta a queue operation sets, as {@code Governor.queue} computes it. */
  static long eta(Operation queue, GovernorSettings g) {
    long eta = queue.timestampMillis() + g.timelockDelayMillis();
    return eta < 0 ? Long.MAX_VALUE : Math.max(1, eta); // times and delays are >= 0
  }

  static LedgerException refused(GovernanceException.Reason reason, String message) {
    return new LedgerException(LedgerException.Reason.GOVERNANCE, reason, message);
  }
}
