package io.github.edgenet.economy.governance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.LatencyModel;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.testing.SeededCases;
import io.github.edgenet.economy.governance.GovernanceView.Closure;
import io.github.edgenet.economy.ledger.ChainHead;
import io.github.edgenet.economy.ledger.GovernanceBody.Execute;
import io.github.edgenet.economy.ledger.GovernanceBody.Propose;
import io.github.edgenet.economy.ledger.GovernanceBody.Queue;
import io.github.edgenet.economy.ledger.GovernanceBody.Vote;
import io.github.edgenet.economy.ledger.Feed;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.Offense;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import io.github.edgenet.economy.replication.LedgerReplicator;
import io.github.edgenet.economy.replication.SimulatedLedgers;
import io.github.edgenet.economy.replication.ReplicationSimulationTest;
import io.github.edgenet.economy.reputation.LedgerReputation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Governance across a simulated network (loss, duplication, reordering): a proposal is made,
 * voted on by every node through its own replicator, closes once the silent nodes' replicators
 * seal after the deadline, is queued, waits out the timelock until the guardian's replicator
 * seals past the eta, and executes; every node then has the same live configuration, the same
 * governance digest and the same state digest, and a slash after the execution takes the new rate
 * on every node. A double vote and a back-dated vote after closure are refused on every node.
 */
class LedgerGovernanceSimulationTest {
  private static final int NODES = 16;
  private static final long GRANT = 1_000_000;

