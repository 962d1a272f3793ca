package io.github.edgenet.swarm.node;

import static io.github.edgenet.swarm.node.Sims.identity;
import static io.github.edgenet.swarm.node.Sims.runUntilDone;
import static io.github.edgenet.swarm.node.Sims.task;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.SimulatedNode;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.Offense;
import io.github.edgenet.economy.ledger.OperationBody;
import io.github.edgenet.swarm.node.internal.TestFrames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Slashing from proof: an adjudicator re-executes the task of the evidence it receives and signs a
 * verdict only when the accused result is wrong; the slash reaches every node's ledger. A lying
 * submitter cannot get an honest provider slashed.
 */
class AdjudicationTest {
  private static final Duration TEN_S = Duration.ofSeconds(10);
  private static final long STAKE = 50_000;

  private record Net(NetworkSimulator sim, EdgeNode judge, List<EdgeNode> nodes) {}

  private static Ledger ledger(EdgeNode n) {
    return n.economy().ledger();
  }

  private static EdgeNode.Builder node(NetworkSimulator sim, NodeIdentity id,
      Map<NodeId, Long> genesis, EconomyConfig economy) {
    return EdgeNode.builder().simulator(sim).identity(id).genesis(genesis).economy(economy);
  }

  /** Providers keep {@link #STAKE} bonded; payments vest at once (claimed within a second). */
  private static EconomyConfig economy(NodeIdentity judge, Duration challengeTimeout) {
    return EconomyConfig.builder().adjudicators(Set.of(judge.id())).stake(STAKE)
        .vesting(Duration.ZERO, Duration.ZERO).vestingClaimInterval(Duration.ofSeconds(1))
        .challengeTimeout(challengeTimeout).build();
  }

  /** Balance plus bonded stake. */
  private static long holdings(Ledger l, NodeId account) {
    return l.account(account).balance() + l.account(account).stake()
        + l.account(account).unbonding();
  }

  /** Every node holds the same ledger; supply is the genesis total less what was burned. */
  private static void assertConverged(List<EdgeNode> nodes, long genesisTotal, long slashed) {
    byte[] digest = ledger(nodes.getFirst()).stateDigest();
    for (EdgeNode n : nodes) {
      Ledger l = ledger(n);
      assertArrayEquals(digest, l.stateDigest(), "state digest on " + n.id());
      assertEquals(slashed, l.slashed(), "slashed on " + n.id());
      assertEquals(genesisTotal - slashed, l.supply(), "supply on " + n.id());
      assertEquals(l.supply(), l.circulating(), "circulating on " + n.id());
      assertEquals(slashed > 0 ? 1 : 0, n.metrics().economy().slashes(), "slashes on " + n.id());
    }
  }

  @Test
  void aLiarCaughtByTheVerifierIsSlashedOnEveryLedgerAndTheHonestProviderIsNot() {
    NetworkSimulator sim = Sims.simulator(91);
    NodeIdentity hid = identity(91, 0);
    NodeIdentity lid = identity(91, 1);
    NodeIdentity oid = identity(91, 2);
    NodeIdentity jid = identity(91, 3);
    Map<NodeId, Long> genesis = new TreeMap<>(Map.of(hid.id(), 1_000_000L, lid.id(), 100_000L,
        oid.id(), 100_000L));
    EconomyConfig economy = economy(jid, Duration.ofSeconds(10));
    EdgeNode liar = node(sim, lid, genesis, economy)
        .executor("reverse", 10, ctx -> ctx.payload()).build(); // cheapest, and wrong
    EdgeNode honest = node(sim, oid, genesis, economy)
        .executor("reverse", 20, ctx -> Sims.reverse(ctx.payload())).build();
    EdgeNode judge = node(sim, jid, genesis, economy) // runs the type to re-execute, dear
        .executor("reverse", 5_000, ctx -> Sims.reverse(ctx.payload())).build();
    EdgeNode host = node(sim, hid, genesis, economy)
        .verifier("reverse", (t, r) -> Arrays.equals(r, Sims.reverse(t.payload()))).build();
    List<TaskEvent> verdicts = new ArrayList<>();
    judge.addListener(e -> {
      if (e.step() == TaskEvent.Step.ADJUDICATED) {
        verdicts.add(e);
      }
    });
    sim.runFor(Duration.ofSeconds(3));

    CompletableFuture<byte[]> f = host.submit(task("reverse", "prove it", 100, TEN_S));
    runUntilDone(sim, f, TEN_S);
    assertEquals("ti evorp", Sims.text(f.join()));
    sim.runFor(Duration.ofSeconds(15));

    assertEquals(1, verdicts.size(), verdicts.toString());
    assertEquals(liar.id(), verdicts.getFirst().peer());
    assertTrue(verdicts.getFirst().detail().startsWith("guilty: INCORRECT_RESULT, slashed"),
        verdicts.getFirst().detail());
    assertEquals(1, judge.metrics().economy().verdicts());
    List<EdgeNode> everyone = List.of(liar, honest, judge, host);
    long slashed = STAKE * Offense.INCORRECT_RESULT.defaultRateBps() / 10_000;
    assertConverged(everyone, 1_200_000, slashed);
    for (EdgeNode viewer : everyone) {
      Ledger l = ledger(viewer);
      // The liar lost a tenth of its stake (and topped it up again from its balance); it was
      // paid nothing. The honest provider was paid its own ask as the replacement, and kept all.
      assertEquals(100_000 - slashed, holdings(l, liar.id()), "liar on " + viewer.id());
      assertEquals(100_000 + 20, holdings(l, honest.id()), "honest on " + viewer.id());
      assertEquals(STAKE, l.account(honest.id()).stake(), "honest on " + viewer.id());
      long slashOps = l.effectiveOperations().stream()
          .filter(op -> op.body() instanceof OperationBody.Slash s && s.offender().equals(lid.id())
              && s.offense() == Offense.INCORRECT_RESULT && s.adjudicator().equals(jid.id()))
          .count();
      assertEquals(1, slashOps, "the judge's signed slash on " + viewer.id());
    }
    everyone.forEach(EdgeNode::close);
  }

