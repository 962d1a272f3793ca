package io.github.edgenet.swarm.node;

import static io.github.edgenet.swarm.node.Sims.identity;
import static io.github.edgenet.swarm.node.Sims.reason;
import static io.github.edgenet.swarm.node.Sims.reverse;
import static io.github.edgenet.swarm.node.Sims.task;
import static io.github.edgenet.swarm.node.Sims.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.swarm.net.JGroupsNetwork;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Four {@link EdgeNode}s in one JVM, each on its own {@link JGroupsNetwork} over real TCP sockets
 * on 127.0.0.1 (TCPPING, the first node the only seed), on the system clock: the facade's task
 * flow (request, offer, award, execute, signed result, verify) across a real transport.
 *
 * <p>Node 0 runs nothing; nodes 1-3 run {@code reverse} at 3, 6 and 9 micro-units; node 3 alone
 * also runs {@code upper} at 2.
 */
class EdgeNodeJGroupsTest {
  private static final String CLUSTER = "edgenode-tcp-" + ProcessHandle.current().pid();
  private static final int N = 4;
  private static final long[] REVERSE_PRICE = {-1, 3, 6, 9};
  private static final long UPPER_PRICE = 2;
  private static final long WAIT_SECONDS = 30;
  /**
   * The defaults' 150 ms offer window is tuned for the simulator's latencies; on a loaded 2-core
   * machine a busy provider's offer can take longer over TCP, so the window is wider here. The
   * award retry stays at its default (250 ms), so re-sent awards and duplicate results happen.
   */
  static final EdgeNodeConfig CONFIG = EdgeNodeConfig.builder()
      .offerWindow(Duration.ofMillis(400)).requestRounds(4).build();

  private static final List<JGroupsNetwork> nets = new ArrayList<>();
  private static final List<EdgeNode> nodes = new ArrayList<>();
  /** Executions counted by each node's executors (all types). */
  private static final List<AtomicInteger> runs = new ArrayList<>();
  /** Task id -> the provider named by the submitter's COMPLETED event. */
  private static final Map<TaskId, NodeId> completedBy = new ConcurrentHashMap<>();
  /** Task id -> the asks its submitter saw revealed, by provider. */
  private static final Map<TaskId, Map<NodeId, Long>> reveals = new ConcurrentHashMap<>();

