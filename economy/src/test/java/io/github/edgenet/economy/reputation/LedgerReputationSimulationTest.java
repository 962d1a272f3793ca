package io.github.edgenet.economy.reputation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.LatencyModel;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.Offense;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import io.github.edgenet.economy.ledger.VestingGrant;
import io.github.edgenet.economy.ledger.WorkRecord;
import io.github.edgenet.economy.replication.LedgerReplicator;
import io.github.edgenet.economy.replication.SimulatedLedgers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 24 nodes run tasks over a lossy, reordering network: escrows released, released as vesting
 * grants (claimed by the workers' replicators on their own), or reported failed and refunded, and
 * one worker slashed by an adjudicator. After the network quiets every node computes the same
 * ledger digest and the same reputation bits for every worker; unstaked workers have none, the
 * slashed one lost its successes, and vesting was claimed without any host call.
 */
class LedgerReputationSimulationTest {
  private static final int NODES = 24;
  private static final int STAKED = 20;
  private static final long GRANT = 10_000_000;
  private static final long STAKE = 1_000_000;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {5})
  void everyNodeComputesTheSameReputationBits(long seed) throws Exception {
    System.out.println("LedgerReputationSimulationTest seed " + seed);
    NetworkSimulator sim = NetworkSimulator.builder()
        .seed(seed)
        .latency(LatencyModel.logNormal(Duration.ofMillis(20), 0.5))
        .loss(0.05)
        .duplication(0.01)
        .reordering(0.1, Duration.ofMillis(200))
        .build();
    RandomSource keys = RandomSource.seeded(seed).derive("keys");
    NodeIdentity genesis = NodeIdentity.generate(keys);
    NodeIdentity judge = NodeIdentity.generate(keys);
    List<NodeIdentity> ids = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      ids.add(NodeIdentity.generate(keys));
    }
    LedgerConfig config = LedgerConfig.builder(Set.of(genesis.id()))
        .adjudicators(Set.of(judge.id())).build();
    ReputationConfig repConfig = new ReputationConfig(60_000, 100_000, 2_000, STAKE / 2);
    SimulatedLedgers net = SimulatedLedgers.start(sim, config, ids,
        b -> b.autoClaimVesting(Duration.ofSeconds(2)));
    List<Ledger> ledgers = net.ledgers();
    List<LedgerReplicator> reps = net.replicators();
    List<Operation> grants = new ArrayList<>();
    grants.add(ledgers.get(0).append(genesis, new OperationBody.Mint(GRANT * NODES)));
    for (NodeIdentity id : ids) {
      grants.add(ledgers.get(0).append(genesis, new OperationBody.Send(id.id(), GRANT)));
    }
    reps.get(0).publish(grants);
    sim.runFor(Duration.ofSeconds(15));
    for (int i = 0; i < STAKED; i++) {
      reps.get(i).append(new OperationBody.Stake(STAKE));
    }
    sim.runFor(Duration.ofSeconds(5));

    RandomSource traffic = RandomSource.seeded(seed).derive("tasks");
    int tasks = 0;
    for (int round = 0; round < 80; round++) {
      int submitter = traffic.nextInt(NODES);
      int worker = traffic.nextInt(NODES);
      if (submitter != worker) {
        tasks += runTask(reps.get(submitter), ids.get(worker), traffic, sim.clock().epochMillis());
      }
      if (round == 50) {
        byte[] evidence = new byte[32];
        evidence[0] = 3;
        NodeIdentity offender = ids.get(3);
        byte[] verdict = judge.sign(OperationBody.Slash.statement(
            offender.id(), Offense.INCORRECT_RESULT, evidence));
        reps.get(7).publish(List.of(ledgers.get(7).append(judge, new OperationBody.Slash(
            offender.id(), ledgers.get(7).head(offender.id()).head(), Offense.INCORRECT_RESULT,
            judge.id(), evidence, verdict))));
      }
      sim.runFor(Duration.ofMillis(400));
    }
    sim.runFor(Duration.ofSeconds(30));

    long now = sim.clock().epochMillis();
    byte[] digest = ledgers.get(0).stateDigest();
    List<LedgerReputation> views = new ArrayList<>();
    for (Ledger l : ledgers) {
      assertArrayEquals(digest, l.stateDigest());
      assertEquals(l.supply(), l.circulating());
      views.add(new LedgerReputation(l, repConfig));
    }
    String repDigest = views.get(0).digest();
    int positive = 0;
    for (NodeIdentity w : ids) {
      long bits = Double.doubleToLongBits(views.get(0).scoreAt(w.id(), now));
      for (LedgerReputation v : views) {
        assertEquals(repDigest, v.digest());
        assertEquals(bits, Double.doubleToLongBits(v.scoreAt(w.id(), now)), "score of " + w.id());
        assertEquals(views.get(0).discountedPrice(1_000_000, w.id(), now),
            v.discountedPrice(1_000_000, w.id(), now));
      }
      if (Double.longBitsToDouble(bits) > 0) {
        positive++;
      }
    }
    for (int i = STAKED; i < NODES; i++) {
      assertEquals(0.0, views.get(0).scoreAt(ids.get(i).id(), now), "unstaked node " + i);
    }
    List<WorkRecord> work = ledgers.get(0).workRecords();
    long slashAt = work.stream().filter(r -> r.kind() == WorkRecord.Kind.SLASHED)
        .mapToLong(WorkRecord::atMillis).findFirst().orElseThrow();
    boolean laterSuccess = work.stream().anyMatch(r -> r.worker().equals(ids.get(3).id())
        && r.kind() == WorkRecord.Kind.SUCCESS && r.atMillis() > slashAt);
    if (!laterSuccess) {
      assertEquals(0.0, views.get(0).scoreAt(ids.get(3).id(), now), "slashed: successes gone");
    }
    long claimed = 0;
    for (NodeIdentity w : ids) {
      for (VestingGrant g : ledgers.get(0).vestingGrants(w.id())) {
        claimed += g.released();
      }
    }
    System.out.println(tasks + " tasks, " + work.size() + " work records, "
        + views.get(0).counted() + " counted, " + positive + " positive scores, vested claimed "
        + claimed + ", slashed worker scores " + views.get(0).scoreAt(ids.get(3).id(), now));
    assertTrue(positive >= 5, "scores were earned: " + positive);
    assertTrue(views.get(0).counted() < work.size(), "unstaked workers' records are dropped");
    assertTrue(claimed > 0, "the replicators claimed vested rewards by themselves");
    for (Ledger l : ledgers) {
      l.close();
    }
  }

  /** One task from the submitter's node: lock, then release, vest or report failure and refund. */
  private static int runTask(LedgerReplicator submitter, NodeIdentity worker, RandomSource r,
      long now) {
    try {
      long price = 10_000 + r.nextInt(90_000);
      Operation lock = submitter.append(
          new OperationBody.EscrowLock(worker.id(), price, now, new byte[32]));
      int outcome = r.nextInt(20);
      if (outcome < 12) {
        submitter.append(new OperationBody.EscrowRelease(lock.id()));
      } else if (outcome < 17) {
        submitter.append(new OperationBody.EscrowVest(lock.id(), 1_000, 5_000));
      } else {
        submitter.append(new OperationBody.TaskFailed(lock.id(), worker.id()));
        submitter.append(new OperationBody.EscrowRefund(lock.id()));
      }
      return 1;
    } catch (LedgerException e) {
      return 0; // short of funds: no task
    }
  }
}