  @Test
  void aLyingSubmitterCannotGetAnHonestProviderSlashed() {
    NetworkSimulator sim = Sims.simulator(92);
    NodeIdentity hid = identity(92, 0);
    NodeIdentity aid = identity(92, 1);
    NodeIdentity bid = identity(92, 2);
    NodeIdentity jid = identity(92, 3);
    Map<NodeId, Long> genesis = new TreeMap<>(Map.of(hid.id(), 1_000_000L, aid.id(), 100_000L,
        bid.id(), 100_000L));
    EconomyConfig economy = economy(jid, Duration.ofSeconds(10));
    EdgeNode a = node(sim, aid, genesis, economy)
        .executor("reverse", 10, ctx -> Sims.reverse(ctx.payload())).build();
    EdgeNode b = node(sim, bid, genesis, economy)
        .executor("reverse", 20, ctx -> Sims.reverse(ctx.payload())).build();
    EdgeNode judge = node(sim, jid, genesis, economy)
        .executor("reverse", 5_000, ctx -> Sims.reverse(ctx.payload())).build();
    // The submitter's verifier rejects every result: each honest provider is accused.
    EdgeNode host = node(sim, hid, genesis, economy).verifier("reverse", (t, r) -> false).build();
    List<byte[]> resultsOfA = new ArrayList<>();
    sim.setInterceptor(a.id(), (to, m, out) -> {
      if (TestFrames.type(m) == TestFrames.RESULT) {
        resultsOfA.add(m.clone());
      }
      out.send(to, m);
    });
    sim.runFor(Duration.ofSeconds(3));

    Task t = task("reverse", "honest work", 100, TEN_S);
    CompletableFuture<byte[]> f = host.submit(t);
    runUntilDone(sim, f, TEN_S);
    assertEquals(TaskFailedException.Reason.VERIFICATION_FAILED, Sims.reason(f));
    sim.runFor(Duration.ofSeconds(2));
    assertEquals(2, judge.metrics().economy().dismissed(), "both accusations re-executed");
    assertEquals(0, judge.metrics().economy().verdicts());

    // The liar pairs a's genuine signed result with inputs it makes up: invalid evidence, since
    // the result names the digest of the inputs it answers.
    NodeIdentity forger = identity(92, 9);
    SimulatedNode raw = sim.addNode(forger.id());
    EnvelopeSender signer = EnvelopeSender.create(forger, sim.clock());
    TaskId id = new TaskId(hid.id(), 0);
    byte[] made = TestFrames.resultEvidence(hid, sim.clock(), id, 0, "reverse",
        "other work".getBytes(java.nio.charset.StandardCharsets.UTF_8), t.embedding(),
        resultsOfA.getFirst(), aid.id());
    raw.send(jid.id(), signer.encode(TestFrames.EVIDENCE, made));
    // And the true inputs again, freshly signed: a correct result is dismissed again.
    byte[] same = TestFrames.resultEvidence(hid, sim.clock(), id, 0, "reverse", t.payload(),
        t.embedding(), resultsOfA.getFirst(), aid.id());
    raw.send(jid.id(), signer.encode(TestFrames.EVIDENCE, same));
    sim.runFor(Duration.ofSeconds(15));

    assertEquals(1, judge.metrics().rejected(RejectionReason.INVALID_EVIDENCE));
    assertEquals(0, judge.metrics().economy().verdicts());
    assertEquals(2, judge.metrics().economy().dismissed(), "the same accusation is judged once");
    List<EdgeNode> everyone = List.of(a, b, judge, host);
    assertConverged(everyone, 1_200_000, 0);
    for (EdgeNode viewer : everyone) {
      assertEquals(100_000, holdings(ledger(viewer), a.id()));
      assertEquals(100_000, holdings(ledger(viewer), b.id()));
      assertEquals(STAKE, ledger(viewer).account(a.id()).stake());
      assertEquals(2, viewer.economy().publishedEvidence().size(), "the accusations are public");
    }
    everyone.forEach(EdgeNode::close);
  }

