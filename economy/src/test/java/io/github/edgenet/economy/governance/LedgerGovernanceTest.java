package io.github.edgenet.economy.governance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.economy.governance.GovernanceException.Reason;
import io.github.edgenet.economy.governance.GovernanceView.Closure;
import io.github.edgenet.economy.ledger.ChainHead;
import io.github.edgenet.economy.ledger.Feed;
import io.github.edgenet.economy.ledger.GovernanceBody;
import io.github.edgenet.economy.ledger.GovernanceBody.CancelProposal;
import io.github.edgenet.economy.ledger.GovernanceBody.Execute;
import io.github.edgenet.economy.ledger.GovernanceBody.Propose;
import io.github.edgenet.economy.ledger.GovernanceBody.Queue;
import io.github.edgenet.economy.ledger.GovernanceBody.Veto;
import io.github.edgenet.economy.ledger.GovernanceBody.Vote;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.Offense;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import io.github.edgenet.economy.ledger.OperationId;
import io.github.edgenet.economy.replication.ReplicationSimulationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Governance as signed ledger operations on one ledger: the Governor's boundaries, the closure
 * rule (an unsealed holder keeps an outcome open; a sealed voter cannot back-date), the timelock
 * and the guardians' seal, execution changing the live configuration and the fold's slash rates
 * from its place on, and every adversarial case typed with an unchanged digest.
 */
class LedgerGovernanceTest {
  private final RandomSource keys = RandomSource.seeded(41);
  private final NodeIdentity genesis = NodeIdentity.generate(keys);
  private final NodeIdentity judge = NodeIdentity.generate(keys);
  private final NodeIdentity alice = NodeIdentity.generate(keys);
  private final NodeIdentity bob = NodeIdentity.generate(keys);
  private final NodeIdentity carol = NodeIdentity.generate(keys);
  private final NodeIdentity dave = NodeIdentity.generate(keys);
  private final NodeIdentity guardian = NodeIdentity.generate(keys);
  private final NodeIdentity mallory = NodeIdentity.generate(keys);
  private final VirtualClock clock = new VirtualClock();
  private final long t0 = clock.epochMillis();
  // propose at t: snapshot t + 1,000, deadline t + 11,000; eta = queue + 5,000; grace 60,000
  private final GovernorSettings settings =
      new GovernorSettings(1_000, 10_000, 4_000, 50_000, 5_000, 60_000, Set.of(guardian.id()));
  private final LedgerConfig config = LedgerConfig.builder(Set.of(genesis.id()))
      .adjudicators(Set.of(judge.id())).governance(settings).build();
  private Ledger l;

  @BeforeEach
  void fund() throws Exception {
    l = Ledger.inMemory(config, clock);
    l.append(genesis, new OperationBody.Mint(10_000_000));
    for (NodeIdentity n : List.of(alice, bob, carol)) {
      l.append(n, new OperationBody.Receive(
          l.append(genesis, new OperationBody.Send(n.id(), 1_000_000)).id()));
    }
    l.append(alice, new OperationBody.Stake(400_000));
    l.append(bob, new OperationBody.Stake(300_000));
    l.append(carol, new OperationBody.Stake(200_000));
  }

  @AfterEach
  void close() {
    l.close();
  }

  private void at(long t) {
    clock.advance(Duration.ofMillis(t0 + t - clock.epochMillis()));
  }

  private Operation slash(NodeIdentity offender, Offense offense, int evidenceByte)
      throws LedgerException {
    byte[] evidence = new byte[32];
    evidence[0] = (byte) evidenceByte;
    return l.append(judge, new OperationBody.Slash(offender.id(), l.head(offender.id()).head(),
        offense, judge.id(), evidence,
        judge.sign(OperationBody.Slash.statement(offender.id(), offense, evidence))));
  }

  private void refused(Reason detail, ThrowingOp op) {
    byte[] before = l.stateDigest();
    int size = l.size();
    LedgerException e = assertThrows(LedgerException.class, op::run);
    assertEquals(LedgerException.Reason.GOVERNANCE, e.reason(), e.getMessage());
    assertEquals(detail, e.detail(), e.getMessage());
    assertArrayEquals(before, l.stateDigest(), "a refusal changes nothing: " + e.getMessage());
    assertEquals(size, l.size());
  }

