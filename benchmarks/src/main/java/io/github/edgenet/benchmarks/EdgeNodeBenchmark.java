package io.github.edgenet.benchmarks;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.LatencyModel;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.swarm.node.EdgeNode;
import io.github.edgenet.swarm.node.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * End-to-end EdgeNode tasks per second of wall-clock time on the simulator, in one JVM: each
 * operation is one task submitted on a random node, requested from 8 peers, offered, awarded, run
 * on another node through its pooled adapter, returned, verified and completed (about 20 signed
 * envelopes). No faults; the executor only echoes, so the score is the protocol's own cost
 * (dominated by Ed25519 signing and verifying).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar EdgeNodeBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
public class EdgeNodeBenchmark {
  /** Tasks per benchmark invocation, submitted together and run until all are done. */
  static final int TASKS = 100;

  @Param({"200"})
  int nodes;

  NetworkSimulator sim;
  List<EdgeNode> edgeNodes;
  RandomSource random;
  float[] embedding;

  @Setup(Level.Trial)
  public void setUp() {
    sim = NetworkSimulator.builder().seed(1)
        .latency(LatencyModel.logNormal(Duration.ofMillis(20), 0.5)).build();
    random = RandomSource.seeded(2);
    edgeNodes = new ArrayList<>(nodes);
    for (int i = 0; i < nodes; i++) {
      edgeNodes.add(EdgeNode.builder().simulator(sim)
          .identity(NodeIdentity.generate(random.derive("id").derive(i)))
          .executor("echo", 1 + i % 50, ctx -> ctx.payload()).build());
    }
    embedding = new float[16];
    embedding[0] = 1;
    sim.runFor(Duration.ofSeconds(3)); // announcements settle
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    edgeNodes.forEach(EdgeNode::close);
  }

  @Benchmark
  @OperationsPerInvocation(TASKS)
  public int tasks() {
    List<CompletableFuture<byte[]>> futures = new ArrayList<>(TASKS);
    for (int t = 0; t < TASKS; t++) {
      EdgeNode submitter = edgeNodes.get(random.nextInt(nodes));
      futures.add(submitter.submit(new Task("echo", new byte[] {(byte) t}, embedding, 100,
          Duration.ofSeconds(5))));
    }
    int done = 0;
    while (done < TASKS) {
      sim.runFor(Duration.ofMillis(100));
      done = 0;
      for (CompletableFuture<byte[]> f : futures) {
        done += f.isDone() ? 1 : 0;
      }
    }
    int ok = 0;
    for (CompletableFuture<byte[]> f : futures) {
      ok += f.isCompletedExceptionally() ? 0 : 1;
    }
    return ok;
  }
}
