package io.github.edgenet.swarm.node;

import static io.github.edgenet.swarm.node.Sims.identity;
import static io.github.edgenet.swarm.node.Sims.runUntilDone;
import static io.github.edgenet.swarm.node.Sims.task;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.Offense;
import io.github.edgenet.economy.ledger.VestingGrant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Payment as a vesting reward, claimed by the provider as it vests; an audited result proven wrong
 * loses its unvested reward; providers stake and earn a reputation that every node reads alike.
 */
class VestingFlowTest {
  private static final Duration TEN_S = Duration.ofSeconds(10);
  private static final long GRANT = 1_000_000;

  private static Ledger ledger(EdgeNode n) {
    return n.economy().ledger();
  }

  private static void assertSameState(List<EdgeNode> nodes, long supply) {
    byte[] digest = ledger(nodes.getFirst()).stateDigest();
    for (EdgeNode n : nodes) {
      assertArrayEquals(digest, ledger(n).stateDigest(), "digest on " + n.id());
      assertEquals(supply, ledger(n).supply(), "supply on " + n.id());
      assertEquals(supply, ledger(n).circulating(), "circulating on " + n.id());
    }
  }

  @Test
  void aPaymentVestsAfterItsCliffAndTheProviderClaimsItAsItVests() {
    NetworkSimulator sim = Sims.simulator(101);
    NodeIdentity hid = identity(101, 0);
    Map<NodeId, Long> genesis = Map.of(hid.id(), GRANT);
    EconomyConfig economy = EconomyConfig.builder().stake(0)
        .vesting(Duration.ofSeconds(2), Duration.ofSeconds(10))
        .vestingClaimInterval(Duration.ofSeconds(1)).build();
    EdgeNode cheap = EdgeNode.builder().simulator(sim).identity(identity(101, 1)).genesis(genesis)
        .economy(economy).executor("reverse", 40, ctx -> Sims.reverse(ctx.payload())).build();
    EdgeNode dear = EdgeNode.builder().simulator(sim).identity(identity(101, 2)).genesis(genesis)
        .economy(economy).executor("reverse", 70, ctx -> Sims.reverse(ctx.payload())).build();
    EdgeNode host = EdgeNode.builder().simulator(sim).identity(hid).genesis(genesis)
        .economy(economy).build();
    List<EdgeNode> everyone = List.of(cheap, dear, host);
    sim.runFor(Duration.ofSeconds(3));

    CompletableFuture<byte[]> f = host.submit(task("reverse", "vest", 100, TEN_S));
    runUntilDone(sim, f, TEN_S);
    sim.runFor(Duration.ofMillis(1_000)); // the grant has spread; its cliff (2 s) is still ahead
    for (EdgeNode viewer : everyone) {
      List<VestingGrant> grants = ledger(viewer).vestingGrants(cheap.id());
      assertEquals(1, grants.size(), "the grant on " + viewer.id());
      assertEquals(70, grants.getFirst().total(), "the second price, vesting");
      assertEquals(hid.id(), grants.getFirst().funder());
      assertEquals(0, grants.getFirst().released(), "nothing vested before the cliff");
      assertEquals(0, ledger(viewer).account(cheap.id()).balance());
      assertEquals(GRANT - 70, ledger(viewer).account(hid.id()).balance());
    }
    sim.runFor(Duration.ofSeconds(4)); // past the cliff, not yet the end: claimed in part
    long part = ledger(cheap).account(cheap.id()).balance();
    assertTrue(part > 0 && part < 70, "claimed " + part + " of 70 midway");
    assertEquals(part, ledger(cheap).vestingGrants(cheap.id()).getFirst().released());
    sim.runFor(Duration.ofSeconds(10)); // fully vested, claimed, replicated
    for (EdgeNode viewer : everyone) {
      assertEquals(70, ledger(viewer).account(cheap.id()).balance(), "on " + viewer.id());
      assertEquals(70, ledger(viewer).vestingGrants(cheap.id()).getFirst().released());
    }
    assertSameState(everyone, GRANT);
    EconomyMetrics m = cheap.metrics().economy();
    assertEquals(70, m.vestingGrantedMicros());
    assertEquals(70, m.vestingClaimedMicros());
    assertEquals(0, m.vestingClawedBackMicros());
    everyone.forEach(EdgeNode::close);
  }

