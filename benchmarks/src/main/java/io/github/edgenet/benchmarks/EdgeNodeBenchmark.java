package io.github.edgenet.benchmarks;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.EnvelopeDecoder;
import io.github.edgenet.core.envelope.EnvelopeException;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.identity.SignatureVerifier;
import io.github.edgenet.core.net.sim.LatencyModel;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.swarm.node.EdgeNode;
import io.github.edgenet.swarm.node.LedgerStatus;
import io.github.edgenet.swarm.node.Task;
import io.github.edgenet.swarm.node.TaskFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
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
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * End-to-end EdgeNode tasks per second of wall-clock time on the simulator, in one JVM, beside
 * the crypto floor of the same work.
 *
 * <ul>
 *   <li>{@code tasks}: one operation is one task submitted on one of the first {@value #PAYERS}
 *       nodes, requested from 8 peers, offered, awarded, run on another node through its pooled
 *       adapter, returned, verified and completed; with {@code ledger=true} also escrowed,
 *       released and received on the replicated ledger that every node holds (the {@value
 *       #PAYERS} submitters are the genesis mints: with every node minted, genesis alone costs
 *       n&sup2; signature verifications). An invocation submits 100 tasks 10 virtual ms apart
 *       (a steady 100 tasks per virtual second; submitted all at once, the cheapest providers'
 *       market quotes climbed over the tasks' price limit) and runs the simulator until all are
 *       done. No faults, an echo executor, log-normal links of
 *       median 20 ms; the background traffic (announcements, gossiped swarm state, ledger
 *       anti-entropy) runs too, and grows with the node count. The virtual latency (submit to
 *       result) of every task of the measurement iterations goes into an HdrHistogram printed at
 *       the end of the trial.
 *   <li>{@code cryptoFloor}: one operation is the Ed25519 work one task needs at least, measured
 *       in a calibration batch before the trial: for each message the network carried per task
 *       (background included) one envelope sealed (signed) and opened (verified) with core's
 *       envelope code, and for each ledger operation per task one signature and n - 1
 *       verifications (every other node verifies it once; the ledger's own code path, a cached
 *       {@link SignatureVerifier}). Gossip copies are signed once and verified by each receiver,
 *       so the message part slightly over-counts signatures. The ratio of the two scores is what
 *       the flow costs beyond its signatures.
 * </ul>
 *
 * <p>Run: {@code ./mvnw -q -Pbench verify -Dbench.args="EdgeNodeBenchmark"}; add {@code -p
 * nodes=1000} to scale.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
public class EdgeNodeBenchmark {
  /** Tasks per benchmark invocation, submitted together and run until all are done. */
  static final int TASKS = 100;
  /** The nodes that submit tasks (and, with the ledger, hold money from genesis). */
  static final int PAYERS = 100;
  /** Virtual time between two submissions: 100 tasks per virtual second, 0.5 per node at 200. */
  static final Duration SPACING = Duration.ofMillis(10);
  static final int FLOOR_PAYLOAD = 96;

  @Param({"200"})
  int nodes;

  @Param({"false", "true"})
  boolean ledger;

  NetworkSimulator sim;
  List<EdgeNode> edgeNodes;
  RandomSource random;
  float[] embedding;
  Histogram latency;
  boolean measuring;
  long tasksRun;
  long tasksFailed;
  final Map<String, Integer> failures = new TreeMap<>();
  double messagesPerTask;
  double ledgerOpsPerTask;
  double floorMessageCarry;
  double floorVerifyCarry;
  double floorSignCarry;
  EnvelopeSender floorSender;
  EnvelopeDecoder floorDecoder;
  byte[] floorPayload;
  NodeIdentity floorIdentity;
  SignatureVerifier floorVerifier;
  byte[] floorSignature;

  @Setup(Level.Trial)
  public void setUp() {
    sim = NetworkSimulator.builder().seed(1)
        .latency(LatencyModel.logNormal(Duration.ofMillis(20), 0.5)).build();
    random = RandomSource.seeded(2);
    List<NodeIdentity> ids = new ArrayList<>();
    Map<NodeId, Long> genesis = new TreeMap<>();
    for (int i = 0; i < nodes; i++) {
      ids.add(NodeIdentity.generate(random.derive("id").derive(i)));
      if (i < PAYERS) {
        genesis.put(ids.get(i).id(), 1_000_000_000L);
      }
    }
    edgeNodes = new ArrayList<>(nodes);
    for (int i = 0; i < nodes; i++) {
      EdgeNode.Builder b = EdgeNode.builder().simulator(sim).identity(ids.get(i))
          .executor("echo", 1 + i % 50, ctx -> ctx.payload());
      if (ledger) {
        b.genesis(genesis);
      }
      edgeNodes.add(b.build());
    }
    embedding = new float[16];
    embedding[0] = 1;
    sim.runFor(Duration.ofSeconds(3)); // announcements settle, genesis mints replicate
    latency = new Histogram(3);
    // Calibration: messages per task (background included); ledger operations per task, counted
    // on the last node (a provider-only node) once replication has caught up.
    long sent = sim.stats().sent();
    long ops = ledgerOps();
    runBatch();
    messagesPerTask = (sim.stats().sent() - sent) / (double) TASKS;
    sim.runFor(Duration.ofSeconds(3));
    ledgerOpsPerTask = (ledgerOps() - ops) / (double) TASKS;
    latency.reset();
    tasksRun = 0;
    tasksFailed = 0;
    failures.clear();
    NodeIdentity floorId = NodeIdentity.generate(RandomSource.seeded(3));
    floorSender = EnvelopeSender.create(floorId, Clock.system());
    floorDecoder = EnvelopeDecoder.create(Clock.system());
    floorPayload = new byte[FLOOR_PAYLOAD];
    random.nextBytes(floorPayload);
    floorIdentity = floorId;
    floorVerifier = SignatureVerifier.create(16);
    floorSignature = floorId.sign(floorPayload);
  }

  private long ledgerOps() {
    return edgeNodes.getLast().ledgerStatus().map(LedgerStatus::operations).orElse(0L);
  }

  /** Records latency in measurement iterations only. */
  @Setup(Level.Iteration)
  public void iteration(IterationParams params) {
    measuring = params.getType() == IterationType.MEASUREMENT;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    edgeNodes.forEach(EdgeNode::close);
    System.out.printf(Locale.ROOT, "%n%d nodes, ledger %s: %.1f messages and %.2f ledger "
            + "operations per task (background included); %d tasks run, %d failed %s; virtual "
            + "latency of %d measured tasks: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        nodes, ledger, messagesPerTask, ledgerOpsPerTask, tasksRun, tasksFailed, failures,
        latency.getTotalCount(), latency.getValueAtPercentile(50) / 1e6,
        latency.getValueAtPercentile(99) / 1e6, latency.getMaxValue() / 1e6);
  }

  private int runBatch() {
    List<CompletableFuture<byte[]>> futures = new ArrayList<>(TASKS);
    boolean record = measuring;
    for (int t = 0; t < TASKS; t++) {
      if (t > 0) {
        sim.runFor(SPACING);
      }
      EdgeNode submitter = edgeNodes.get(random.nextInt(Math.min(PAYERS, nodes)));
      long start = sim.now();
      CompletableFuture<byte[]> f = submitter.submit(new Task("echo", new byte[] {(byte) t},
          embedding, 100, Duration.ofSeconds(5)));
      f.whenComplete((r, e) -> {
        if (e == null && record) {
          latency.recordValue(sim.now() - start);
        } else if (e != null) {
          Throwable c = e instanceof CompletionException ? e.getCause() : e;
          failures.merge(c instanceof TaskFailedException tf ? tf.reason().name()
              : c.getClass().getSimpleName(), 1, Integer::sum);
        }
      });
      futures.add(f);
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
    tasksRun += TASKS;
    tasksFailed += TASKS - ok;
    return ok;
  }

  /** One task through the whole flow (per operation; 100 tasks per invocation). */
  @Benchmark
  @OperationsPerInvocation(TASKS)
  public int tasks() {
    return runBatch();
  }

  /** The signatures and verifications of one task (per operation). */
  @Benchmark
  public void cryptoFloor(Blackhole bh) throws EnvelopeException {
    floorMessageCarry += messagesPerTask;
    floorVerifyCarry += ledgerOpsPerTask * (nodes - 1);
    for (; floorMessageCarry >= 1; floorMessageCarry--) {
      bh.consume(floorDecoder.decode(floorSender.encode(0x5301, floorPayload)));
    }
    for (; floorVerifyCarry >= 1; floorVerifyCarry--) {
      bh.consume(floorVerifier.verify(floorIdentity.id(), floorPayload, 0, floorPayload.length,
          floorSignature, 0));
    }
    floorSignCarry += ledgerOpsPerTask;
    for (; floorSignCarry >= 1; floorSignCarry--) { // the signer's own signature
      floorIdentity.sign(floorPayload, 0, floorPayload.length, floorSignature, 0);
    }
  }
}
