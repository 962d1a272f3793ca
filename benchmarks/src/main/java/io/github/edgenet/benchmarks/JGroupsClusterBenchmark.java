package io.github.edgenet.benchmarks;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.Envelope;
import io.github.edgenet.core.envelope.EnvelopeDecoder;
import io.github.edgenet.core.envelope.EnvelopeException;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.swarm.net.JGroupsNetwork;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
 * The JGroups transport on real loopback sockets (TCP + TCPPING on 127.0.0.1, one JVM): how long
 * five nodes take to form a cluster and complete 1,000 signed request/response exchanges, and the
 * round trip of one exchange on a formed cluster.
 *
 * <p>An exchange: the requester seals a 64-byte body in an {@link EnvelopeSender} frame, the
 * responder opens it with its {@link EnvelopeDecoder} (size, freshness, replay, Ed25519 signature),
 * checks that the signer is the node the transport named, and answers with a signed frame carrying
 * the body reversed, which the requester opens and checks the same way. Two signatures and two
 * verifications per exchange.
 *
 * <ul>
 *   <li>{@code formAndExchange1000}: single shot; five endpoints connect one after the other (the
 *       first is the only seed and waits the default 2 s join timeout before it forms the cluster
 *       alone), wait until all five see all five, then each sends 200 requests round-robin to the
 *       four others, all in flight at once, until all 1,000 are answered. Closing is not timed.
 *   <li>{@code exchange1000}: single shot; the same 1,000 exchanges on a cluster formed once.
 *   <li>{@code roundTrip}: average time of one exchange, request to verified response, one at a
 *       time, on a cluster formed once.
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar JGroupsClusterBenchmark}.
 */
@Fork(value = 1, jvmArgsAppend = {"-Djava.net.preferIPv4Stack=true"})
public class JGroupsClusterBenchmark {
  static final int NODES = 5;
  static final int EXCHANGES = 1_000;
  static final int BODY_BYTES = 64;
  private static final AtomicLong CLUSTERS = new AtomicLong();

  /** Five connected endpoints with their echo protocol. */
  static final class Cluster {
    final List<Echo> echoes = new ArrayList<>();

    static Cluster form() throws IOException, InterruptedException {
      Cluster c = new Cluster();
      String name = "bench-" + ProcessHandle.current().pid() + "-" + CLUSTERS.incrementAndGet();
      InetAddress loopback = InetAddress.getByName("127.0.0.1");
      InetSocketAddress seed = null;
      for (int i = 0; i < NODES; i++) {
        NodeIdentity id = NodeIdentity.generate(RandomSource.seeded(CLUSTERS.get() * 100 + i));
        Echo echo = new Echo(id);
        JGroupsNetwork n = JGroupsNetwork.builder(id, name)
            .tcp(new InetSocketAddress(loopback, 0), seed == null ? List.of() : List.of(seed))
            .onMessage(echo::onMessage)
            .connect();
        echo.network.set(n);
        if (seed == null) {
          seed = n.listenAddress();
        }
        c.echoes.add(echo);
      }
      Clock clock = Clock.system();
      long end = clock.nanos() + TimeUnit.SECONDS.toNanos(60);
      for (Echo e : c.echoes) {
        while (e.network.get().membership().size() < NODES) {
          if (clock.nanos() - end > 0) {
            throw new IllegalStateException("cluster did not form: " + e.network.get());
          }
          Thread.sleep(1);
        }
      }
      return c;
    }

    /** 1,000 exchanges, 200 from each node round-robin over the others, all in flight at once. */
    void exchange(int total) throws InterruptedException {
      CountDownLatch done = new CountDownLatch(total);
      for (int k = 0; k < total; k++) {
        Echo from = echoes.get(k % NODES);
        int offset = 1 + (k / NODES) % (NODES - 1);
        Echo to = echoes.get((k % NODES + offset) % NODES);
        from.request(to.id, done);
      }
      if (!done.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException(done.getCount() + " exchanges unanswered");
      }
    }

    void close() {
      echoes.parallelStream().forEach(e -> e.network.get().close());
    }
  }

  /** The signed echo protocol of one node. */
  static final class Echo {
    static final int REQUEST = 1;
    static final int RESPONSE = 2;
    final NodeId id;
    final AtomicReference<JGroupsNetwork> network = new AtomicReference<>();
    final EnvelopeSender sender;
    final EnvelopeDecoder decoder = EnvelopeDecoder.create(Clock.system());
    final ConcurrentHashMap<Long, CountDownLatch> pending = new ConcurrentHashMap<>();
    final AtomicLong nonces = new AtomicLong();
    final byte[] body = new byte[BODY_BYTES];

    Echo(NodeIdentity identity) {
      this.id = identity.id();
      this.sender = EnvelopeSender.create(identity, Clock.system());
      RandomSource.seeded(1).nextBytes(body);
    }

    void request(NodeId to, CountDownLatch done) {
      long nonce = nonces.incrementAndGet();
      pending.put(nonce, done);
      byte[] payload = ByteBuffer.allocate(8 + BODY_BYTES).putLong(nonce).put(body).array();
      network.get().send(to, sender.encode(REQUEST, payload));
    }

    void onMessage(NodeId from, byte[] message) {
      Envelope e;
      try {
        e = decoder.decode(message);
      } catch (EnvelopeException ex) {
        throw new IllegalStateException("an honest frame was rejected", ex);
      }
      if (!e.sender().equals(from)) {
        throw new IllegalStateException("signer " + e.sender() + " is not the sender " + from);
      }
      ByteBuffer p = e.payload();
      long nonce = p.getLong();
      byte[] got = new byte[p.remaining()];
      p.get(got);
      if (e.type() == REQUEST) {
        byte[] out = ByteBuffer.allocate(8 + got.length).putLong(nonce).put(reverse(got)).array();
        network.get().send(from, sender.encode(RESPONSE, out));
      } else {
        if (!java.util.Arrays.equals(reverse(got), body)) {
          throw new IllegalStateException("wrong answer to " + nonce);
        }
        CountDownLatch latch = pending.remove(nonce);
        if (latch != null) {
          latch.countDown();
        }
      }
    }

    static byte[] reverse(byte[] b) {
      byte[] r = new byte[b.length];
      for (int i = 0; i < b.length; i++) {
        r[i] = b[b.length - 1 - i];
      }
      return r;
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
    }
  }

  /** Forms a five-node loopback cluster and completes 1,000 signed exchanges. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 1)
  @Measurement(iterations = 5)
  public Cluster formAndExchange1000(Fresh state) throws Exception {
    state.cluster = Cluster.form();
    state.cluster.exchange(EXCHANGES);
    return state.cluster;
  }

  /** 1,000 signed exchanges on a formed five-node cluster. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 5)
  @Measurement(iterations = 10)
  public void exchange1000(Formed state) throws Exception {
    state.cluster.exchange(EXCHANGES);
  }

  /** One signed exchange, request to verified response. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  public void roundTrip(Formed state) throws Exception {
    state.cluster.exchange(1);
  }
}