  private void rejected(LedgerException.Reason reason, Operation op) {
    byte[] before = l.stateDigest();
    LedgerException e = assertThrows(LedgerException.class, () -> l.submit(op));
    assertEquals(reason, e.reason(), e.getMessage());
    assertArrayEquals(before, l.stateDigest());
  }

  private interface ThrowingOp {
    void run() throws Exception;
  }

  /** An operation of {@code who}'s chain signed at {@code atMillis}, not stored. */
  private Operation signed(NodeIdentity who, long atMillis, OperationBody body) {
    ChainHead h = l.head(who.id());
    return Operation.sign(who, h == null ? 0 : h.length(),
        h == null ? OperationId.ZERO : h.head(), atMillis, body);
  }

  private GovernanceView.ProposalView view(Operation proposal) {
    return l.governance().proposal(proposal.id()).orElseThrow();
  }

  @Test
  void proposalVotedQueuedAndExecutedChangesTheLiveConfigFromItsPlace() throws Exception {
    // dave holds 2,000,000 received before the snapshot and then goes silent: unsealed money
    l.append(dave, new OperationBody.Receive(
        l.append(genesis, new OperationBody.Send(dave.id(), 2_000_000)).id()));
    at(100);
    Operation p = l.append(alice, new Propose(Map.of(NetworkParameter.SLASH_INCORRECT_RESULT_BPS,
        3_000L, NetworkParameter.MARKET_FEE_BPS, 50L), "raise"));
    at(1_100);
    refused(Reason.UNEXPECTED_STATE, () -> l.append(alice, new Vote(p.id(), Support.FOR)));
    assertEquals(ProposalState.PENDING, view(p).state(), "at the snapshot still Pending");
    at(1_101);
    l.append(alice, new Vote(p.id(), Support.FOR));
    refused(Reason.ALREADY_VOTED, () -> l.append(alice, new Vote(p.id(), Support.AGAINST)));
    at(5_000);
    l.append(bob, new Vote(p.id(), Support.AGAINST));
    at(6_000);
    slash(carol, Offense.INCORRECT_RESULT, 1);
    assertEquals(180_000, l.account(carol.id()).stake(), "10 % before the execution");
    at(11_100);
    assertEquals(ProposalState.ACTIVE, view(p).state(), "at the deadline still Active");
    l.append(carol, new Vote(p.id(), Support.ABSTAIN));
    Proposal tally = view(p).tally();
    assertEquals(400_000, tally.forVotes());
    assertEquals(300_000, tally.againstVotes());
    assertEquals(200_000, tally.abstainVotes(), "weight = stake at the snapshot, before the slash");
    at(11_101);
    refused(Reason.UNEXPECTED_STATE, () -> l.append(mallory, new Vote(p.id(), Support.FOR)));
    assertEquals(ProposalState.SUCCEEDED, view(p).state());
    assertEquals(Closure.OPEN, view(p).closure(), "dave's 2,000,000 could still vote against");
    refused(Reason.NOT_CLOSED, () -> l.append(alice, new Queue(p.id())));

    at(11_300);
    l.append(dave, new OperationBody.Seal());
    l.append(genesis, new OperationBody.Seal()); // the mint authority (the judge slashed at 6,000)
    assertEquals(Closure.SUCCEEDED, view(p).closure(), "dave sealed: nothing can change it");
    at(11_400);
    Operation q = l.append(bob, new Queue(p.id()));
    assertEquals(16_400, view(p).tally().etaMillis() - t0);
    assertEquals(q.id(), view(p).queue());
    refused(Reason.UNEXPECTED_STATE, () -> l.append(carol, new Queue(p.id())));
    at(16_399);
    refused(Reason.TIMELOCK_NOT_READY, () -> l.append(alice, new Execute(q.id())));
    at(16_400);
    refused(Reason.NOT_CLOSED, () -> l.append(alice, new Execute(q.id())));
    refused(Reason.UNEXPECTED_STATE, () -> l.append(guardian,
        t -> Veto.sign(guardian, p, "too late: the timelock is over", t)));
    at(16_401);
    l.append(guardian, new OperationBody.Seal());
    at(16_402);
    assertEquals(0, l.networkConfig().version());
    Operation x = l.append(alice, new Execute(q.id()));
    NetworkConfig live = l.networkConfig();
    assertEquals(1, live.version());
    assertEquals(3_000, live.get(NetworkParameter.SLASH_INCORRECT_RESULT_BPS));
    assertEquals(50, live.get(NetworkParameter.MARKET_FEE_BPS));
    assertEquals(ProposalState.EXECUTED, view(p).state());
    assertEquals(List.of(new GovernanceView.Execution(p.id(), x.id(), t0 + 16_402, live)),
        l.governance().executions());
    refused(Reason.UNEXPECTED_STATE, () -> l.append(bob, new Execute(q.id())));

    at(17_000);
    slash(bob, Offense.INCORRECT_RESULT, 2);
    assertEquals(210_000, l.account(bob.id()).stake(), "30 % after the execution");
    assertEquals(l.supply(), l.circulating());

    // the same operations in another order: the same state, configuration and governance
    List<Operation> all = Feed.held(l);
    for (Operation op : all) { // every kind round-trips through its bytes
      assertEquals(op.body(), Operation.decode(op.encoded()).body(), op.toString());
    }
    try (Ledger other = Ledger.inMemory(config, clock)) {
      ReplicationSimulationTest.feedShuffled(other, all, RandomSource.seeded(3));
      assertArrayEquals(l.stateDigest(), other.stateDigest());
      assertEquals(live, other.networkConfig());
      assertEquals(l.governance().digest(), other.governance().digest());
      assertEquals(210_000, other.account(bob.id()).stake());
    }
  }

