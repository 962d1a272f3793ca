package io.github.edgenet.benchmarks;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.swarm.net.JGroupsNetwork;
import io.github.edgenet.swarm.node.EdgeNode;
import io.github.edgenet.swarm.node.EdgeNodeConfig;
import io.github.edgenet.swarm.node.Task;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Five {@link EdgeNode}s on real loopback sockets (one JVM, each on its own {@link
 * JGroupsNetwork}, TCP + TCPPING on 127.0.0.1, the first node the only seed, system clock): how
 * long they take to form a cluster and complete 1,000 tasks through the whole task flow (request,
 * offer, award, execution through the adapter pool, signed result, verification, completion).
 *
 * <p>Node i submits 200 tasks of type {@code job-i}, which only the four others run (echo), all in
 * flight at once: every task crosses nodes. The executors are registered at price 0, which has no
 * market curve: at a positive price each provider's compute pool would ration the burst to about
 * one task per second (docs/edgenode.md), and the benchmark would measure that policy instead of
 * the nodes. Offer window 400 ms and 4 request rounds, as in the loopback tests.
 *
 * <ul>
 *   <li>{@code formAndComplete1000}: single shot; the five endpoints connect one after the other
 *       (the first waits its 2 s join timeout before forming the cluster alone), the nodes start,
 *       all five see all five, then the 1,000 tasks run. Closing is not timed.
 *   <li>{@code complete1000}: single shot; the 1,000 tasks on a cluster formed once.
 * </ul>
 *
 * <p>Run: {@code ./mvnw -q -Pbench verify -Dbench.args="EdgeNodeClusterBenchmark"}.
 */
@Fork(value = 1, jvmArgsAppend = {"-Djava.net.preferIPv4Stack=true",
    "--enable-native-access=ALL-UNNAMED"})
public class EdgeNodeClusterBenchmark {
  static final int NODES = 5;
  static final int TASKS = 1_000;
  static final EdgeNodeConfig CONFIG = EdgeNodeConfig.builder()
      .offerWindow(Duration.ofMillis(400)).requestRounds(4).build();
  private static final AtomicLong CLUSTERS = new AtomicLong();
  private static final AtomicLong FAILED = new AtomicLong();

  /** Five connected nodes. */
  static final class Cluster {
    final List<JGroupsNetwork> nets = new ArrayList<>();
    final List<EdgeNode> nodes = new ArrayList<>();
    final float[] embedding = new float[16];

    static Cluster form() throws IOException, InterruptedException {
      Cluster c = new Cluster();
      c.embedding[0] = 1;
      long id = CLUSTERS.incrementAndGet();
      String name = "bench-edgenode-" + ProcessHandle.current().pid() + "-" + id;
      InetAddress loopback = InetAddress.getByName("127.0.0.1");
      Clock clock = Clock.system();
      for (int i = 0; i < NODES; i++) {
        NodeIdentity identity = NodeIdentity.generate(RandomSource.seeded(id * 100 + i));
        JGroupsNetwork net = JGroupsNetwork.builder(identity, name)
            .tcp(new InetSocketAddress(loopback, 0),
                c.nets.isEmpty() ? List.of() : List.of(c.nets.getFirst().listenAddress()))
            .clock(clock).connect();
        c.nets.add(net);
        EdgeNode.Builder b = EdgeNode.builder().identity(identity).network(net).clock(clock)
            .random(RandomSource.seeded(id * 100 + i)).config(CONFIG);
        for (int j = 0; j < NODES; j++) {
          if (j != i) {
            b.executor("job-" + j, 0, ctx -> ctx.payload());
          }
        }
        c.nodes.add(b.build());
      }
      long end = clock.nanos() + TimeUnit.SECONDS.toNanos(60);
      for (JGroupsNetwork net : c.nets) {
        while (net.membership().size() < NODES) {
          if (clock.nanos() - end > 0) {
            throw new IllegalStateException("cluster did not form: " + net);
          }
          Thread.sleep(1);
        }
      }
      return c;
    }

    /** 1,000 tasks, 200 from each node, all in flight at once; returns how many failed. */
    int complete(int total) throws InterruptedException, ExecutionException, TimeoutException {
      List<CompletableFuture<byte[]>> futures = new ArrayList<>(total);
      for (int k = 0; k < total; k++) {
        int i = k % NODES;
        byte[] payload = ("task " + k).getBytes(StandardCharsets.UTF_8);
        futures.add(nodes.get(i).submit(new Task("job-" + i, payload, embedding, 1_000,
            Duration.ofSeconds(60))));
      }
      int failed = 0;
      for (CompletableFuture<byte[]> f : futures) {
        try {
          f.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          failed++;
        }
      }
      FAILED.addAndGet(failed);
      return failed;
    }

    void close() {
      nodes.forEach(EdgeNode::close);
      for (int i = nets.size() - 1; i >= 0; i--) {
        nets.get(i).close();
      }
    }
  }

  /** A cluster formed inside the measured call, closed after it. */
  @State(Scope.Thread)
  public static class Fresh {
    Cluster cluster;

    @TearDown(Level.Invocation)
    public void close() {
      if (cluster != null) {
        cluster.close();
        cluster = null;
      }
    }

    @TearDown(Level.Trial)
    public void report() {
      System.out.println("\ntasks failed so far: " + FAILED.get());
    }
  }

  /** A cluster formed once per trial. */
  @State(Scope.Benchmark)
  public static class Formed {
    Cluster cluster;

    @Setup(Level.Trial)
    public void form() throws Exception {
      cluster = Cluster.form();
    }

    @TearDown(Level.Trial)
    public void close() {
      cluster.close();
      System.out.println("\ntasks failed so far: " + FAILED.get());
    }
  }

  /** Forms a five-node loopback cluster and completes 1,000 tasks. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 1)
  @Measurement(iterations = 5)
  public int formAndComplete1000(Fresh state) throws Exception {
    state.cluster = Cluster.form();
    return state.cluster.complete(TASKS);
  }

  /** 1,000 tasks on a formed five-node cluster. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2)
  @Measurement(iterations = 5)
  public int complete1000(Formed state) throws Exception {
    return state.cluster.complete(TASKS);
  }
}