  @BeforeAll
  static void startCluster() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    InetSocketAddress seed = null;
    for (int i = 0; i < N; i++) {
      NodeIdentity id = identity(4242, i);
      JGroupsNetwork net = JGroupsNetwork.builder(id, CLUSTER)
          .tcp(new InetSocketAddress(loopback, 0), seed == null ? List.of() : List.of(seed))
          .clock(Clock.system())
          .connect();
      nets.add(net);
      if (seed == null) {
        seed = net.listenAddress();
      }
      AtomicInteger count = new AtomicInteger();
      runs.add(count);
      EdgeNode.Builder b = EdgeNode.builder().identity(id).network(net).clock(Clock.system())
          .config(CONFIG)
          .listener(e -> {
            if (e.step() == TaskEvent.Step.COMPLETED) {
              completedBy.put(e.task(), e.peer());
            } else if (e.step() == TaskEvent.Step.BID_REVEALED) {
              reveals.computeIfAbsent(e.task(), t -> new ConcurrentHashMap<>())
                  .put(e.peer(), Long.parseLong(e.detail()));
            }
          });
      if (i > 0) {
        b.executor("reverse", REVERSE_PRICE[i], ctx -> {
          count.incrementAndGet();
          return reverse(ctx.payload());
        });
      }
      if (i == 3) {
        b.executor("upper", UPPER_PRICE, ctx -> {
          count.incrementAndGet();
          return text(ctx.payload()).toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        });
      }
      nodes.add(b.build());
    }
    long end = Clock.system().nanos() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    for (JGroupsNetwork net : nets) {
      while (net.membership().size() != N) {
        if (Clock.system().nanos() - end > 0) {
          fail(net + " sees only " + net.membership());
        }
        Thread.sleep(5);
      }
    }
  }

  @AfterAll
  static void stopCluster() {
    nodes.forEach(EdgeNode::close);
    nets.forEach(JGroupsNetwork::close); // EdgeNode does not close a network the host gave it
  }

  @Test
  void tasksSubmittedOnOneNodeCompleteOnAnotherWithTheRightBytes() throws Exception {
    EdgeNode host = nodes.get(0);
    int before = runs.stream().mapToInt(AtomicInteger::get).sum();
    Map<Integer, Long> executionsBefore = new HashMap<>();
    for (int i = 0; i < N; i++) {
      executionsBefore.put(i, nodes.get(i).metrics().executions());
    }
    int reverseTasks = 20;
    int upperTasks = 6;
    List<CompletableFuture<byte[]>> reverseFutures = new ArrayList<>();
    List<CompletableFuture<byte[]>> upperFutures = new ArrayList<>();
    for (int k = 0; k < reverseTasks; k++) {
      reverseFutures.add(host.submit(task("reverse", "payload " + k, 10, Duration.ofSeconds(20))));
    }
    // node 1 runs reverse but not upper: its upper tasks must go to node 3
    for (int k = 0; k < upperTasks; k++) {
      upperFutures.add(nodes.get(1).submit(task("upper", "shout " + k, 10,
          Duration.ofSeconds(20))));
    }
    for (int k = 0; k < reverseTasks; k++) {
      byte[] got = reverseFutures.get(k).get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertEquals(new StringBuilder("payload " + k).reverse().toString(), text(got));
    }
    for (int k = 0; k < upperTasks; k++) {
      assertEquals("SHOUT " + k, text(upperFutures.get(k).get(WAIT_SECONDS, TimeUnit.SECONDS)));
    }

    // Who ran what, from the submitters' records and the providers' counters.
    Map<NodeId, Integer> index = new HashMap<>();
    for (int i = 0; i < N; i++) {
      index.put(nodes.get(i).id(), i);
    }
    int[] chosen = new int[N];
    int records = 0;
    for (EdgeNode submitter : List.of(nodes.get(0), nodes.get(1))) {
      for (Map.Entry<TaskId, NodeId> e : completedBy.entrySet()) {
        TaskRecord rec = submitter.task(e.getKey()).orElse(null);
        if (rec == null) {
          continue;
        }
        records++;
        assertEquals(TaskState.COMPLETED, rec.state());
        NodeId provider = rec.provider().orElseThrow();
        assertEquals(e.getValue(), provider);
        assertNotEquals(submitter.id(), provider, "a task ran on its own submitter");
        int p = index.get(provider);
        chosen[p]++;
        // Asks are the registered prices (every request goes out before any execution moves a
        // market curve); the winner is paid the second-lowest revealed ask, or the reserve (10).
        long registered = rec.type().equals("upper") ? UPPER_PRICE : REVERSE_PRICE[p];
        Map<NodeId, Long> asks = reveals.get(e.getKey());
        assertEquals(registered, asks.get(provider), "sealed ask of " + rec);
        assertEquals(Sims.expectedPrice(asks, provider, 10), rec.priceMicros(), "price of " + rec);
        if (rec.type().equals("upper")) {
          assertEquals(3, p, "upper runs on node 3 only");
        }
      }
    }
    assertEquals(reverseTasks + upperTasks, records);
    assertEquals(0, chosen[0], "node 0 runs nothing");
    for (int i = 0; i < N; i++) {
      long executed = nodes.get(i).metrics().executions() - executionsBefore.get(i);
      assertEquals(chosen[i], executed, "executions of node " + i);
    }
    assertEquals(reverseTasks + upperTasks,
        runs.stream().mapToInt(AtomicInteger::get).sum() - before);
    assertEquals(reverseTasks, host.metrics().tasks(TaskState.COMPLETED));
    assertTrue(host.metrics().messagesIn() > 0 && host.metrics().messagesOut() > 0);
    System.out.printf("tasks run by nodes 1-3: %d %d %d; awards answered again from storage: %d%n",
        chosen[1], chosen[2], chosen[3],
        nodes.stream().mapToLong(n -> n.metrics().executionsFromStore()).sum());
    for (int i = 0; i < N; i++) {
      assertEquals(0, nodes.get(i).metrics().rejectedTotal(),
          "node " + i + " rejected " + nodes.get(i).metrics().rejectedByReason());
    }
  }

  @Test
  void aTypeNobodyRunsFailsWithNoCandidate() throws Exception {
    CompletableFuture<byte[]> f =
        nodes.get(2).submit(task("translate", "bonjour", 10, Duration.ofSeconds(20)));
    try {
      f.get(WAIT_SECONDS, TimeUnit.SECONDS);
      fail("completed normally");
    } catch (java.util.concurrent.ExecutionException expected) {
      // reason checked below
    }
    assertEquals(TaskFailedException.Reason.NO_CANDIDATE, reason(f));
    assertEquals(1L, nodes.get(2).metrics().failuresByReason()
        .get(TaskFailedException.Reason.NO_CANDIDATE));
  }
}
