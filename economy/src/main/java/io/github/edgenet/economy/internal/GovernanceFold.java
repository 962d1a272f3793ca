package io.github.edgenet.economy.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.governance.GovernanceException;
import io.github.edgenet.economy.governance.GovernanceView;
import io.github.edgenet.economy.governance.GovernanceView.Closure;
import io.github.edgenet.economy.governance.Governor;
import io.github.edgenet.economy.governance.NetworkConfig;
import io.github.edgenet.economy.governance.NetworkParameter;
import io.github.edgenet.economy.governance.Proposal;
import io.github.edgenet.economy.governance.ProposalId;
import io.github.edgenet.economy.governance.ProposalState;
import io.github.edgenet.economy.governance.StakeHistory;
import io.github.edgenet.economy.ledger.GovernanceBody;
import io.github.edgenet.economy.ledger.GovernanceBody.CancelProposal;
import io.github.edgenet.economy.ledger.GovernanceBody.Execute;
import io.github.edgenet.economy.ledger.GovernanceBody.Propose;
import io.github.edgenet.economy.ledger.GovernanceBody.Queue;
import io.github.edgenet.economy.ledger.GovernanceBody.Veto;
import io.github.edgenet.economy.ledger.GovernanceBody.Vote;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.Offense;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Governance inside the ledger's canonical fold: a {@link Governor} fed the governance operations
 * in fold order, with voting power from the fold's own stake history (the fold is a time order,
 * so the stake at a snapshot is final when the first vote after it is folded), the closure rule
 * that decides whether a queue may take effect, and the live {@link NetworkConfig} whose slash
 * rates the fold uses from each execution on. An operation the governor refuses takes no effect.
 * Not thread-safe; owned by one fold.
 */
final class GovernanceFold {
  private final Fold fold;
  private final LedgerConfig config;
  private final java.util.function.Function<OperationId, Operation> lookup;
  private final Governor gov;
  private final Map<OperationId, ProposalId> proposals = new LinkedHashMap<>();
  private final Map<ProposalId, OperationId> queues = new java.util.HashMap<>();
  private final List<GovernanceView.Execution> executions = new ArrayList<>();
  private NetworkConfig live;

  GovernanceFold(Fold fold, LedgerConfig config,
      java.util.function.Function<OperationId, Operation> lookup) {
    this.fold = fold;
    this.config = config;
    this.lookup = lookup;
    this.live = genesis(config);
    this.gov = Governor.replaying(config.governance(), live, new StakeHistory() {
      @Override
      public long stakeAt(NodeId node, long atMillis) {
        return fold.stakeAt(node, atMillis);
      }

      @Override
      public long totalStakeAt(long atMillis) {
        return fold.totalStakeAt(atMillis);
      }
    });
  }

  /** The network configuration a ledger starts from: the defaults with its slash rates. */
  static NetworkConfig genesis(LedgerConfig config) {
    EnumMap<NetworkParameter, Long> v = new EnumMap<>(NetworkParameter.class);
    for (Offense o : Offense.values()) {
      v.put(parameter(o), (long) config.slashRateBps(o));
    }
    return NetworkConfig.genesis(v);
  }

  /** The governable parameter holding an offense's slash rate. */
  static NetworkParameter parameter(Offense o) {
    return switch (o) {
      case INCORRECT_RESULT -> NetworkParameter.SLASH_INCORRECT_RESULT_BPS;
      case EQUIVOCATION -> NetworkParameter.SLASH_EQUIVOCATION_BPS;
      case CHALLENGE_TIMEOUT -> NetworkParameter.SLASH_CHALLENGE_TIMEOUT_BPS;
      case SYBIL -> NetworkParameter.SLASH_SYBIL_BPS;
      case PROTOCOL_VIOLATION -> NetworkParameter.SLASH_PROTOCOL_VIOLATION_BPS;
    };
  }

  /** The live configuration at this point of the fold. */
  NetworkConfig live() {
    return live;
  }

  /** The live slash rate of {@code offense}, basis points. */
  int slashRateBps(Offense offense) {
    return (int) live.get(parameter(offense));
  }

