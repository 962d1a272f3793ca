package io.github.edgenet.swarm.node;

import static io.github.edgenet.swarm.node.Sims.identity;
import static io.github.edgenet.swarm.node.Sims.reverse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Host threads submitting and reading metrics at once, while the network delivers on its own
 * threads: every task completes once with its own bytes and the counters add up.
 */
class ConcurrentSubmitTest {
  private static final int THREADS = 4;
  private static final int PER_THREAD = 50;

  @Test
  void concurrentSubmitsFromManyThreadsAllCompleteWithTheirOwnResults() throws Exception {
    LoopbackNetwork net = new LoopbackNetwork();
    Clock clock = Clock.system(); // real threads, real time: the deadlines are generous
    // A free provider (price 0) has no market curve. A priced one stops bidding once a burst has
    // used up its capacity (10 tasks, recovering one per second), so whether the last of these
    // 200 requests got a bid would depend on how the threads happened to interleave.
    EdgeNode worker = EdgeNode.builder().identity(identity(31, 1))
        .network(net.join(identity(31, 1).id())).clock(clock)
        .executor("reverse", 0, ctx -> reverse(ctx.payload())).build();
    EdgeNode host = EdgeNode.builder().identity(identity(31, 0))
        .network(net.join(identity(31, 0).id())).clock(clock).build();
    try {
      ConcurrentLinkedQueue<Object[]> submitted = new ConcurrentLinkedQueue<>();
      CountDownLatch start = new CountDownLatch(1);
      AtomicBoolean reading = new AtomicBoolean(true);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        threads.add(Thread.ofPlatform().start(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int i = 0; i < PER_THREAD; i++) {
            byte[] payload = ("t" + thread + "-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            CompletableFuture<byte[]> f = host.submit(new Task("reverse", payload,
                Sims.embedding(thread * 1000L + i), 10, Duration.ofSeconds(30)));
            submitted.add(new Object[] {payload, f});
          }
        }));
      }
      Thread reader = Thread.ofPlatform().start(() -> {
        while (reading.get()) {
          NodeMetrics m = host.metrics();
          long total = m.tasksByState().values().stream().mapToLong(Long::longValue).sum();
          if (total > THREADS * PER_THREAD || total < 0) {
            throw new AssertionError("inconsistent snapshot: " + m.tasksByState());
          }
        }
      });
      start.countDown();
      for (Thread t : threads) {
        t.join();
      }
      for (Object[] s : submitted) {
        @SuppressWarnings("unchecked")
        CompletableFuture<byte[]> f = (CompletableFuture<byte[]>) s[1];
        assertArrayEquals(reverse((byte[]) s[0]), f.get(60, TimeUnit.SECONDS));
      }
      reading.set(false);
      reader.join();
      assertEquals(THREADS * PER_THREAD, submitted.size());
      // the task's own future completes after the node's counters moved
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (host.metrics().tasks(TaskState.COMPLETED) < THREADS * PER_THREAD
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(THREADS * PER_THREAD, host.metrics().tasks(TaskState.COMPLETED));
      assertEquals(THREADS * PER_THREAD, worker.metrics().executions());
      assertTrue(host.metrics().rejectedTotal() == 0, host.metrics().rejectedByReason().toString());
    } finally {
      host.close();
      worker.close();
      net.shutdown();
    }
  }
}
