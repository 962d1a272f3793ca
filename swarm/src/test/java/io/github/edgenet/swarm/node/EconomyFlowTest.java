package io.github.edgenet.swarm.node;

import static io.github.edgenet.swarm.node.Sims.identity;
import static io.github.edgenet.swarm.node.Sims.runUntilDone;
import static io.github.edgenet.swarm.node.Sims.task;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.SimulatedNode;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import io.github.edgenet.swarm.node.internal.LedgerSettlement;
import io.github.edgenet.swarm.node.internal.MarketPricing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The economy in the task flow: escrow, release and refund as signed operations on the replicated
 * ledger, priced by each provider's compute pool. Every check is made on every node's own copy of
 * the ledger after the network quiets.
 */
class EconomyFlowTest {
  private static final Duration TEN_S = Duration.ofSeconds(10);
  private static final long GRANT = 1_000_000;
  /**
   * No stake (a provider's balance is then exactly what it earned) and a short vesting schedule
   * (everything vests, and is claimed, within the seconds of quiet each test allows).
   */
  static final EconomyConfig ECONOMY = EconomyConfig.builder().stake(0)
      .vesting(Duration.ofSeconds(1), Duration.ofSeconds(4))
      .vestingClaimInterval(Duration.ofSeconds(1)).build();

  private static Ledger ledger(EdgeNode n) {
    return n.economy().ledger();
  }

  private static MarketPricing pricing(EdgeNode n) {
    return (MarketPricing) n.engine().seams().pricing();
  }

  /** Every node holds the same state, supply is the genesis total, no escrow is left open. */
  private static void assertConverged(List<EdgeNode> nodes, long genesisTotal) {
    byte[] digest = ledger(nodes.getFirst()).stateDigest();
    for (EdgeNode n : nodes) {
      Ledger l = ledger(n);
      assertArrayEquals(digest, l.stateDigest(), "state digest on " + n.id());
      assertEquals(genesisTotal, l.supply(), "supply on " + n.id());
      assertEquals(genesisTotal, l.circulating(), "circulating on " + n.id());
      for (EdgeNode m : nodes) {
        assertEquals(0, l.account(m.id()).escrowed(), "open escrow of " + m.id() + " on " + n.id());
      }
      assertEquals(0, n.economy().refusals(), "refused operations on " + n.id());
    }
  }