  @Test
  void lateVotesCountUntilClosureAndSealedVotersCannotBackDate() throws Exception {
    at(100);
    Operation p = l.append(alice, new Propose(Map.of(NetworkParameter.MARKET_FEE_BPS, 40L), "p"));
    at(2_000);
    l.append(alice, new Vote(p.id(), Support.FOR));
    l.append(carol, new Vote(p.id(), Support.AGAINST));
    l.append(genesis, new OperationBody.Seal());
    l.append(judge, new OperationBody.Seal());
    at(20_000);
    // bob has been silent since before the snapshot: his 1,000,000 could still go either way
    assertEquals(ProposalState.SUCCEEDED, view(p).state(), "400,000 for, 200,000 against");
    assertEquals(Closure.OPEN, view(p).closure());
    // ... and he uses it: a vote dated at the deadline, signed long after, is valid
    l.submit(signed(bob, t0 + 11_100, new Vote(p.id(), Support.AGAINST)));
    assertEquals(ProposalState.DEFEATED, view(p).state(), "500,000 against 400,000");
    assertEquals(Closure.DEFEATED, view(p).closure(), "every holder has now sealed");

    at(21_000);
    Operation r = l.append(alice, new Propose(Map.of(NetworkParameter.MARKET_FEE_BPS, 41L), "r"));
    long deadline = r.timestampMillis() + 11_000;
    at(23_000);
    l.append(alice, new Vote(r.id(), Support.FOR));
    l.append(carol, new Vote(r.id(), Support.AGAINST));
    l.append(genesis, new OperationBody.Seal());
    l.append(judge, new OperationBody.Seal());
    at(33_000);
    l.append(bob, new OperationBody.Seal()); // bob seals after the deadline without voting
    assertEquals(Closure.SUCCEEDED, view(r).closure(), "400,000 > 200,000, bob can no longer vote");
    byte[] digest = l.stateDigest();
    rejected(LedgerException.Reason.TIMESTAMP_REGRESSION,
        signed(bob, deadline, new Vote(r.id(), Support.AGAINST)));
    rejected(LedgerException.Reason.TIMESTAMP_REGRESSION,
        signed(bob, deadline - 10_000, new OperationBody.Stake(500_000)));
    assertArrayEquals(digest, l.stateDigest());
    assertEquals(Closure.SUCCEEDED, view(r).closure());
    l.append(bob, new Queue(r.id()));
    assertEquals(ProposalState.QUEUED, view(r).state());
  }

