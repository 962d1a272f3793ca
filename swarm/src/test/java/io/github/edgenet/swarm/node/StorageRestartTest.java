package io.github.edgenet.swarm.node;

import static io.github.edgenet.swarm.node.Sims.DROP_RESULTS;
import static io.github.edgenet.swarm.node.Sims.identity;
import static io.github.edgenet.swarm.node.Sims.reverse;
import static io.github.edgenet.swarm.node.Sims.runUntilDone;
import static io.github.edgenet.swarm.node.Sims.task;
import static io.github.edgenet.swarm.node.Sims.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.SimulatedNode;
import io.github.edgenet.swarm.node.internal.SwarmCoordination;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node rebuilt on its storage directory after an abrupt stop resumes and never runs twice. */
class StorageRestartTest {
  private static final Duration LONG = Duration.ofSeconds(30);
  /** Patient submitters: an award is re-sent for 10 s before the provider is given up. */
  private static final EdgeNodeConfig PATIENT = EdgeNodeConfig.builder().awardAttempts(40).build();


  @Test
  void aProviderStoppedAfterRunningATaskAnswersTheRepeatedAwardFromStorage(@TempDir Path dir) {
    NetworkSimulator sim = Sims.simulator(21);
    NodeIdentity wid = identity(2, 1);
    AtomicInteger runs = new AtomicInteger();
    TaskExecutor ex = ctx -> {
      runs.incrementAndGet();
      return reverse(ctx.payload());
    };
    SimulatedNode wnet = sim.addNode(wid.id());
    EdgeNode first = EdgeNode.builder().network(wnet).identity(wid).storage(dir)
        .executor("reverse", 5, ex).build();
    EdgeNode host = EdgeNode.builder().simulator(sim).identity(identity(2, 0)).config(PATIENT)
        .build();
    sim.setInterceptor(wid.id(), DROP_RESULTS); // the result never leaves: the host keeps asking

    CompletableFuture<byte[]> f = host.submit(task("reverse", "durable", 10, LONG));
    sim.runFor(Duration.ofSeconds(1));
    assertEquals(1, runs.get());
    assertEquals(1, first.metrics().executions());
    assertFalse(f.isDone());

    sim.crash(wid.id()); // abrupt: no close(), the old object is simply abandoned
    EdgeNode second = EdgeNode.builder().network(wnet).identity(wid).storage(dir)
        .executor("reverse", 5, ex).build();
    sim.setInterceptor(wid.id(), null);
    sim.restart(wid.id());
    runUntilDone(sim, f, LONG);

    assertEquals("elbarud", text(f.join()));
    assertEquals(1, runs.get(), "the task ran exactly once across the restart");
    assertEquals(0, second.metrics().executions());
    assertTrue(second.metrics().executionsFromStore() >= 1);
    assertEquals(1, host.metrics().tasks(TaskState.COMPLETED));
    assertTrue(Files.exists(dir.resolve("node.db")));
  }

  @Test
  void aSubmitterStoppedMidTaskResumesItOnTheSameDirectory(@TempDir Path dir) {
    NetworkSimulator sim = Sims.simulator(22);
    AtomicInteger runs = new AtomicInteger();
    NodeIdentity wid = identity(3, 1);
    EdgeNode.builder().simulator(sim).identity(wid).executor("reverse", 5, ctx -> {
      runs.incrementAndGet();
      return reverse(ctx.payload());
    }).build();
    NodeIdentity hid = identity(3, 0);
    SimulatedNode hnet = sim.addNode(hid.id());
    EdgeNode first = EdgeNode.builder().network(hnet).identity(hid).storage(dir).config(PATIENT)
        .build();
    sim.setInterceptor(wid.id(), DROP_RESULTS);
    CompletableFuture<byte[]> lost = first.submit(task("reverse", "resume", 10, LONG));
    sim.runFor(Duration.ofSeconds(1));
    assertEquals(1, runs.get());
    TaskId id = new TaskId(hid.id(), 0);
    assertEquals(TaskState.AWARDED, first.task(id).orElseThrow().state());

    sim.crash(hid.id());
    EdgeNode second = EdgeNode.builder().network(hnet).identity(hid).storage(dir).config(PATIENT)
        .build();
    CompletableFuture<byte[]> resumed = second.await(id).orElseThrow();
    sim.setInterceptor(wid.id(), null);
    sim.restart(hid.id());
    runUntilDone(sim, resumed, LONG);

    assertEquals("emuser", text(resumed.join()));
    assertFalse(lost.isDone(), "the abandoned object's future is simply never completed");
    assertEquals(1, runs.get(), "the provider answered the resumed task from its storage");
    TaskRecord rec = second.task(id).orElseThrow();
    assertEquals(TaskState.COMPLETED, rec.state());
    assertEquals(wid.id(), rec.provider().orElseThrow());
    // the task counter survived too: the next task gets the next number
    CompletableFuture<byte[]> next = second.submit(task("reverse", "next", 10, LONG));
    runUntilDone(sim, next, LONG);
    assertTrue(second.task(new TaskId(hid.id(), 1)).isPresent());
    assertEquals("txen", text(next.join()));
    second.close();

    EdgeNode reopened = EdgeNode.builder().network(sim.addNode(identity(3, 9).id()))
        .identity(identity(3, 9)).build();
    assertTrue(reopened.task(id).isEmpty()); // another node knows nothing of it
  }

