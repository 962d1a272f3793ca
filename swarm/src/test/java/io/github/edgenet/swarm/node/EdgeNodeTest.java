package io.github.edgenet.swarm.node;

import static io.github.edgenet.swarm.node.Sims.identity;
import static io.github.edgenet.swarm.node.Sims.reason;
import static io.github.edgenet.swarm.node.Sims.reverse;
import static io.github.edgenet.swarm.node.Sims.runUntilDone;
import static io.github.edgenet.swarm.node.Sims.task;
import static io.github.edgenet.swarm.node.Sims.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.swarm.node.internal.Evidence;
import io.github.edgenet.swarm.node.internal.EvidenceLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EdgeNodeTest {
  private static final Duration FIVE_S = Duration.ofSeconds(5);

  private static EdgeNode worker(NetworkSimulator sim, int index, long price, TaskExecutor ex) {
    return EdgeNode.builder().simulator(sim).identity(identity(1, index))
        .executor("reverse", price, ex).build();
  }

  private static EdgeNode host(NetworkSimulator sim, EdgeNodeConfig config) {
    return EdgeNode.builder().simulator(sim).identity(identity(1, 0)).config(config).build();
  }

  @Test
  void aTaskSubmittedOnOneNodeRunsOnAnotherAndReturnsItsBytes() {
    NetworkSimulator sim = Sims.simulator(7);
    AtomicInteger runs = new AtomicInteger();
    EdgeNode worker = worker(sim, 1, 5, ctx -> {
      runs.incrementAndGet();
      return reverse(ctx.payload());
    });
    EdgeNode host = host(sim, EdgeNodeConfig.defaults());
    List<TaskEvent> events = new ArrayList<>();
    host.addListener(events::add);

    CompletableFuture<byte[]> f = host.submit(task("reverse", "hello edge", 10, FIVE_S));
    runUntilDone(sim, f, FIVE_S);

    assertEquals("egde olleh", text(f.join()));
    assertEquals(1, runs.get());
    assertEquals(1, worker.metrics().executions());
    assertEquals(0, host.metrics().executions());
    assertEquals(1, host.metrics().tasks(TaskState.COMPLETED));
    assertEquals(0, host.metrics().tasks(TaskState.REQUESTING));
    assertTrue(host.metrics().latencyP50Nanos() > 0);
    TaskEvent done = events.getLast();
    assertEquals(TaskEvent.Step.COMPLETED, done.step());
    assertEquals(worker.id(), done.peer());
    TaskRecord rec = host.task(done.task()).orElseThrow();
    assertEquals(TaskState.COMPLETED, rec.state());
    assertEquals(worker.id(), rec.provider().orElseThrow());
    assertEquals(10, rec.priceMicros(), "a lone sealed bid (5) is paid the reserve: the task's 10");
    assertEquals("egde olleh", text(rec.result().orElseThrow()));
    List<TaskEvent.Step> steps = events.stream().map(TaskEvent::step).distinct().toList();
    assertEquals(List.of(TaskEvent.Step.SUBMITTED, TaskEvent.Step.REQUESTED,
        TaskEvent.Step.OFFER_RECEIVED, TaskEvent.Step.BID_REVEALED, TaskEvent.Step.AWARDED,
        TaskEvent.Step.RESULT_RECEIVED, TaskEvent.Step.COMPLETED), steps);
    assertEquals("5", events.stream().filter(e -> e.step() == TaskEvent.Step.BID_REVEALED)
        .findFirst().orElseThrow().detail(), "the worker's sealed ask, opened");
    assertEquals(0, worker.metrics().rejectedTotal());
    assertEquals(0, host.metrics().rejectedTotal());
  }

  @Test
  void theCheapestSealedBidWinsAtTheSecondPrice() {
    NetworkSimulator sim = Sims.simulator(8);
    EdgeNode dear = worker(sim, 1, 9, ctx -> "dear".getBytes(StandardCharsets.UTF_8));
    EdgeNode cheap = worker(sim, 2, 3, ctx -> "cheap".getBytes(StandardCharsets.UTF_8));
    EdgeNode host = host(sim, EdgeNodeConfig.defaults());
    CompletableFuture<byte[]> f = host.submit(task("reverse", "x", 10, FIVE_S));
    runUntilDone(sim, f, FIVE_S);
    assertEquals("cheap", text(f.join()));
    assertEquals(0, dear.metrics().executions());
    assertEquals(1, cheap.metrics().executions());
    TaskRecord rec = host.task(new TaskId(host.id(), 0)).orElseThrow();
    assertEquals(9, rec.priceMicros(), "the winner (3) is paid the second-lowest ask (9)");
    assertEquals(9, host.metrics().economy().lastPricePaidMicros());
    assertEquals(1, host.metrics().economy().auctions());
  }

  @Test
  void withNobodyRunningTheTypeTheTaskFailsWithNoCandidate() {
    NetworkSimulator sim = Sims.simulator(9);
    worker(sim, 1, 5, ctx -> ctx.payload());
    EdgeNode host = host(sim, EdgeNodeConfig.defaults());
    CompletableFuture<byte[]> f = host.submit(task("translate", "x", 10, FIVE_S));
    runUntilDone(sim, f, FIVE_S);
    assertEquals(TaskFailedException.Reason.NO_CANDIDATE, reason(f));
    assertEquals(1, host.metrics().failuresByReason().get(TaskFailedException.Reason.NO_CANDIDATE));
    // three request rounds of 150 ms each, then the failure: well before the deadline
    assertTrue(sim.now() < Duration.ofSeconds(1).toNanos(), "failed at " + sim.now());
  }

  @Test
  void offersOverTheLimitFailWithPriceOverLimit() {
    NetworkSimulator sim = Sims.simulator(10);
    AtomicInteger runs = new AtomicInteger();
    worker(sim, 1, 50, ctx -> {
      runs.incrementAndGet();
      return ctx.payload();
    });
    EdgeNode host = host(sim, EdgeNodeConfig.defaults());
    CompletableFuture<byte[]> f = host.submit(task("reverse", "x", 49, FIVE_S));
    runUntilDone(sim, f, FIVE_S);
    assertEquals(TaskFailedException.Reason.PRICE_OVER_LIMIT, reason(f));
    assertEquals(0, runs.get());
  }

  @Test
  void aDeadlineShorterThanTheOfferWindowFailsWithDeadlineExceeded() {
    NetworkSimulator sim = Sims.simulator(11);
    worker(sim, 1, 5, ctx -> ctx.payload());
    EdgeNode host = host(sim, EdgeNodeConfig.defaults());
    CompletableFuture<byte[]> f = host.submit(task("reverse", "x", 10, Duration.ofMillis(100)));
    runUntilDone(sim, f, FIVE_S);
    assertEquals(TaskFailedException.Reason.DEADLINE_EXCEEDED, reason(f));
    assertEquals(Duration.ofMillis(100).toNanos(), sim.now() - sim.now() % 50_000_000L);
  }

  @Test
  void aCrashedProviderIsReplacedByTheNextCandidate() {
    NetworkSimulator sim = Sims.simulator(12);
    EdgeNode cheap = worker(sim, 1, 1, ctx -> "cheap".getBytes(StandardCharsets.UTF_8));
    worker(sim, 2, 2, ctx -> "backup".getBytes(StandardCharsets.UTF_8));
    EdgeNode host = host(sim, EdgeNodeConfig.defaults());
    CompletableFuture<byte[]> f = host.submit(task("reverse", "x", 10, FIVE_S));
    sim.runFor(Duration.ofMillis(140)); // offers are in, the award is not out yet
    sim.crash(cheap.id());
    runUntilDone(sim, f, FIVE_S);
    assertEquals("backup", text(f.join()));
  }

  @Test
  void whenEveryProvidersExecutorThrowsTheTaskIsRejected() {
    NetworkSimulator sim = Sims.simulator(19);
    AtomicInteger runs = new AtomicInteger();
    TaskExecutor broken = ctx -> {
      runs.incrementAndGet();
      throw new IllegalStateException("out of order");
    };
    worker(sim, 1, 1, broken);
    worker(sim, 2, 2, broken);
    EdgeNode host = host(sim, EdgeNodeConfig.defaults());
    CompletableFuture<byte[]> f = host.submit(task("reverse", "x", 10, FIVE_S));
    runUntilDone(sim, f, FIVE_S);
    assertEquals(TaskFailedException.Reason.REJECTED, reason(f));
    assertEquals(2, runs.get()); // each ran it once; a failed provider is not asked again
  }

  @Test
  void aSlowProviderIsAskedAgainAndItsLateResultIsAccepted() {
    NetworkSimulator sim = Sims.simulator(20);
    EdgeNode w = worker(sim, 1, 1, ctx -> reverse(ctx.payload()));
    EdgeNode host = host(sim, EdgeNodeConfig.builder().offerWindow(Duration.ofSeconds(2)).build());
    // a round trip takes 1.5 s: longer than the four sends of one award (1 s). Sealed bid at 1.5 s,
    // reveal at 2 + 1.5 s (the reveal window stretches to twice the measured round trip), result
    // at 3.5 + 1.5 s: the deadline leaves room for those three round trips.
    sim.setLinkBetween(w.id(), host.id(), io.github.edgenet.core.net.sim.LinkModel.of(
        io.github.edgenet.core.net.sim.LatencyModel.constant(Duration.ofMillis(750))));
    Duration eight = Duration.ofSeconds(8);
    CompletableFuture<byte[]> f = host.submit(task("reverse", "slow", 10, eight));
    runUntilDone(sim, f, eight);
    assertEquals("wols", text(f.join()));
    assertEquals(1, w.metrics().executions()); // the repeated awards were answered from storage
  }

  @Test
  void closeFailsPendingTasksWithNodeClosedAndRefusesNewOnes() {
    NetworkSimulator sim = Sims.simulator(13);
    worker(sim, 1, 5, ctx -> ctx.payload());
    EdgeNode host = host(sim, EdgeNodeConfig.defaults());
    CompletableFuture<byte[]> f = host.submit(task("reverse", "x", 10, FIVE_S));
    sim.runFor(Duration.ofMillis(10));
    host.close();
    assertTrue(f.isDone());
    assertEquals(TaskFailedException.Reason.NODE_CLOSED, reason(f));
    assertEquals(TaskFailedException.Reason.NODE_CLOSED,
        reason(host.submit(task("reverse", "y", 10, FIVE_S))));
    assertTrue(host.isClosed());
    host.close(); // idempotent
    sim.runFor(Duration.ofSeconds(2)); // nothing of the closed node runs any more
  }

  @Test
  void tooManyPendingTasksAreRejected() {
    NetworkSimulator sim = Sims.simulator(14);
    EdgeNode host = host(sim, EdgeNodeConfig.builder().maxPendingTasks(2).build());
    host.submit(task("reverse", "a", 10, FIVE_S));
    host.submit(task("reverse", "b", 10, FIVE_S));
    assertEquals(TaskFailedException.Reason.REJECTED,
        reason(host.submit(task("reverse", "c", 10, FIVE_S))));
  }

  @Test
  void aResultFailingTheVerifierIsEvidenceAndTheNextProviderRunsTheTask() {
    NetworkSimulator sim = Sims.simulator(15);
    EdgeNode liar = worker(sim, 1, 1, ctx -> "wrong".getBytes(StandardCharsets.UTF_8));
    worker(sim, 2, 2, ctx -> reverse(ctx.payload()));
    EdgeNode host = EdgeNode.builder().simulator(sim).identity(identity(1, 0))
        .verifier("reverse", (t, r) -> Arrays.equals(r, reverse(t.payload()))).build();
    CompletableFuture<byte[]> f = host.submit(task("reverse", "abc", 10, FIVE_S));
    runUntilDone(sim, f, FIVE_S);
    assertEquals("cba", text(f.join()));
    assertEquals(1, host.metrics().misbehaviourRecords());
    Evidence ev = ((EvidenceLog) host.engine().seams().misbehaviour()).recent().getFirst();
    assertEquals(Evidence.Kind.FAILED_VERIFICATION, ev.kind());
    assertEquals(liar.id(), ev.accused());
  }

  @Test
  void aCrossCheckMismatchIsSettledByAThirdProviderAndRecordedAgainstTheLiar() {
    NetworkSimulator sim = Sims.simulator(16);
    EdgeNode liar = worker(sim, 1, 1, ctx -> "wrong".getBytes(StandardCharsets.UTF_8));
    AtomicInteger honestRuns = new AtomicInteger();
    TaskExecutor honest = ctx -> {
      honestRuns.incrementAndGet();
      return reverse(ctx.payload());
    };
    worker(sim, 2, 2, honest);
    worker(sim, 3, 3, honest);
    EdgeNode host = host(sim, EdgeNodeConfig.builder().crossCheckFraction(1.0).build());
    CompletableFuture<byte[]> f = host.submit(task("reverse", "abc", 10, FIVE_S));
    runUntilDone(sim, f, FIVE_S);
    assertEquals("cba", text(f.join()));
    assertEquals(2, honestRuns.get());
    Evidence ev = ((EvidenceLog) host.engine().seams().misbehaviour()).recent().getFirst();
    assertEquals(Evidence.Kind.CROSS_CHECK_MISMATCH, ev.kind());
    assertEquals(liar.id(), ev.accused());
    assertEquals(2, ev.witnessFrames().size());
  }

  @Test
  void withCrossCheckingOnTwoHonestProvidersBothRunIt() {
    NetworkSimulator sim = Sims.simulator(17);
    EdgeNode a = worker(sim, 1, 1, ctx -> reverse(ctx.payload()));
    EdgeNode b = worker(sim, 2, 2, ctx -> reverse(ctx.payload()));
    EdgeNode host = host(sim, EdgeNodeConfig.builder().crossCheckFraction(1.0).build());
    CompletableFuture<byte[]> f = host.submit(task("reverse", "abc", 10, FIVE_S));
    runUntilDone(sim, f, FIVE_S);
    assertEquals("cba", text(f.join()));
    assertEquals(1, a.metrics().executions());
    assertEquals(1, b.metrics().executions());
    assertEquals(0, host.metrics().misbehaviourRecords());
  }

  @Test
  void theExecutorSeesTheTaskEmbeddingThroughAPooledAdapter() {
    NetworkSimulator sim = Sims.simulator(18);
    List<TaskContext> seen = new ArrayList<>();
    EdgeNode w = worker(sim, 1, 1, ctx -> {
      seen.add(ctx);
      return new byte[0];
    });
    EdgeNode host = host(sim, EdgeNodeConfig.defaults());
    Task t = task("reverse", "abc", 10, FIVE_S);
    runUntilDone(sim, host.submit(t), FIVE_S);
    runUntilDone(sim, host.submit(t), FIVE_S);
    assertEquals(2, seen.size());
    assertTrue(Arrays.equals(t.embedding(), seen.get(0).embedding()));
    assertEquals(Sims.DIM, seen.get(0).adapter().inputDim());
    assertEquals(seen.get(0).adapterKey(), seen.get(1).adapterKey()); // the same task reuses it
    assertEquals(1, w.metrics().adapterHits());
    assertEquals(1, w.metrics().adapterMisses());
  }

  @Test
  void invalidArgumentsAreRefusedWithTheirNames() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EdgeNodeConfig.builder().crossCheckFraction(1.5).build());
    assertTrue(e.getMessage().contains("crossCheckFraction"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> EdgeNodeConfig.builder().requestFanout(0).build());
    assertTrue(e.getMessage().contains("requestFanout"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Task("has space", new byte[0], new float[] {1}, 1, FIVE_S));
    assertTrue(e.getMessage().contains("type"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Task("t", new byte[0], new float[] {0, 0}, 1, FIVE_S));
    assertTrue(e.getMessage().contains("zero"), e.getMessage());
    EdgeNode host = host(Sims.simulator(1), EdgeNodeConfig.defaults());
    e = assertThrows(IllegalArgumentException.class,
        () -> host.submit(new Task("t", new byte[0], new float[] {1, 2}, 1, FIVE_S)));
    assertTrue(e.getMessage().contains("embeddingDimension"), e.getMessage());
    assertFalse(host.isClosed());
    assertThrows(IllegalArgumentException.class,
        () -> EdgeNode.builder().executor("a", 1, c -> null).executor("a", 2, c -> null));
    e = assertThrows(IllegalArgumentException.class,
        () -> EdgeNodeConfig.builder().maxTaskPayloadBytes(1 << 20).build());
    assertTrue(e.getMessage().contains("envelopeLimits.maxPayloadBytes() = 262144"), e.getMessage());
    NetworkSimulator sim = Sims.simulator(2);
    e = assertThrows(IllegalArgumentException.class, () -> EdgeNode.builder()
        .network(sim.addNode(identity(1, 5).id())).identity(identity(1, 6)).build());
    assertTrue(e.getMessage().contains("is not the identity's node"), e.getMessage());
  }
}