  /** A verdict slash of {@code offender} dated {@code atMillis}, by {@code signer}, not stored. */
  private Operation backDatedSlash(NodeIdentity signer, NodeIdentity offender, long atMillis) {
    byte[] evidence = new byte[32];
    evidence[0] = 99;
    OperationId head = l.operations(offender.id(), 0, 1).getFirst().id(); // dated at t0
    return signed(signer, atMillis, new OperationBody.Slash(offender.id(), head, Offense.SYBIL,
        judge.id(), evidence,
        judge.sign(OperationBody.Slash.statement(offender.id(), Offense.SYBIL, evidence))));
  }

  @Test
  void aBackDatedSlashOfAForVoterCannotUndoAClosedSuccessOnAnyNode() throws Exception {
    at(100);
    Operation p = l.append(alice, new Propose(Map.of(NetworkParameter.MARKET_FEE_BPS, 50L), "x"));
    at(2_000);
    l.append(alice, new Vote(p.id(), Support.FOR)); // 400,000
    l.append(bob, new Vote(p.id(), Support.AGAINST)); // 300,000
    l.append(carol, new Vote(p.id(), Support.ABSTAIN)); // 200,000
    at(11_200);
    l.append(genesis, new OperationBody.Seal());
    assertEquals(Closure.OPEN, view(p).closure(),
        "the adjudicator could still slash alice at the snapshot");
    // what it could do: a slash of alice (100 %) dated before the snapshot turns the outcome
    try (Ledger fork = Ledger.inMemory(config, clock)) {
      Feed.shuffledUntilQuiet(fork, Feed.held(l), RandomSource.seeded(1));
      fork.submit(backDatedSlash(judge, alice, t0 + 1_000));
      fork.append(judge, new OperationBody.Seal());
      assertEquals(Closure.DEFEATED,
          fork.governance().proposal(p.id()).orElseThrow().closure());
    }
    l.append(judge, new OperationBody.Seal());
    assertEquals(Closure.SUCCEEDED, view(p).closure());
    at(11_300);
    Operation q = l.append(bob, new Queue(p.id()));
    assertEquals(ProposalState.QUEUED, view(p).state());

    // after closure: anyone else carrying the verdict is no adjudicator, and the adjudicator's
    // own chain is sealed past the snapshot
    Operation byMallory = backDatedSlash(mallory, alice, t0 + 1_000);
    Operation byJudge = backDatedSlash(judge, alice, t0 + 1_000);
    rejected(LedgerException.Reason.NOT_AUTHORIZED, byMallory);
    rejected(LedgerException.Reason.TIMESTAMP_REGRESSION, byJudge);
    assertEquals(ProposalState.QUEUED, view(p).state());
    assertEquals(Closure.SUCCEEDED, view(p).closure());
    assertEquals(400_000, view(p).tally().forVotes());
    // another node, holding the same operations in another order, refuses them alike
    List<Operation> ops = Feed.held(l);
    try (Ledger other = Ledger.inMemory(config, clock)) {
      List<Operation> withAttacks = new ArrayList<>(ops);
      withAttacks.add(byMallory);
      withAttacks.add(byJudge);
      Feed.shuffledUntilQuiet(other, withAttacks, RandomSource.seeded(2));
      assertTrue(other.operation(byMallory.id()).isEmpty() && other.operation(byJudge.id())
          .isEmpty());
      assertArrayEquals(l.stateDigest(), other.stateDigest());
      assertEquals(q.id(), other.governance().proposal(p.id()).orElseThrow().queue());
    }
    // a slash dated now is accepted and changes nothing closed: the stake at the snapshot stays
    at(12_000);
    l.append(judge, backDatedSlash(judge, alice, t0 + 12_000).body());
    assertEquals(0, l.account(alice.id()).stake());
    assertEquals(Closure.SUCCEEDED, view(p).closure());
    assertEquals(ProposalState.QUEUED, view(p).state());
    assertEquals(400_000, view(p).tally().forVotes());
  }