  private static List<EdgeNode> all(List<EdgeNode> a, List<EdgeNode> b) {
    List<EdgeNode> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /**
   * The restart tests' setup: a worker selling "reverse" at 700 and the submitter's network node,
   * on which {@link #host} builds the submitter (again after a restart) over one storage folder.
   */
  private record Restart(NetworkSimulator sim, NodeIdentity hid, NodeIdentity wid,
      Map<NodeId, Long> genesis, EdgeNode worker, SimulatedNode hnet) {
    static Restart of(long seed) {
      NetworkSimulator sim = Sims.simulator(seed);
      NodeIdentity hid = identity(seed, 0);
      NodeIdentity wid = identity(seed, 1);
      Map<NodeId, Long> genesis = Map.of(hid.id(), GRANT);
      EdgeNode worker = EdgeNode.builder().simulator(sim).identity(wid).genesis(genesis)
          .economy(ECONOMY)
          .executor("reverse", 700, ctx -> Sims.reverse(ctx.payload())).build();
      return new Restart(sim, hid, wid, genesis, worker, sim.addNode(hid.id()));
    }

    EdgeNode.Builder host(Path dir) {
      return EdgeNode.builder().network(hnet).identity(hid).storage(dir).genesis(genesis)
          .economy(ECONOMY);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {31, 32})
  void tasksMoveExactlyTheAgreedPricesOnEveryNodesLedger(long seed) {
    System.out.println("EconomyFlowTest seed " + seed);
    NetworkSimulator sim = NetworkSimulator.builder().seed(seed).loss(0.02).duplication(0.01)
        .build();
    RandomSource r = RandomSource.seeded(seed);
    List<NodeIdentity> hostIds = List.of(identity(seed, 0), identity(seed, 1));
    Map<NodeId, Long> genesis = new TreeMap<>();
    hostIds.forEach(h -> genesis.put(h.id(), GRANT));
    List<EdgeNode> providers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      long price = 50 + r.nextInt(200);
      providers.add(EdgeNode.builder().simulator(sim).identity(identity(seed, 10 + i))
          .genesis(genesis)
          .economy(ECONOMY).executor("reverse", price, ctx -> Sims.reverse(ctx.payload())).build());
    }
    List<EdgeNode> hosts = new ArrayList<>();
    Map<EdgeNode, List<TaskId>> done = new HashMap<>();
    for (NodeIdentity h : hostIds) {
      List<TaskId> ids = new ArrayList<>();
      EdgeNode host = EdgeNode.builder().simulator(sim).identity(h).genesis(genesis)
          .economy(ECONOMY)
          .listener(e -> {
            if (e.step() == TaskEvent.Step.COMPLETED) {
              ids.add(e.task());
            }
          }).build();
      hosts.add(host);
      done.put(host, ids);
    }
    sim.runFor(Duration.ofSeconds(3)); // announcements, genesis mints replicated

    List<CompletableFuture<byte[]>> futures = new ArrayList<>();
    for (int t = 0; t < 24; t++) {
      EdgeNode host = hosts.get(t % 2);
      futures.add(host.submit(task("reverse", "job " + seed + " " + t, 100_000, TEN_S)));
      sim.runFor(Duration.ofMillis(100 + r.nextInt(300)));
    }
    for (CompletableFuture<byte[]> f : futures) {
      runUntilDone(sim, f, TEN_S);
    }
    sim.runFor(Duration.ofSeconds(20)); // the network quiets: gossip and anti-entropy catch up

    Map<NodeId, Long> earned = new HashMap<>();
    Map<NodeId, Long> paid = new HashMap<>();
    int completed = 0;
    for (EdgeNode host : hosts) {
      for (TaskId id : done.get(host)) {
        TaskRecord rec = host.task(id).orElseThrow();
        assertEquals(TaskState.COMPLETED, rec.state());
        NodeId p = rec.provider().orElseThrow();
        assertTrue(rec.priceMicros() > 0, "price of " + id);
        earned.merge(p, rec.priceMicros(), Long::sum);
        paid.merge(host.id(), rec.priceMicros(), Long::sum);
        completed++;
        // The escrow the submitter locked names this provider, this task and the agreed price.
        byte[] ref = LedgerSettlement.taskReference(id);
        long locked = 0;
        for (Operation op : ledger(providers.getFirst()).operations(host.id(), 0, 10_000)) {
          if (op.body() instanceof OperationBody.EscrowLock l && Arrays.equals(l.task(), ref)
              && l.worker().equals(p)) {
            locked += l.amount();
          }
        }
        assertEquals(rec.priceMicros(), locked, "escrow of " + id);
      }
    }
    assertTrue(completed >= 22, "completed " + completed + " of 24");
    List<EdgeNode> everyone = all(hosts, providers);
    assertConverged(everyone, 2 * GRANT);
    long moved = 0;
    for (EdgeNode viewer : everyone) {
      for (EdgeNode h : hosts) {
        assertEquals(GRANT - paid.getOrDefault(h.id(), 0L),
            ledger(viewer).account(h.id()).balance(),
            "balance of submitter " + h.id() + " on " + viewer.id());
      }
      for (EdgeNode p : providers) {
        assertEquals(earned.getOrDefault(p.id(), 0L), ledger(viewer).account(p.id()).balance(),
            "balance of provider " + p.id() + " on " + viewer.id());
      }
    }
    for (long v : paid.values()) {
      moved += v;
    }
    assertTrue(moved > 0);
    System.out.println("EconomyFlowTest: " + completed + " tasks, " + moved + " micros moved, "
        + ledger(hosts.getFirst()).size() + " operations on every ledger");
    everyone.forEach(EdgeNode::close);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {41})
  void aFailedTasksEscrowIsRefundedOnEveryNode(long seed) {
    System.out.println("EconomyFlowTest seed " + seed);
    NetworkSimulator sim = Sims.simulator(seed);
    NodeIdentity hostId = identity(seed, 0);
    Map<NodeId, Long> genesis = Map.of(hostId.id(), GRANT);
    EdgeNode broken = EdgeNode.builder().simulator(sim).identity(identity(seed, 1)).genesis(genesis)
        .economy(ECONOMY)
        .executor("reverse", 300, ctx -> {
          throw new IllegalStateException("out of memory, say");
        }).build();
    EdgeNode host = EdgeNode.builder().simulator(sim).identity(hostId).genesis(genesis)
        .economy(ECONOMY).build();
    EdgeNode bystander = EdgeNode.builder().simulator(sim).identity(identity(seed, 2))
        .genesis(genesis).economy(ECONOMY).build();
    sim.runFor(Duration.ofSeconds(3));

    CompletableFuture<byte[]> f = host.submit(task("reverse", "doomed", 1_000, TEN_S));
    runUntilDone(sim, f, Duration.ofSeconds(15));
    assertTrue(f.isCompletedExceptionally());
    sim.runFor(Duration.ofSeconds(10));

    List<EdgeNode> everyone = List.of(broken, host, bystander);
    assertConverged(everyone, GRANT);
    for (EdgeNode viewer : everyone) {
      assertEquals(GRANT, ledger(viewer).account(host.id()).balance(), "on " + viewer.id());
      assertEquals(0, ledger(viewer).account(broken.id()).balance(), "on " + viewer.id());
      long locks = 0;
      long refunds = 0;
      for (Operation op : ledger(viewer).operations(host.id(), 0, 100)) {
        // the lone sealed bid (300) is paid the reserve: the task's limit of 1,000
        locks += op.body() instanceof OperationBody.EscrowLock l && l.amount() == 1_000 ? 1 : 0;
        refunds += op.body() instanceof OperationBody.EscrowRefund ? 1 : 0;
      }
      assertEquals(1, locks, "the award's escrow on " + viewer.id());
      assertEquals(1, refunds, "its refund on " + viewer.id());
    }
    everyone.forEach(EdgeNode::close);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {51})
  void aBusyProvidersQuoteRisesOverTheLimitAndRelaxesWhenIdle(long seed) {
    System.out.println("EconomyFlowTest seed " + seed);
    NetworkSimulator sim = Sims.simulator(seed);
    NodeIdentity hostId = identity(seed, 0);
    Map<NodeId, Long> genesis = Map.of(hostId.id(), GRANT);
    long idle = 1_000;
    EdgeNode worker = EdgeNode.builder().simulator(sim).identity(identity(seed, 1)).genesis(genesis)
        .economy(ECONOMY)
        .executor("reverse", idle, ctx -> Sims.reverse(ctx.payload())).build();
    EdgeNode host = EdgeNode.builder().simulator(sim).identity(hostId).genesis(genesis)
        .economy(ECONOMY).build();
    sim.runFor(Duration.ofSeconds(3));
    assertEquals(idle, pricing(worker).quote("reverse").getAsLong());

    // Six tasks at once: all offered (and awarded) at the idle quote, which binds the worker.
    List<CompletableFuture<byte[]>> burst = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      burst.add(host.submit(task("reverse", "burst " + t, idle, TEN_S)));
    }
    for (CompletableFuture<byte[]> f : burst) {
      runUntilDone(sim, f, TEN_S);
      assertEquals(false, f.isCompletedExceptionally());
    }
    long busy = pricing(worker).quote("reverse").getAsLong();
    assertTrue(busy > idle, "busy quote " + busy + " vs idle " + idle);

    // Priced over the submitter's limit while busy.
    CompletableFuture<byte[]> over = host.submit(task("reverse", "too dear", idle, TEN_S));
    runUntilDone(sim, over, TEN_S);
    assertEquals(TaskFailedException.Reason.PRICE_OVER_LIMIT, Sims.reason(over));

    // Idle for a while: the quote relaxes, step by step, back to exactly the registered price.
    sim.runFor(Duration.ofMillis(1_500));
    long relaxing = pricing(worker).quote("reverse").getAsLong();
    assertTrue(relaxing < busy, relaxing + " after " + busy);
    sim.runFor(Duration.ofSeconds(10));
    assertEquals(idle, pricing(worker).quote("reverse").getAsLong());
    CompletableFuture<byte[]> again = host.submit(task("reverse", "cheap again", idle, TEN_S));
    runUntilDone(sim, again, TEN_S);
    assertEquals("niaga paehc", Sims.text(again.join()));
    sim.runFor(Duration.ofSeconds(10));

    List<EdgeNode> everyone = List.of(worker, host);
    assertConverged(everyone, GRANT);
    for (EdgeNode viewer : everyone) {
      assertEquals(7 * idle, ledger(viewer).account(worker.id()).balance(), "on " + viewer.id());
      assertEquals(GRANT - 7 * idle, ledger(viewer).account(host.id()).balance());
    }
    everyone.forEach(EdgeNode::close);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {61})
  void aSubmitterRestartedMidTaskPaysOnceFromItsStoredLedger(long seed, @TempDir Path dir) {
    System.out.println("EconomyFlowTest seed " + seed);
    Restart r = Restart.of(seed);
    NetworkSimulator sim = r.sim();
    NodeIdentity hid = r.hid();
    NodeIdentity wid = r.wid();
    EdgeNode worker = r.worker();
    EdgeNodeConfig patient = EdgeNodeConfig.builder().awardAttempts(40).build();
    EdgeNode first = r.host(dir).config(patient).build();
    sim.runFor(Duration.ofSeconds(3));
    sim.setInterceptor(wid.id(), Sims.DROP_RESULTS); // the task stays awarded, escrowed
    first.submit(task("reverse", "restart", 100_000, Duration.ofSeconds(30)));
    sim.runFor(Duration.ofSeconds(1));
    // the worker's lone sealed bid (700) is paid the reserve, the task's limit
    assertEquals(100_000, ledger(first).account(hid.id()).escrowed());

    sim.crash(hid.id()); // abrupt: the old node object is abandoned, its ledger file stays
    EdgeNode second = r.host(dir).config(patient).build();
    TaskId id = new TaskId(hid.id(), 0);
    CompletableFuture<byte[]> resumed = second.await(id).orElseThrow();
    sim.setInterceptor(wid.id(), null);
    sim.restart(hid.id());
    runUntilDone(sim, resumed, Duration.ofSeconds(30));
    assertEquals("tratser", Sims.text(resumed.join()));
    sim.runFor(Duration.ofSeconds(10));

    long price = second.task(id).orElseThrow().priceMicros();
    List<EdgeNode> everyone = List.of(worker, second);
    assertConverged(everyone, GRANT);
    for (EdgeNode viewer : everyone) {
      assertEquals(GRANT, ledger(viewer).minted(), "minted once, on " + viewer.id());
      assertEquals(price, ledger(viewer).account(wid.id()).balance(), "on " + viewer.id());
      assertEquals(GRANT - price, ledger(viewer).account(hid.id()).balance(), "on " + viewer.id());
    }
    assertTrue(java.nio.file.Files.exists(dir.resolve(Ledger.FILE_NAME)));
    everyone.forEach(EdgeNode::close);
  }

