package io.github.edgenet.benchmarks;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.Cancellable;
import io.github.edgenet.core.net.Membership;
import io.github.edgenet.core.net.MessageHandler;
import io.github.edgenet.core.net.PeerNetwork;
import io.github.edgenet.core.net.sim.LatencyModel;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.NetworkStats;
import io.github.edgenet.core.net.sim.SimulatedNode;
import io.github.edgenet.learning.gossip.GossipAverager;
import io.github.edgenet.learning.gossip.PushSumState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * learning's push-sum ({@link GossipAverager}, running sums, every message an Ed25519-signed
 * envelope) over core's {@link NetworkSimulator}: wall time until every node's estimate is within
 * relative error 1e-6 of the true average. One operation is one whole run to convergence
 * (single shot); the network is built, keys generated, in the untimed setup.
 *
 * <p>Setup: {@code nodes} averagers with the defaults (one ring neighbour, one random peer from a
 * contact set of 4, keep 1/3), vectors of {@value #DIMENSION} values {@code 10 + 5 g}; each node
 * runs {@link GossipAverager#round()} from its own timer every {@value #PERIOD_MS} ms, first at a
 * seeded random phase; links log-normal, median 20 ms, sigma 0.5, and {@code loss} independent
 * loss.
 * After every period the run checks every node: relative error {@code max_j |s_j / w - t_j| /
 * max_j |t_j|}, from the node's double state (the f32 {@link GossipAverager#estimate} would add
 * its own rounding of about 6e-8). Rounds = periods until all nodes pass.
 *
 * <p>Each iteration prints one line: rounds, virtual time, delivered and lost messages, wall time,
 * delivered messages per wall second, and where the wall time went: {@code round()} (encode,
 * sign, hand to the simulator), the message handler (decode, verify, apply), the convergence
 * checks, and the rest (the simulator's event loop and timers). The first period includes each
 * averager's one-off sort of the full view. Also the heap after setup.
 *
 * <p>Run: {@code ./mvnw -q -Pbench verify -Dbench.args="PushSumSimulatorBenchmark -p
 * nodes=1000"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
public class PushSumSimulatorBenchmark {
  static final int DIMENSION = 8;
  static final int PERIOD_MS = 100;
  static final double TARGET = 1e-6;
  static final int MAX_ROUNDS = 1_000;
  /** The wall-clock stopwatch of the phases, through the one real clock (core's rule). */
  private static final Clock STOPWATCH = Clock.system();

  @Param({"1000", "10000"})
  int nodes;

  @Param({"0", "0.2"})
  double loss;

  NetworkSimulator sim;
  List<GossipAverager> averagers;
  double[] truth;
  double scale;
  long handlerNanos;
  long roundNanos;
  long heapAfterSetup;

  @Setup(Level.Iteration)
  public void setUp() {
    averagers = null;
    sim = null;
    System.gc();
    long seed = 2026L * nodes + (long) (loss * 100);
    sim = NetworkSimulator.builder().seed(seed)
        .latency(LatencyModel.logNormal(Duration.ofMillis(20), 0.5)).loss(loss).build();
    RandomSource r = RandomSource.seeded(seed);
    RandomSource phases = r.derive("phase");
    truth = new double[DIMENSION];
    averagers = new ArrayList<>(nodes);
    handlerNanos = 0;
    roundNanos = 0;
    for (int i = 0; i < nodes; i++) {
      NodeIdentity id = NodeIdentity.generate(r);
      SimulatedNode node = sim.addNode(id.id());
      float[] v = new float[DIMENSION];
      for (int j = 0; j < DIMENSION; j++) {
        v[j] = (float) (10 + 5 * r.nextGaussian());
        truth[j] += v[j];
      }
      GossipAverager a = GossipAverager.builder(new Timed(node), id, sim.clock(), node.random(), v)
          .build();
      averagers.add(a);
      long phase = (long) (phases.nextDouble() * PERIOD_MS * 1_000_000L);
      node.schedule(Duration.ofNanos(phase), new Tick(node, a));
    }
    scale = 0;
    for (int j = 0; j < DIMENSION; j++) {
      truth[j] /= nodes;
      scale = Math.max(scale, Math.abs(truth[j]));
    }
    System.gc();
    heapAfterSetup = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
  }

  /** Prints the live heap after the run (views sorted, links made), untimed. */
  @TearDown(Level.Iteration)
  public void heapAfterRun() {
    System.gc();
    long used = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    System.out.printf(Locale.ROOT, "heap after the run %d MB (after setup %d MB)%n", used >> 20,
        heapAfterSetup >> 20);
  }

  /** One node's periodic round. */
  private final class Tick implements Runnable {
    final SimulatedNode node;
    final GossipAverager averager;

    Tick(SimulatedNode node, GossipAverager averager) {
      this.node = node;
      this.averager = averager;
    }

    @Override
    public void run() {
      long t0 = STOPWATCH.nanos();
      averager.round();
      roundNanos += STOPWATCH.nanos() - t0;
      node.schedule(Duration.ofMillis(PERIOD_MS), this);
    }
  }

  /** The simulated endpoint, with the message handler's wall time counted. */
  private final class Timed implements PeerNetwork {
    final SimulatedNode node;

    Timed(SimulatedNode node) {
      this.node = node;
    }

    @Override
    public NodeId localId() {
      return node.localId();
    }

    @Override
    public int maxMessageBytes() {
      return node.maxMessageBytes();
    }

    @Override
    public void send(NodeId to, byte[] message) {
      node.send(to, message);
    }

    @Override
    public int gossip(byte[] message, int fanout) {
      return node.gossip(message, fanout);
    }

    @Override
    public Membership membership() {
      return node.membership();
    }

    @Override
    public void onMessage(MessageHandler handler) {
      node.onMessage((from, frame) -> {
        long t0 = STOPWATCH.nanos();
        handler.onMessage(from, frame);
        handlerNanos += STOPWATCH.nanos() - t0;
      });
    }

    @Override
    public void onMembershipChange(Consumer<Membership> listener) {
      node.onMembershipChange(listener);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
      return node.schedule(delay, task);
    }

    @Override
    public void close() {
      node.close();
    }
  }

  /** The worst node's relative error. */
  double worstError() {
    double worst = 0;
    for (GossipAverager a : averagers) {
      PushSumState s = a.state();
      double w = s.weight();
      for (int j = 0; j < DIMENSION; j++) {
        worst = Math.max(worst, Math.abs(s.sum(j) / w - truth[j]) / scale);
      }
    }
    return worst;
  }

  /**
   * Runs period by period until every node is within {@link #TARGET}.
   *
   * @return the rounds taken
   */
  @Benchmark
  public int converge() {
    long start = STOPWATCH.nanos();
    long checkNanos = 0;
    long firstPeriod = 0;
    int rounds = 0;
    double worst = Double.POSITIVE_INFINITY;
    while (worst > TARGET) {
      if (rounds == MAX_ROUNDS) {
        throw new IllegalStateException("no convergence in " + MAX_ROUNDS + " rounds: " + worst);
      }
      sim.runFor(Duration.ofMillis(PERIOD_MS));
      rounds++;
      if (rounds == 1) {
        firstPeriod = STOPWATCH.nanos() - start;
      }
      long t0 = STOPWATCH.nanos();
      worst = worstError();
      checkNanos += STOPWATCH.nanos() - t0;
    }
    long wall = STOPWATCH.nanos() - start;
    NetworkStats st = sim.stats();
    double s = wall / 1e9;
    System.out.printf(Locale.ROOT, "%npush-sum sim N=%d loss=%.2f: %d rounds (%.1f virtual s), "
        + "worst error %.2e, sent %d, delivered %d, lost %d, wall %.2f s (first period %.2f s), "
        + "%.0f delivered msgs/s;"
        + " round() %.1f%%, handler %.1f%%, checks %.1f%%, rest %.1f%%; heap after setup %d MB%n",
        nodes, loss, rounds, sim.now() / 1e9, worst, st.sent(), st.delivered(), st.lost(), s,
        firstPeriod / 1e9, st.delivered() / s, 100.0 * roundNanos / wall,
        100.0 * handlerNanos / wall,
        100.0 * checkNanos / wall, 100.0 * (wall - roundNanos - handlerNanos - checkNanos) / wall,
        heapAfterSetup >> 20);
    return rounds;
  }
}
