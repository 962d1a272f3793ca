package io.github.edgenet.benchmarks;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.envelope.EnvelopeDecoder;
import io.github.edgenet.core.envelope.EnvelopeLimits;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.identity.SignatureVerifier;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.SimulatedNode;
import io.github.edgenet.swarm.allocation.TaskAllocator;
import io.github.edgenet.swarm.consensus.ConsensusConfig;
import io.github.edgenet.swarm.consensus.EntropyConsensus;
import io.github.edgenet.swarm.stigmergy.PheromoneField;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the swarm decisions: Thompson sampling over 20 candidates, pheromone deposit /
 * level / roulette selection over 10 candidates, and one simulated 100 ms round of a 100-node
 * consensus swarm with every opinion signed and verified (about 300 messages per round).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SwarmAlgorithmsBenchmark {
  TaskAllocator allocator;
  List<NodeId> workers;
  RandomSource random;
  VirtualClock clock;
  PheromoneField field;
  List<NodeId> targets;
  NetworkSimulator sim;
  int next;

  static NodeId id(int i) {
    byte[] b = new byte[32];
    b[0] = (byte) i;
    b[1] = (byte) (i >>> 8);
    return NodeId.of(b);
  }

  @Setup(Level.Trial)
  public void setUp() {
    random = RandomSource.seeded(7);
    workers = new ArrayList<>();
    allocator = TaskAllocator.builder(id(9999)).build();
    long obs = 0;
    for (int w = 0; w < 20; w++) {
      workers.add(id(w));
      for (int i = 0; i < 100; i++) {
        allocator.record(obs++, id(w), "infer", 1 + w * 0.1 + random.nextDouble(), random.nextDouble() < 0.9);
      }
    }
    clock = new VirtualClock();
    field = PheromoneField.builder(id(9999), clock).build();
    targets = workers.subList(0, 10);
    for (NodeId t : targets) {
      field.deposit("infer", t, random.nextDouble());
    }
    sim = NetworkSimulator.builder().seed(3).loss(0.05).build();
    EnvelopeLimits limits = EnvelopeLimits.builder().maxPayloadBytes(64).replayWindow(64)
        .maxTrackedPeers(128).maxAge(Duration.ofSeconds(3)).build();
    SignatureVerifier verifier = SignatureVerifier.create(1024);
    ConsensusConfig cfg = ConsensusConfig.defaults(5);
    RandomSource ids = RandomSource.seeded(11);
    for (int i = 0; i < 100; i++) {
      NodeIdentity identity = NodeIdentity.generate(ids.derive(i));
      SimulatedNode node = sim.addNode(identity.id());
      EntropyConsensus c = EntropyConsensus.builder(node, EnvelopeSender.create(identity, sim.clock()),
          EnvelopeDecoder.create(sim.clock(), limits, verifier), sim.clock(), cfg)
          .randomPreference(ids.derive(1000 + i)).build();
      c.start(Duration.ofMillis(i));
    }
  }

  @Benchmark
  public NodeId thompsonDecision() {
    return allocator.chooseThompson("infer", workers, random);
  }

  @Benchmark
  public void pheromoneDeposit() {
    clock.advanceNanos(1_000_000);
    field.deposit("infer", targets.get(next++ % 10), 0.7);
  }

  @Benchmark
  public double pheromoneLevel() {
    return field.level("infer", targets.get(next++ % 10));
  }

  @Benchmark
  public NodeId pheromoneSelect() {
    return field.select("infer", targets, random);
  }

  /** One 100 ms round of 100 nodes: about 100 signatures and 300 verified deliveries. */
  @Benchmark
  public long consensusRound100Nodes() {
    sim.runFor(Duration.ofMillis(100));
    return sim.stats().delivered();
  }
}