  /**
   * A shortlisted provider that crashes before it reveals: the adjudicator challenges it, nobody
   * answers, {@code CHALLENGE_TIMEOUT} (5%) on every ledger. One whose reveals to the submitter are
   * lost but who answers the challenge is not slashed.
   */
  @Test
  void aSilentBidderIsSlashedForChallengeTimeoutUnlessItAnswersTheChallenge() {
    NetworkSimulator sim = Sims.simulator(93);
    NodeIdentity hid = identity(93, 0);
    NodeIdentity sid = identity(93, 1);
    NodeIdentity mid = identity(93, 2);
    NodeIdentity oid = identity(93, 3);
    NodeIdentity jid = identity(93, 4);
    Map<NodeId, Long> genesis = new TreeMap<>(Map.of(hid.id(), 1_000_000L, sid.id(), 100_000L,
        mid.id(), 100_000L));
    EconomyConfig economy = economy(jid, Duration.ofSeconds(2));
    EdgeNode crashing = node(sim, sid, genesis, economy)
        .executor("reverse", 10, ctx -> Sims.reverse(ctx.payload())).build();
    EdgeNode muted = node(sim, mid, genesis, economy)
        .executor("reverse", 15, ctx -> Sims.reverse(ctx.payload())).build();
    EdgeNode other = node(sim, oid, genesis, economy)
        .executor("reverse", 20, ctx -> Sims.reverse(ctx.payload())).build();
    EdgeNode judge = node(sim, jid, genesis, economy).build();
    EdgeNode host = node(sim, hid, genesis, economy).build();
    sim.setInterceptor(mid.id(), (to, m, out) -> {
      if (!(to.equals(hid.id()) && m[4] == 0x53 && m[5] == 0x09)) { // its reveals to the host
        out.send(to, m);
      }
    });
    sim.runFor(Duration.ofSeconds(3));

    CompletableFuture<byte[]> f = host.submit(task("reverse", "who", 100, TEN_S));
    sim.runFor(Duration.ofMillis(100)); // the sealed bids are in, the shortlist is not out yet
    sim.crash(sid.id());
    runUntilDone(sim, f, TEN_S);
    assertEquals("ohw", Sims.text(f.join()));
    assertEquals(other.id(), host.task(new TaskId(hid.id(), 0)).orElseThrow().provider().get());
    assertEquals(2, host.metrics().economy().silentBidders());
    sim.runFor(Duration.ofSeconds(5)); // past the challenge timeout
    sim.restart(sid.id());
    sim.runFor(Duration.ofSeconds(15));

    assertEquals(1, judge.metrics().economy().verdicts(), "the crashed bidder");
    assertEquals(1, judge.metrics().economy().dismissed(), "the muted one answered");
    List<EdgeNode> everyone = List.of(crashing, muted, other, judge, host);
    long slashed = STAKE * Offense.CHALLENGE_TIMEOUT.defaultRateBps() / 10_000;
    assertConverged(everyone, 1_200_000, slashed);
    for (EdgeNode viewer : everyone) {
      assertEquals(100_000 - slashed, holdings(ledger(viewer), sid.id()), "on " + viewer.id());
      assertEquals(100_000, holdings(ledger(viewer), mid.id()), "on " + viewer.id());
    }
    everyone.forEach(EdgeNode::close);
  }
}