  @Test
  void theKeyFileInTheStorageDirectoryKeepsTheIdentity(@TempDir Path dir) {
    NetworkSimulator sim = Sims.simulator(23);
    EdgeNode a = EdgeNode.builder().simulator(sim).storage(dir).keyPassword("s3cret".toCharArray())
        .build();
    a.close();
    assertTrue(Files.exists(dir.resolve("node.key")));
    NetworkSimulator sim2 = Sims.simulator(24);
    EdgeNode b = EdgeNode.builder().simulator(sim2).storage(dir)
        .keyPassword("s3cret".toCharArray()).build();
    assertEquals(a.id(), b.id());
    b.close();
    assertThrows(UncheckedIOException.class, () -> EdgeNode.builder().simulator(sim2).storage(dir)
        .keyPassword("wrong".toCharArray()).build());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> EdgeNode.builder().simulator(sim2).storage(dir).build());
    assertTrue(e.getMessage().contains("keyPassword"), e.getMessage());
  }

  /**
   * The swarm state a submitter writes (its allocation statistics, pheromone deposits and memory
   * patterns) is an origin's grow-only registers: a node that restarted from nothing would be
   * ignored by its peers until it caught up. Rebuilt on its directory, it resumes its registers,
   * and a peer's view of its statistics then counts the tasks of both lives.
   */
  @Test
  void aRestartedNodeKeepsItsSwarmRegistersAndItsPeersCountBothLives(@TempDir Path dir) {
    NetworkSimulator sim = Sims.simulator(24);
    EdgeNode worker = EdgeNode.builder().simulator(sim).identity(identity(4, 1))
        .executor("reverse", 5, ctx -> reverse(ctx.payload())).build();
    EdgeNode peer = EdgeNode.builder().simulator(sim).identity(identity(4, 2)).build();
    NodeIdentity hid = identity(4, 0);
    SimulatedNode hnet = sim.addNode(hid.id());
    EdgeNode first = EdgeNode.builder().network(hnet).identity(hid).storage(dir).build();
    sim.runFor(Duration.ofSeconds(3));
    for (int i = 0; i < 5; i++) {
      runUntilDone(sim, first.submit(task("reverse", "life one " + i, 1_000, LONG)), LONG);
    }
    sim.runFor(Duration.ofSeconds(5)); // a sharing tick stores and gossips the registers
    var trails = swarm(first).trails().trails();
    long patterns = swarm(first).memory().patterns();
    assertEquals(5, swarm(first).allocator().posterior(worker.id(), "reverse").observations());
    assertEquals(5, swarm(peer).allocator().posterior(worker.id(), "reverse").observations());
    assertTrue(!trails.isEmpty() && patterns > 0, trails + ", " + patterns + " patterns");

    sim.crash(hid.id());
    EdgeNode second = EdgeNode.builder().network(hnet).identity(hid).storage(dir).build();
    sim.restart(hid.id());
    assertEquals(5, swarm(second).allocator().posterior(worker.id(), "reverse").observations());
    assertEquals(trails, swarm(second).trails().trails());
    assertEquals(patterns, swarm(second).memory().patterns());
    for (int i = 0; i < 3; i++) {
      runUntilDone(sim, second.submit(task("reverse", "life two " + i, 1_000, LONG)), LONG);
    }
    sim.runFor(Duration.ofSeconds(12)); // past a full share
    assertEquals(8, swarm(second).allocator().posterior(worker.id(), "reverse").observations());
    assertEquals(8, swarm(peer).allocator().posterior(worker.id(), "reverse").observations(),
        "the peer counts both lives");
    assertTrue(swarm(peer).trails().level("reverse", worker.id())
        > swarm(second).trails().level("reverse", worker.id()) * 0.99, "the peer holds its trail");
  }

  private static SwarmCoordination swarm(EdgeNode node) {
    return (SwarmCoordination) node.engine().seams().candidates();
  }

  /**
   * The adapter index outlives the pool's budget: a task whose embedding matches an adapter the
   * pool evicted runs with that same stored adapter again (put back into the pool), not a new one.
   * Three orthogonal embeddings through a pool that holds two.
   */
  @Test
  void anAdapterEvictedFromThePoolIsReloadedFromTheIndexNotCreatedAgain(@TempDir Path dir) {
    NetworkSimulator sim = Sims.simulator(25);
    int dim = 8;
    EdgeNodeConfig small = EdgeNodeConfig.builder().embeddingDimension(dim).adapterRank(2)
        .adapterPoolBytes(1_024).build(); // about two adapters of rank 2 over 8 dimensions
    List<String> keys = new ArrayList<>();
    EdgeNode worker = EdgeNode.builder().simulator(sim).identity(identity(5, 1)).storage(dir)
        .config(small).executor("reverse", 5, ctx -> {
          keys.add(ctx.adapterKey());
          return reverse(ctx.payload());
        }).build();
    EdgeNode host = EdgeNode.builder().simulator(sim).identity(identity(5, 0)).config(small)
        .build();
    sim.runFor(Duration.ofSeconds(3));
    for (int axis : new int[] {0, 1, 2, 0}) {
      float[] e = new float[dim];
      e[axis] = 1;
      CompletableFuture<byte[]> f = host.submit(new Task("reverse", new byte[] {(byte) axis}, e,
          1_000, LONG));
      runUntilDone(sim, f, LONG);
      assertTrue(f.isDone() && !f.isCompletedExceptionally(), "axis " + axis);
    }
    assertEquals(4, keys.size(), keys.toString());
    assertEquals(3, Set.copyOf(keys.subList(0, 3)).size(), "three adapters: " + keys);
    assertEquals(keys.get(0), keys.get(3), "the first axis's adapter again: " + keys);
    assertEquals(0, worker.metrics().adapterHits(), "every route missed the pool of two");
  }
}
