package io.github.edgenet.benchmarks;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.LatencyModel;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.SimulatedNode;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import io.github.edgenet.economy.replication.LedgerReplicator;
import io.github.edgenet.economy.store.StorageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
 * Convergence of the replicated ledger in the simulator: one node appends a mint and {@value
 * #SENDS} transfers and gossips them; the score is the wall time until every one of {@code nodes}
 * nodes (in-memory SQLite each, 20 ms log-normal latency, 1 % loss, anti-entropy every second)
 * holds all of them. The virtual time it took is printed as {@code converged after N virtual ms}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class LedgerConvergenceBenchmark {
  static final int SENDS = 10;

  @Param({"100", "1000"})
  int nodes;

  NetworkSimulator sim;
  List<Ledger> ledgers;
  LedgerReplicator origin;
  NodeIdentity genesis;

  @Setup(Level.Invocation)
  public void setUp() throws StorageException {
    sim = NetworkSimulator.builder().seed(nodes)
        .latency(LatencyModel.logNormal(Duration.ofMillis(20), 0.5)).loss(0.01).build();
    RandomSource keys = RandomSource.seeded(nodes);
    List<NodeIdentity> ids = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      ids.add(NodeIdentity.generate(keys));
    }
    genesis = ids.getFirst();
    LedgerConfig config = LedgerConfig.builder(Set.of(genesis.id())).build();
    ledgers = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      SimulatedNode n = sim.addNode(ids.get(i).id());
      Ledger l = Ledger.inMemory(config, sim.clock());
      LedgerReplicator r = LedgerReplicator.builder(l, ids.get(i), n, sim.clock(), n.random())
          .build();
      r.start();
      ledgers.add(l);
      if (i == 0) {
        origin = r;
      }
    }
    sim.runFor(Duration.ofMillis(100));
  }

  @TearDown(Level.Invocation)
  public void tearDown() {
    for (Ledger l : ledgers) {
      l.close();
    }
  }

  /** Appends and gossips, then runs the simulator until every node holds every operation. */
  @Benchmark
  public long converge() throws LedgerException {
    List<Operation> ops = new ArrayList<>();
    ops.add(ledgers.getFirst().append(genesis, new OperationBody.Mint(1_000_000)));
    for (int i = 0; i < SENDS; i++) {
      ops.add(ledgers.getFirst().append(genesis,
          new OperationBody.Send(sim.nodes().get(1 + i).localId(), 1_000)));
    }
    origin.publish(ops);
    long start = sim.now();
    while (!allHave(ops.size())) {
      sim.runFor(Duration.ofMillis(50));
      if (sim.now() - start > 600_000_000_000L) {
        throw new IllegalStateException("no convergence in 600 virtual seconds");
      }
    }
    long virtualMs = (sim.now() - start) / 1_000_000;
    System.out.println("converged after " + virtualMs + " virtual ms, " + nodes + " nodes");
    return virtualMs;
  }

  private boolean allHave(int n) {
    for (Ledger l : ledgers) {
      if (l.size() < n) {
        return false;
      }
    }
    return true;
  }
}
