package io.github.edgenet.benchmarks;

import io.github.edgenet.core.net.sim.LatencyModel;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.NetworkStats;
import io.github.edgenet.core.net.sim.SimulatedNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Simulated deliveries per second of wall-clock time at 10,000 nodes: the throughput of the
 * network simulator's event loop with real node code in it.
 *
 * <p>Workload: a random walk. Every node's handler forwards each message it receives to one peer
 * drawn from its membership view ({@code gossip(message, 1)}), so the number of messages in flight
 * stays at {@code nodes * tokensPerNode} for ever and the event queue holds that many entries.
 * Links have no loss, so every event is a delivery and one operation is exactly one delivery: the
 * score is delivered messages per second. {@code latency} picks a constant 5 ms latency (many
 * equal times, ties broken by sequence number) or a log-normal one with extra reordering (every
 * arrival at a distinct time, the heap's typical case).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SimulatorBenchmark}; add {@code -prof
 * gc} to see that a delivery allocates nothing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SimulatorBenchmark {
  /** Deliveries per benchmark invocation. */
  static final int DELIVERIES = 200_000;

  @Param({"10000"})
  int nodes;

  @Param({"1", "10"})
  int tokensPerNode;

  @Param({"constant", "lognormal"})
  String latency;

  NetworkSimulator sim;
  NetworkStats atStart;

  @Setup(Level.Trial)
  public void setUp() {
    NetworkSimulator.Builder b = NetworkSimulator.builder().seed(2026);
    if (latency.equals("constant")) {
      b.latency(LatencyModel.constant(Duration.ofMillis(5)));
    } else {
      b.latency(LatencyModel.logNormal(Duration.ofMillis(20), 0.5))
          .reordering(0.1, Duration.ofMillis(10));
    }
    sim = b.build();
    List<SimulatedNode> all = sim.addNodes(nodes);
    for (SimulatedNode n : all) {
      n.onMessage((from, message) -> n.gossip(message, 1));
    }
    byte[] payload = new byte[64];
    for (SimulatedNode n : all) {
      for (int t = 0; t < tokensPerNode; t++) {
        n.gossip(payload, 1);
      }
    }
    // Let the initial burst spread out in time before measuring.
    sim.runUntilIdle(2L * nodes * tokensPerNode);
    atStart = sim.stats();
  }

  @Benchmark
  @OperationsPerInvocation(DELIVERIES)
  public boolean randomWalk() {
    return sim.runUntilIdle(DELIVERIES);
  }

  @TearDown(Level.Trial)
  public void check() {
    NetworkStats s = sim.stats();
    long events = s.events() - atStart.events();
    long delivered = s.delivered() - atStart.delivered();
    if (events != delivered || s.inFlight() != (long) nodes * tokensPerNode) {
      throw new IllegalStateException("benchmark workload broken: " + s);
    }
  }
}