  @Test
  void anUnsealedHolderKeepsEvenAQuorateMajorityOpenAndCanStillTurnIt() throws Exception {
    l.append(dave, new OperationBody.Receive(
        l.append(genesis, new OperationBody.Send(dave.id(), 1_000_000)).id()));
    at(100);
    Operation p = l.append(alice, new Propose(Map.of(NetworkParameter.MARKET_FEE_BPS, 45L), "q"));
    at(2_000);
    for (NodeIdentity n : List.of(alice, bob, carol)) {
      l.append(n, new Vote(p.id(), Support.FOR));
    }
    l.append(genesis, new OperationBody.Seal());
    l.append(judge, new OperationBody.Seal());
    at(12_000);
    // 900,000 for, nothing against, quorum 40 % of at most 1,900,000 met; but dave's 1,000,000
    // could still be staked at the snapshot and vote against
    assertEquals(ProposalState.SUCCEEDED, view(p).state());
    assertEquals(Closure.OPEN, view(p).closure());
    refused(Reason.NOT_CLOSED, () -> l.append(bob, new Queue(p.id())));
    l.submit(signed(dave, t0 + 1_000, new OperationBody.Stake(1_000_000)));
    l.submit(signed(dave, t0 + 11_100, new Vote(p.id(), Support.AGAINST)));
    assertEquals(1_000_000, view(p).tally().againstVotes());
    assertEquals(ProposalState.DEFEATED, view(p).state(), "1,000,000 against 900,000");
    assertEquals(Closure.DEFEATED, view(p).closure());
    refused(Reason.UNEXPECTED_STATE, () -> l.append(bob, new Queue(p.id())));
  }

  @Test
  void proposerCancelAndGuardianVeto() throws Exception {
    at(100);
    Operation p = l.append(bob, new Propose(Map.of(NetworkParameter.MARKET_FEE_BPS, 60L), "p"));
    refused(Reason.NOT_PROPOSER, () -> l.append(alice, new CancelProposal(p.id())));
    at(1_100);
    l.append(bob, new CancelProposal(p.id()));
    assertEquals(ProposalState.CANCELED, view(p).state());
    at(1_101);
    refused(Reason.UNEXPECTED_STATE, () -> l.append(alice, new Vote(p.id(), Support.FOR)));

    Operation s = l.append(alice, new Propose(
        Map.of(NetworkParameter.SLASH_EQUIVOCATION_BPS, 9_000L), "harsher"));
    refused(Reason.UNEXPECTED_STATE, () -> l.append(bob, new Vote(s.id(), Support.FOR)));
    at(2_200);
    refused(Reason.NOT_PROPOSER, () -> l.append(bob, new CancelProposal(s.id())));
    refused(Reason.UNEXPECTED_STATE, () -> l.append(alice, new CancelProposal(s.id())));
    for (NodeIdentity n : List.of(alice, bob, carol)) {
      l.append(n, new Vote(s.id(), Support.FOR));
    }
    refused(Reason.UNEXPECTED_STATE, () -> l.append(guardian,
        t -> Veto.sign(guardian, s, "while voting is open", t)));
    at(12_200);
    l.append(genesis, new OperationBody.Seal());
    l.append(judge, new OperationBody.Seal());
    Operation q = l.append(carol, new Queue(s.id()));
    refused(Reason.NOT_GUARDIAN, () -> l.append(mallory,
        t -> Veto.sign(mallory, s, "not mine to cancel", t)));
    Operation v = l.append(guardian, t -> Veto.sign(guardian, s, "unsafe", t));
    assertEquals(ProposalState.CANCELED, view(s).state());
    List<GuardianCancel> log = l.governance().cancelLog();
    assertEquals(1, log.size());
    assertTrue(log.get(0).verifies());
    assertEquals(v.timestampMillis(), log.get(0).atMillis());
    assertEquals("unsafe", log.get(0).reason());
    assertEquals(v.body(), Operation.decode(v.encoded()).body());
    at(20_000);
    l.append(guardian, new OperationBody.Seal());
    refused(Reason.UNEXPECTED_STATE, () -> l.append(alice, new Execute(q.id())));
    assertEquals(0, l.networkConfig().version());
  }