  static Stream<Long> seeds() {
    return SeededCases.seeds(21, 2);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aProposalPassesAndExecutesIdenticallyOnEveryNode(long seed) throws Exception {
    RandomSource random = SeededCases.random("LedgerGovernanceSimulationTest", seed);
    NetworkSimulator sim = NetworkSimulator.builder().seed(seed)
        .latency(LatencyModel.logNormal(Duration.ofMillis(20), 0.5))
        .loss(0.05).duplication(0.01).reordering(0.1, Duration.ofMillis(200)).build();
    RandomSource keys = random.derive("keys");
    NodeIdentity genesis = NodeIdentity.generate(keys);
    NodeIdentity judge = NodeIdentity.generate(keys);
    List<NodeIdentity> ids = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      ids.add(NodeIdentity.generate(keys));
    }
    NodeIdentity guardian = ids.get(1);
    // propose at t: snapshot t + 1 s, deadline t + 7 s; eta = queue + 3 s
    GovernorSettings settings = new GovernorSettings(1_000, 6_000, 4_000, 100_000, 3_000,
        60_000, Set.of(guardian.id()));
    LedgerConfig config = LedgerConfig.builder(Set.of(genesis.id()))
        .adjudicators(Set.of(judge.id())).governance(settings).build();
    SimulatedLedgers net = SimulatedLedgers.start(sim, config, ids,
        b -> b.autoSeal(true).antiEntropyInterval(Duration.ofSeconds(1)));
    List<Ledger> ledgers = net.ledgers();
    List<LedgerReplicator> reps = net.replicators();
    Ledger l0 = ledgers.get(0);
    List<Operation> grants = new ArrayList<>();
    grants.add(l0.append(genesis, new OperationBody.Mint(GRANT * NODES)));
    for (NodeIdentity id : ids) {
      grants.add(l0.append(genesis, new OperationBody.Send(id.id(), GRANT)));
    }
    reps.get(0).publish(grants);
    sim.runFor(Duration.ofSeconds(15));
    long stakeTotal = 0;
    for (int i = 0; i < NODES; i++) {
      long stake = 100_000 + 10_000L * i;
      reps.get(i).append(new OperationBody.Stake(stake));
      stakeTotal += stake;
    }
    sim.runFor(Duration.ofSeconds(10));

    Operation p = reps.get(0).append(new Propose(Map.of(
        NetworkParameter.SLASH_INCORRECT_RESULT_BPS, 3_000L,
        NetworkParameter.MIN_STAKE_MICROS, 2_000_000L), "harsher slashing, lower entry"));
    long snapshot = p.timestampMillis() + 1_000;
    long deadline = snapshot + 6_000;
    sim.runFor(Duration.ofMillis(1_500));
    // the mint authority's and the adjudicator's keys seal their chains past the snapshot (they
    // could otherwise mint, or slash a voter at the snapshot)
    reps.get(0).publish(List.of(l0.append(genesis, new OperationBody.Seal()),
        l0.append(judge, new OperationBody.Seal())));
    // nodes 0-8 for, 9-11 against, 12-13 abstain, 14-15 silent
    long forVotes = 0;
    for (int i = 0; i < 14; i++) {
      int node = i;
      until(sim, () -> ledgers.get(node).operation(p.id()).isPresent(), 20);
      Support s = i < 9 ? Support.FOR : i < 12 ? Support.AGAINST : Support.ABSTAIN;
      reps.get(i).append(new Vote(p.id(), s));
      forVotes += s == Support.FOR ? 100_000 + 10_000L * i : 0;
    }
    LedgerException twice = assertThrows(LedgerException.class,
        () -> reps.get(9).append(new Vote(p.id(), Support.FOR)));
    assertEquals(GovernanceException.Reason.ALREADY_VOTED, twice.detail());
    assertTrue(sim.clock().epochMillis() <= deadline, "the votes were cast in time");

    // after the deadline every node's replicator seals; the outcome closes everywhere
    until(sim, () -> ledgers.stream().allMatch(l -> l.governance().proposal(p.id())
        .map(v -> v.closure() == Closure.SUCCEEDED).orElse(false)), 30);
    GovernanceView.ProposalView closed = ledgers.get(5).governance().proposal(p.id()).get();
    assertEquals(ProposalState.SUCCEEDED, closed.state());
    assertEquals(forVotes, closed.tally().forVotes());
    // node 14 never voted and has sealed: a vote dated inside the window is now a regression
    Ledger l14 = ledgers.get(14);
    ChainHead h14 = l14.head(ids.get(14).id());
    Operation late = Operation.sign(ids.get(14), h14.length(), h14.head(), deadline,
        new Vote(p.id(), Support.AGAINST));
    for (Ledger l : ledgers) {
      byte[] before = l.stateDigest();
      LedgerException e = assertThrows(LedgerException.class, () -> l.submit(late));
      assertEquals(LedgerException.Reason.TIMESTAMP_REGRESSION, e.reason(), e.getMessage());
      assertArrayEquals(before, l.stateDigest());
    }

    Operation q = reps.get(2).append(new Queue(p.id()));
    long eta = q.timestampMillis() + 3_000;
    until(sim, () -> ledgers.get(3).sealedAfter(guardian.id(), eta), 30);
    assertEquals(0, ledgers.get(3).networkConfig().version());
    LedgerReputation reputation = LedgerReputation.governed(ledgers.get(7), 10_000_000);
    assertEquals(100_000_000, reputation.config().minStakeMicros(), "the default");
    Operation x = reps.get(3).append(new Execute(q.id()));
    sim.runFor(Duration.ofSeconds(10));

    // a slash dated after the execution takes the new 30 % on every node
    Ledger l6 = ledgers.get(6);
    byte[] evidence = new byte[32];
    evidence[0] = 7;
    reps.get(6).publish(List.of(l6.append(judge, new OperationBody.Slash(ids.get(5).id(),
        l6.head(ids.get(5).id()).head(), Offense.INCORRECT_RESULT, judge.id(), evidence,
        judge.sign(OperationBody.Slash.statement(ids.get(5).id(), Offense.INCORRECT_RESULT,
            evidence))))));
    sim.runFor(Duration.ofSeconds(20));

    byte[] digest = l0.stateDigest();
    NetworkConfig live = l0.networkConfig();
    assertEquals(1, live.version());
    assertEquals(3_000, live.get(NetworkParameter.SLASH_INCORRECT_RESULT_BPS));
    assertEquals(2_000_000, live.get(NetworkParameter.MIN_STAKE_MICROS));
    String governance = l0.governance().digest();
    assertEquals(2_000_000, reputation.config().minStakeMicros(), "follows the execution");
    assertEquals(0, l0.governance().configAt(x.timestampMillis()).version());
    assertEquals(live, l0.governance().configAt(x.timestampMillis() + 1));
    for (int i = 0; i < NODES; i++) {
      Ledger l = ledgers.get(i);
      assertEquals(live, l.networkConfig(), "node " + i);
      assertEquals(List.of(new GovernanceView.Execution(p.id(), x.id(), x.timestampMillis(),
          live)), l.governance().executions(), "node " + i);
      assertEquals(ProposalState.EXECUTED,
          l.governance().proposal(p.id()).get().state(), "node " + i);
      assertEquals(governance, l.governance().digest(), "node " + i);
      assertEquals(150_000 - 45_000, l.account(ids.get(5).id()).stake(), "node " + i);
      assertEquals(GRANT * NODES - 45_000, l.supply(), "node " + i);
      assertEquals(l.supply(), l.circulating(), "node " + i);
      assertArrayEquals(digest, l.stateDigest(), "node " + i + " digest "
          + HexFormat.of().formatHex(l.stateDigest()));
    }
    assertEquals(stakeTotal - 45_000, l0.totalStakeAt(sim.clock().epochMillis()));
    // the same operations in another order give the same state and configuration
    List<Operation> all = Feed.held(l0);
    try (Ledger fresh = Ledger.inMemory(config, sim.clock())) {
      ReplicationSimulationTest.feedShuffled(fresh, all, random.derive("shuffle"));
      assertArrayEquals(digest, fresh.stateDigest());
      assertEquals(live, fresh.networkConfig());
    }
    for (int i = 0; i < NODES; i++) {
      reps.get(i).close();
      ledgers.get(i).close();
    }
  }

  private static void until(NetworkSimulator sim, BooleanSupplier done, int maxSeconds) {
    for (int i = 0; i < maxSeconds * 4 && !done.getAsBoolean(); i++) {
      sim.runFor(Duration.ofMillis(250));
    }
    assertTrue(done.getAsBoolean(), "not reached within " + maxSeconds + " virtual seconds");
  }
}