  /**
   * Applies one governance operation in fold order.
   *
   * @return true if it took effect
   */
  boolean apply(Operation op, GovernanceBody body) {
    long ts = op.timestampMillis();
    try {
      switch (body) {
        case Propose p ->
            proposals.put(op.id(), gov.propose(op.account(), p.changes(), p.description(), ts));
        case Vote v -> gov.castVote(pid(v.proposal()), op.account(), v.support(), ts);
        case Queue q -> {
          ProposalId id = pid(q.proposal());
          if (closure(id) != Closure.SUCCEEDED) {
            return false;
          }
          gov.queue(id, ts);
          queues.put(id, op.id());
        }
        case Execute e -> {
          OperationId proposal = ((Queue) lookup.apply(e.queue()).body()).proposal();
          ProposalId id = pid(proposal);
          if (!guardiansSealed(id)) {
            return false;
          }
          live = gov.execute(id, ts);
          executions.add(new GovernanceView.Execution(proposal, op.id(), ts, live));
        }
        case CancelProposal c -> gov.cancel(pid(c.proposal()), op.account(), ts);
        case Veto v -> {
          ProposalId id = pid(v.proposal());
          long eta = gov.proposal(id).etaMillis();
          if (eta != 0 && ts >= eta) {
            return false; // the guardian's window is the timelock
          }
          gov.guardianCancel(GovernanceRules.cancel(op, v, lookup.apply(v.proposal())));
        }
      }
      return true;
    } catch (GovernanceException e) {
      return false;
    }
  }

  private ProposalId pid(OperationId proposal) {
    ProposalId id = proposals.get(proposal);
    if (id == null) {
      throw new GovernanceException(GovernanceException.Reason.UNKNOWN_PROPOSAL,
          proposal + " took no effect");
    }
    return id;
  }

  private boolean sealedAfter(NodeId account, long t) {
    return fold.lastSeen(account) > t;
  }

