package io.github.edgenet.swarm.node;

import static io.github.edgenet.swarm.node.Sims.identity;
import static io.github.edgenet.swarm.node.Sims.reverse;
import static io.github.edgenet.swarm.node.Sims.task;
import static io.github.edgenet.swarm.node.Sims.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.Clock;
import io.github.edgenet.swarm.net.JGroupsNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * On a real network an executor runs off the node's message thread: while one task's executor is
 * blocked, the same provider bids for, runs and answers another task, and the award the submitter
 * re-sends every 250 ms during the long run does not start it again. Two nodes on JGroups'
 * in-JVM transport (SHARED_LOOPBACK), on the system clock.
 */
class SlowExecutorTest {
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
  }

  private EdgeNode node(int i, String cluster, EdgeNode.Builder b) throws Exception {
    JGroupsNetwork net = JGroupsNetwork.builder(identity(77, i), cluster).sharedLoopback()
        .clock(Clock.system()).connect();
    closeables.add(net);
    EdgeNode n = b.identity(identity(77, i)).network(net).clock(Clock.system()).build();
    closeables.add(n);
    return n;
  }

  @Test
  void aBlockedExecutorHoldsUpNeitherTheNodesOtherTasksNorRunsTwice() throws Exception {
    String cluster = "slow-executor-" + ProcessHandle.current().pid();
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger slowRuns = new AtomicInteger();
    EdgeNode provider = node(1, cluster, EdgeNode.builder()
        .executor("slow", 5, ctx -> {
          slowRuns.incrementAndGet();
          assertTrue(release.await(30, TimeUnit.SECONDS), "never released");
          return reverse(ctx.payload());
        })
        .executor("fast", 5, ctx -> reverse(ctx.payload())));
    EdgeNode host = node(0, cluster, EdgeNode.builder());
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (host.metrics().knownProviders() < 1) { // the provider's first announcement
      assertTrue(System.nanoTime() < end, "no announcement");
      Thread.sleep(20);
    }

    CompletableFuture<byte[]> slow = host.submit(task("slow", "held", 100, Duration.ofSeconds(30)));
    while (slowRuns.get() == 0) {
      assertTrue(System.nanoTime() < end, "the slow task never started");
      Thread.sleep(5);
    }
    CompletableFuture<byte[]> fast = host.submit(task("fast", "meanwhile", 100,
        Duration.ofSeconds(20)));
    assertEquals("elihwnaem", text(fast.get(20, TimeUnit.SECONDS)));
    assertFalse(slow.isDone(), "the slow task is still running");
    Thread.sleep(600); // awards re-sent at least twice meanwhile
    release.countDown();
    assertEquals("dleh", text(slow.get(20, TimeUnit.SECONDS)));
    assertEquals(1, slowRuns.get(), "the re-sent awards did not start it again");
    assertEquals(2, provider.metrics().executions());
  }

  /**
   * close() drains: a provider closed while its executor runs waits for it, stores and sends the
   * result, and only then stops; an award that arrives meanwhile is not run.
   */
  @Test
  void closeLetsARunInProgressDeliverItsResult() throws Exception {
    String cluster = "slow-executor-close-" + ProcessHandle.current().pid();
    CountDownLatch started = new CountDownLatch(1);
    EdgeNode provider = node(1, cluster, EdgeNode.builder()
        .executor("slow", 5, ctx -> {
          started.countDown();
          Thread.sleep(800);
          return reverse(ctx.payload());
        }));
    EdgeNode host = node(0, cluster, EdgeNode.builder());
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (host.metrics().knownProviders() < 1) {
      assertTrue(System.nanoTime() < end, "no announcement");
      Thread.sleep(20);
    }
    CompletableFuture<byte[]> slow = host.submit(task("slow", "drained", 100,
        Duration.ofSeconds(30)));
    assertTrue(started.await(20, TimeUnit.SECONDS), "the run never started");
    provider.close(); // while the executor sleeps
    assertTrue(provider.isClosed());
    assertEquals(1, provider.metrics().executions(), "stored before the node stopped");
    assertEquals("deniard", text(slow.get(20, TimeUnit.SECONDS)));
  }
}