  /**
   * A liar whose wrong result passes the submitter's (absent) verifier is paid, as a vesting grant;
   * the submitter audits the result, the adjudicator re-executes it and slashes, and the submitter
   * claws back the part that had not vested: all of it, before the cliff.
   */
  @Test
  void anAuditedWrongResultIsSlashedAndItsUnvestedRewardClawedBack() {
    NetworkSimulator sim = Sims.simulator(102);
    NodeIdentity hid = identity(102, 0);
    NodeIdentity lid = identity(102, 1);
    NodeIdentity jid = identity(102, 3);
    Map<NodeId, Long> genesis = new TreeMap<>(Map.of(hid.id(), GRANT, lid.id(), 10_000L));
    EconomyConfig economy = EconomyConfig.builder().adjudicators(Set.of(jid.id())).stake(5_000)
        .auditFraction(1.0).build(); // default vesting: 30 s cliff, 5 min
    EdgeNode liar = EdgeNode.builder().simulator(sim).identity(lid).genesis(genesis)
        .economy(economy).executor("reverse", 10, ctx -> ctx.payload()).build(); // wrong
    EdgeNode judge = EdgeNode.builder().simulator(sim).identity(jid).genesis(genesis)
        .economy(economy).executor("reverse", 5_000, ctx -> Sims.reverse(ctx.payload())).build();
    EdgeNode host = EdgeNode.builder().simulator(sim).identity(hid).genesis(genesis)
        .economy(economy).build();
    List<EdgeNode> everyone = List.of(liar, judge, host);
    sim.runFor(Duration.ofSeconds(3));

    CompletableFuture<byte[]> f = host.submit(task("reverse", "unchecked", 100, TEN_S));
    runUntilDone(sim, f, TEN_S);
    assertEquals("unchecked", Sims.text(f.join()), "no verifier: the wrong result is accepted");
    sim.runFor(Duration.ofSeconds(10)); // audit, verdict, slash, claw-back, all replicated

    assertEquals(1, host.metrics().economy().audits());
    assertEquals(1, judge.metrics().economy().verdicts());
    assertEquals(1, host.metrics().economy().clawBacks());
    long slashed = 5_000L * Offense.INCORRECT_RESULT.defaultRateBps() / 10_000;
    assertSameState(everyone, GRANT + 10_000 - slashed);
    for (EdgeNode viewer : everyone) {
      VestingGrant g = ledger(viewer).vestingGrants(lid.id()).getFirst();
      assertEquals(100, g.clawedBack(), "the lone bid was paid the reserve, all unvested");
      assertEquals(0, g.total());
      assertEquals(GRANT, ledger(viewer).account(hid.id()).balance(), "the host got it back");
      assertEquals(10_000 - slashed, ledger(viewer).account(lid.id()).balance()
          + ledger(viewer).account(lid.id()).stake(), "the liar lost its slash, earned nothing");
      assertEquals(slashed, ledger(viewer).slashed());
    }
    assertEquals(100, liar.metrics().economy().vestingClawedBackMicros());
    everyone.forEach(EdgeNode::close);
  }

  /**
   * Staked providers earn a reputation from their paid work that every node computes alike; a
   * provider that cannot stake enough (it stakes what it earns, less than the minimum) has none,
   * though its work is on the ledger.
   */
  @Test
  void stakedProvidersEarnTheSameReputationOnEveryNode() {
    NetworkSimulator sim = Sims.simulator(103);
    NodeIdentity hid = identity(103, 0);
    NodeIdentity sid = identity(103, 1);
    NodeIdentity uid = identity(103, 2);
    Map<NodeId, Long> genesis = new TreeMap<>(Map.of(hid.id(), GRANT, sid.id(), 2_000L));
    EconomyConfig economy = EconomyConfig.builder().stake(1_000)
        .vesting(Duration.ZERO, Duration.ZERO).vestingClaimInterval(Duration.ofSeconds(1))
        .build();
    EdgeNode staked = EdgeNode.builder().simulator(sim).identity(sid).genesis(genesis)
        .economy(economy).executor("reverse", 30, ctx -> Sims.reverse(ctx.payload())).build();
    EdgeNode unstaked = EdgeNode.builder().simulator(sim).identity(uid).genesis(genesis)
        .economy(economy).executor("upper", 30, ctx -> Sims.reverse(ctx.payload())).build();
    EdgeNode host = EdgeNode.builder().simulator(sim).identity(hid).genesis(genesis)
        .economy(economy).build();
    List<EdgeNode> everyone = List.of(staked, unstaked, host);
    sim.runFor(Duration.ofSeconds(3));
    assertEquals(1_000, staked.metrics().economy().stakeMicros(), "staked from its genesis");

    for (int t = 0; t < 12; t++) {
      String type = t % 2 == 0 ? "reverse" : "upper";
      CompletableFuture<byte[]> f = host.submit(task(type, "rep " + t, 50, TEN_S));
      runUntilDone(sim, f, TEN_S);
      sim.runFor(Duration.ofSeconds(1));
    }
    sim.runFor(Duration.ofSeconds(10));
    assertSameState(everyone, GRANT + 2_000);
    assertEquals(300, ledger(host).account(uid.id()).stake(), "it staked all it earned: 6 x 50");
    assertEquals(6, ledger(host).workRecords().stream()
        .filter(r -> r.worker().equals(uid.id())).count(), "its work is on the ledger");
    Map<NodeId, Double> seen = host.metrics().economy().reputation();
    double s = seen.get(sid.id());
    assertTrue(s > 0 && s < 1, "staked provider's reputation " + s);
    assertEquals(0.0, seen.get(uid.id()), "not enough stake: no reputation");
    for (EdgeNode viewer : List.of(staked, unstaked)) {
      Map<NodeId, Double> theirs = viewer.metrics().economy().reputation();
      assertEquals(s, theirs.get(sid.id()), "bit for bit, on " + viewer.id());
      assertEquals(0.0, theirs.get(uid.id()));
    }
    everyone.forEach(EdgeNode::close);
  }
}