  /** Every guardian's chain holds an operation dated after the proposal's eta. */
  private boolean guardiansSealed(ProposalId id) {
    long eta = gov.proposal(id).etaMillis();
    for (NodeId g : config.governance().guardians()) {
      if (!sealedAfter(g, eta)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the outcome of a proposal is closed at this point of the fold (docs/economy.md, "The
   * closed-outcome rule"): decided votes are fixed; accounts sealed after the snapshot but not
   * after the deadline may still vote with their known stake (undecided); accounts not sealed after
   * the snapshot may still back-date stake and votes, bounded by what they hold and what is in
   * flight to them (unknown). Closed-succeeded if it succeeds with all of that against it, closed-
   * defeated if it fails with all of it for it. An unsealed proposer (it could still cancel), mint
   * authority (it could mint) or adjudicator (it could slash a voter at the snapshot) keeps it
   * open.
   */
  Closure closure(ProposalId id) {
    Proposal p = gov.proposal(id);
    long s = p.snapshotMillis();
    long d = p.deadlineMillis();
    if (!sealedAfter(p.proposer(), s)) {
      return Closure.OPEN;
    }
    for (NodeId m : config.mintAuthorities()) {
      if (!sealedAfter(m, s)) {
        return Closure.OPEN;
      }
    }
    for (NodeId j : config.adjudicators()) {
      if (!sealedAfter(j, s)) {
        return Closure.OPEN; // it could still append a verdict slash dated at or before s
      }
    }
    long known = 0;
    long undecided = 0;
    long unknown = 0;
    for (Map.Entry<NodeId, AccountState> e : fold.accounts().entrySet()) {
      NodeId a = e.getKey();
      if (sealedAfter(a, s)) {
        long w = fold.stakeAt(a, s);
        known = sat(known, w);
        if (!sealedAfter(a, d) && !gov.hasVoted(id, a)) {
          undecided = sat(undecided, w);
        }
      } else {
        unknown = sat(unknown, e.getValue().holdings()); // its grants' money included
      }
    }
    for (Map.Entry<OperationId, Fold.Pending> e : fold.pending().entrySet()) {
      if (!sealedAfter(e.getValue().to(), s) && lookup.apply(e.getKey()).timestampMillis() <= s) {
        unknown = sat(unknown, e.getValue().amount());
      }
    }
    for (Map.Entry<NodeId, AccountState> e : fold.accounts().entrySet()) {
      if (sealedAfter(e.getKey(), s)) {
        for (AccountState.VestGrant g : e.getValue().grants().values()) {
          if (!sealedAfter(g.recipient(), s)) {
            unknown = sat(unknown, g.total() - g.released());
          }
        }
      }
    }
    long quorum = Int128.mulDiv(sat(known, unknown), config.governance().quorumBps(), 10_000);
    long f = p.forVotes();
    long against = p.againstVotes();
    long abstain = p.abstainVotes();
    if (f > sat(against, sat(undecided, unknown)) && quorum <= sat(f, abstain)) {
      return Closure.SUCCEEDED;
    }
    long open = sat(undecided, unknown);
    if (!(sat(f, open) > against && quorum <= sat(sat(f, abstain), open))) {
      return Closure.DEFEATED;
    }
    return Closure.OPEN;
  }

  private static long sat(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r; // operands are >= 0
  }

  /**
   * Throws the typed reason the fold would give {@code body}, signed by {@code signer} at {@code
   * ts}, no effect: what {@code Ledger.append} checks before it signs.
   */
  void check(NodeId signer, GovernanceBody body, long ts) throws LedgerException {
    if (body.target() != null && lookup.apply(body.target()) == null
        || body instanceof Execute x && !(lookup.apply(x.queue()).body() instanceof Queue)
        || body instanceof CancelProposal c && !lookup.apply(c.proposal()).account().equals(signer)
        || body instanceof Veto && !config.governance().guardians().contains(signer)) {
      return; // acceptance names what is wrong, with the chain-local reason first
    }
    try {
      switch (body) {
        case Propose p -> {
          long stake = fold.stakeAt(signer, ts);
          if (stake < config.governance().proposalThresholdMicros()) {
            throw new GovernanceException(GovernanceException.Reason.BELOW_PROPOSAL_THRESHOLD,
                signer + " stakes " + stake + " in the fold");
          }
        }
        case Vote v -> {
          ProposalId id = pid(v.proposal());
          expect(id, ts, ProposalState.ACTIVE);
          if (fold.stakeAt(signer, gov.proposal(id).snapshotMillis()) <= 0) {
            throw new GovernanceException(GovernanceException.Reason.NO_VOTING_POWER,
                signer + " had no stake at the snapshot in the fold");
          }
        }
        case Queue q -> {
          ProposalId id = pid(q.proposal());
          expect(id, ts, ProposalState.SUCCEEDED);
          if (closure(id) != Closure.SUCCEEDED) {
            throw new GovernanceException(GovernanceException.Reason.NOT_CLOSED,
                q.proposal() + " is " + closure(id));
          }
        }
        case Execute e -> {
          ProposalId id = pid(((Queue) lookup.apply(e.queue()).body()).proposal());
          long eta = gov.proposal(id).etaMillis();
          if (eta != 0 && ts < eta) {
            throw new GovernanceException(GovernanceException.Reason.TIMELOCK_NOT_READY,
                "execute at " + ts + ", executable from " + eta);
          }
          expect(id, ts, ProposalState.QUEUED);
          if (!guardiansSealed(id)) {
            throw new GovernanceException(GovernanceException.Reason.NOT_CLOSED,
                "a guardian has not sealed past the eta " + gov.proposal(id).etaMillis());
          }
        }
        case CancelProposal c -> expect(pid(c.proposal()), ts, ProposalState.PENDING);
        case Veto v -> {
          ProposalId id = pid(v.proposal());
          ProposalState state = gov.state(id, ts);
          long eta = gov.proposal(id).etaMillis();
          if (state != ProposalState.SUCCEEDED && state != ProposalState.QUEUED
              || eta != 0 && ts >= eta) {
            throw new GovernanceException(GovernanceException.Reason.UNEXPECTED_STATE,
                "veto of " + v.proposal() + " which is " + state + " at " + ts);
          }
        }
      }
    } catch (GovernanceException e) {
      throw GovernanceRules.refused(e.reason(), e.getMessage());
    }
  }

  private void expect(ProposalId id, long ts, ProposalState want) {
    ProposalState state = gov.state(id, ts);
    if (state != want) {
      throw new GovernanceException(GovernanceException.Reason.UNEXPECTED_STATE,
          id + " is " + state + " at " + ts + ", needs " + want);
    }
  }

  /** The governor's digest (live configuration, proposals, votes, cancel log). */
  String digest() {
    return gov.digest();
  }

  /** The view at the end of the fold, states read at {@code nowMillis}. */
  GovernanceView view(long nowMillis) {
    List<GovernanceView.ProposalView> out = new ArrayList<>();
    for (Map.Entry<OperationId, ProposalId> e : proposals.entrySet()) {
      ProposalId id = e.getValue();
      out.add(new GovernanceView.ProposalView(e.getKey(), id, gov.proposal(id),
          gov.state(id, nowMillis), closure(id), queues.get(id)));
    }
    return new GovernanceView(genesis(config), live, executions, out, gov.cancelLog(),
        gov.digest());
  }
}