  /**
   * The store commits a task's end before the ledger's payment; a stop in between leaves the lock
   * open. The restarted node pays it (a stored completion, to the recorded provider at the recorded
   * price) or refunds it (a stored failure), and a resumed task that fails without another award
   * has its earlier lock refunded. The first two write the stored end into the stopped node's
   * database by hand.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"COMPLETED", "FAILED", "RESUMED_THEN_FAILED"})
  void aLockLeftOpenByAStopIsSettledByTheStoredEnd(String end, @TempDir Path dir)
      throws java.sql.SQLException {
    long seed = 62;
    System.out.println("EconomyFlowTest seed " + seed + " " + end);
    Restart r = Restart.of(seed);
    NetworkSimulator sim = r.sim();
    NodeIdentity hid = r.hid();
    NodeIdentity wid = r.wid();
    EdgeNode worker = r.worker();
    EdgeNode first = r.host(dir).build();
    sim.runFor(Duration.ofSeconds(3));
    sim.setInterceptor(wid.id(), Sims.DROP_RESULTS); // the task stays awarded, escrowed
    first.submit(task("reverse", "stopped", 100_000, Duration.ofSeconds(8)));
    sim.runFor(Duration.ofSeconds(1));
    assertEquals(100_000, ledger(first).account(hid.id()).escrowed());
    sim.crash(hid.id());
    if (!end.equals("RESUMED_THEN_FAILED")) { // the end the stopped node had stored
      try (java.sql.Connection c = java.sql.DriverManager.getConnection(
          "jdbc:sqlite:" + dir.resolve("node.db"));
          java.sql.PreparedStatement u = c.prepareStatement(
              "UPDATE submitted SET state = ?, provider = ?, price = ? WHERE number = 0")) {
        u.setString(1, end);
        u.setBytes(2, wid.id().toBytes());
        u.setLong(3, 100_000);
        assertEquals(1, u.executeUpdate());
      }
    } else {
      sim.crash(wid.id()); // nobody to award again: the resumed task runs out of time
    }
    EdgeNode second = r.host(dir).build();
    sim.setInterceptor(wid.id(), null);
    sim.restart(hid.id());
    sim.runFor(Duration.ofSeconds(15));
    if (end.equals("RESUMED_THEN_FAILED")) {
      assertEquals(TaskState.FAILED, second.task(new TaskId(hid.id(), 0)).orElseThrow().state());
      sim.restart(wid.id());
      sim.runFor(Duration.ofSeconds(10));
    }
    long paid = end.equals("COMPLETED") ? 100_000 : 0;
    List<EdgeNode> everyone = List.of(worker, second);
    assertConverged(everyone, GRANT);
    for (EdgeNode viewer : everyone) {
      assertEquals(paid, ledger(viewer).account(wid.id()).balance(), "on " + viewer.id());
      assertEquals(GRANT - paid, ledger(viewer).account(hid.id()).balance(), "on " + viewer.id());
    }
    everyone.forEach(EdgeNode::close);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {71})
  void aLiarIsRefundedNothingAndTheEvidenceIsOnEveryNodesLedger(long seed) {
    System.out.println("EconomyFlowTest seed " + seed);
    NetworkSimulator sim = Sims.simulator(seed);
    NodeIdentity hid = identity(seed, 0);
    Map<NodeId, Long> genesis = Map.of(hid.id(), GRANT);
    EdgeNode liar = EdgeNode.builder().simulator(sim).identity(identity(seed, 1)).genesis(genesis)
        .economy(ECONOMY)
        .executor("reverse", 10, ctx -> ctx.payload()).build(); // cheap, and wrong
    EdgeNode honest = EdgeNode.builder().simulator(sim).identity(identity(seed, 2))
        .genesis(genesis)
        .economy(ECONOMY).executor("reverse", 20, ctx -> Sims.reverse(ctx.payload())).build();
    EdgeNode host = EdgeNode.builder().simulator(sim).identity(hid).genesis(genesis)
        .economy(ECONOMY)
        .verifier("reverse", (t, result) -> Arrays.equals(result, Sims.reverse(t.payload())))
        .build();
    sim.runFor(Duration.ofSeconds(3));
    CompletableFuture<byte[]> f = host.submit(task("reverse", "check me", 100, TEN_S));
    runUntilDone(sim, f, TEN_S);
    assertEquals("em kcehc", Sims.text(f.join()));
    sim.runFor(Duration.ofSeconds(10));

    assertEquals(1, host.metrics().misbehaviourRecords(), "the liar was tried first and caught");
    List<EdgeNode> everyone = List.of(liar, honest, host);
    assertConverged(everyone, GRANT);
    byte[] ref = LedgerSettlement.taskReference(new TaskId(hid.id(), 0));
    for (EdgeNode viewer : everyone) {
      assertEquals(0, ledger(viewer).account(liar.id()).balance(), "on " + viewer.id());
      assertEquals(20, ledger(viewer).account(honest.id()).balance(), "on " + viewer.id());
      assertEquals(GRANT - 20, ledger(viewer).account(hid.id()).balance(), "on " + viewer.id());
      List<Operation> evidence = viewer.economy().publishedEvidence();
      assertEquals(1, evidence.size(), "published evidence on " + viewer.id());
      byte[] data = ((OperationBody.Application) evidence.getFirst().body()).data();
      assertEquals(hid.id(), evidence.getFirst().account(), "signed by the submitter");
      assertArrayEquals(ref, Arrays.copyOfRange(data, 1, 33), "the task");
      assertArrayEquals(liar.id().toBytes(), Arrays.copyOfRange(data, 33, 65), "the accused");
    }
    everyone.forEach(EdgeNode::close);
  }
}