  @Test
  void everyAdversarialCaseIsTypedAndChangesNothing() throws Exception {
    at(100);
    Map<NetworkParameter, Long> tooHigh = Map.of(NetworkParameter.MARKET_FEE_BPS, 1_001L);
    refused(Reason.PARAMETER_OUT_OF_BOUNDS, () -> l.append(alice, new Propose(tooHigh, "x")));
    Operation oob = signed(alice, clock.epochMillis(), new Propose(tooHigh, "x"));
    refused(Reason.PARAMETER_OUT_OF_BOUNDS, () -> l.submit(Operation.decode(oob.encoded())));
    refused(Reason.BELOW_PROPOSAL_THRESHOLD, () -> l.append(mallory,
        new Propose(Map.of(NetworkParameter.MARKET_FEE_BPS, 40L), "no stake")));
    Operation p = l.append(alice, new Propose(Map.of(NetworkParameter.MARKET_FEE_BPS, 40L), "p"));
    refused(Reason.PROPOSAL_EXISTS, () -> l.append(alice,
        new Propose(Map.of(NetworkParameter.MARKET_FEE_BPS, 40L), "p")));
    at(500);
    refused(Reason.UNEXPECTED_STATE, () -> l.append(bob, new Vote(p.id(), Support.FOR)));
    at(2_000);
    OperationId send = l.head(genesis.id()).head();
    refused(Reason.UNKNOWN_PROPOSAL, () -> l.append(bob, new Vote(send, Support.FOR)));
    rejected(LedgerException.Reason.UNKNOWN_SOURCE,
        signed(bob, clock.epochMillis(), new Vote(OperationId.of(new byte[32]), Support.FOR)));
    refused(Reason.NO_VOTING_POWER, () -> l.append(mallory, new Vote(p.id(), Support.FOR)));
    // from a peer: dated at the snapshot (still Pending) or after the deadline (a skewed clock)
    long snapshot = p.timestampMillis() + 1_000;
    refused(Reason.UNEXPECTED_STATE,
        () -> l.submit(signed(carol, snapshot, new Vote(p.id(), Support.FOR))));
    refused(Reason.UNEXPECTED_STATE,
        () -> l.submit(signed(carol, snapshot + 10_001, new Vote(p.id(), Support.FOR))));
    Operation vote = l.append(bob, new Vote(p.id(), Support.AGAINST));
    rejected(LedgerException.Reason.DUPLICATE, Operation.decode(vote.encoded()));
    refused(Reason.ALREADY_VOTED, () -> l.append(bob, new Vote(p.id(), Support.FOR)));
    refused(Reason.ALREADY_VOTED,
        () -> l.submit(signed(bob, clock.epochMillis(), new Vote(p.id(), Support.FOR))));
    refused(Reason.UNEXPECTED_STATE, () -> l.append(alice, new Queue(p.id())));
    refused(Reason.UNKNOWN_PROPOSAL, () -> l.append(alice, new Execute(p.id())));
    // a veto op that claims to be the guardian's, signed by mallory
    Operation honest = signed(guardian, clock.epochMillis(), new OperationBody.Seal());
    byte[] forged = honest.encoded();
    System.arraycopy(mallory.sign(java.util.Arrays.copyOf(forged, forged.length - 64)), 0,
        forged, forged.length - 64, 64);
    rejected(LedgerException.Reason.BAD_SIGNATURE, Operation.decode(forged));
    at(12_200);
    // the guardian's own operation with a cancel signature that is not the guardian's
    Veto wrongKey = new Veto(p.id(), "forged",
        Veto.sign(mallory, p, "forged", clock.epochMillis()).signature());
    refused(Reason.BAD_SIGNATURE,
        () -> l.submit(signed(guardian, clock.epochMillis(), wrongKey)));
    assertEquals(ProposalState.DEFEATED, view(p).state(), "only against votes");
    refused(Reason.UNEXPECTED_STATE, () -> l.append(guardian,
        t -> Veto.sign(guardian, p, "defeated anyway", t)));
    refused(Reason.UNEXPECTED_STATE, () -> l.append(alice, new Queue(p.id())));
    // a queue that the fold skips (not closed) and an execute past the grace period
    Operation q = signed(carol, clock.epochMillis(), new Queue(p.id()));
    l.submit(q);
    assertEquals(1, l.skipped(), "the defeated proposal's queue takes no effect");
    at(12_200 + 5_000 + 60_000);
    refused(Reason.UNEXPECTED_STATE, () -> l.submit(
        signed(alice, clock.epochMillis(), new Execute(q.id()))));
    assertThrows(IllegalArgumentException.class, () -> new Propose(Map.of(), "nothing"));
    assertEquals(0, l.networkConfig().version());
  }
}
