package io.github.edgenet.benchmarks;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.vector.VectorKernels;
import io.github.edgenet.learning.aggregate.Aggregator;
import io.github.edgenet.learning.aggregate.Aggregators;
import io.github.edgenet.learning.gossip.PushSumState;
import io.github.edgenet.learning.replay.PrioritizedReplayBuffer;
import io.github.edgenet.learning.replay.ReplayBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * learning's hot paths. Three independent states:
 *
 * <ul>
 *   <li>{@link Replay}: a prioritized replay buffer at capacity 1,000,000 (full, random
 *       priorities): a stratified sample of 32 and one priority update, beside the original
 *       design's linear scan (one cumulative-sum pass over the priorities per draw).
 *   <li>{@link Gossip}: one synchronous push-sum round (every node pushes half to a random peer)
 *       over N network-free {@link PushSumState}s; setup prints how many rounds reach relative
 *       error 1e-6 from random values (the "rounds vs N" table), and N / (time per round) is the
 *       simulated messages per second.
 *   <li>{@link Aggregate}: each aggregation rule on n = 50 vectors of d = 10,000; the rules built
 *       on core's kernels (mean, Krum, Multi-Krum, centered clipping) have {@code *Panama} and
 *       {@code *Scalar} twins forked with and without the Vector API, as in {@link
 *       VectorKernelsBenchmark}.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = VectorKernelsBenchmark.VECTOR)
public class LearningBenchmark {

  /** A full buffer of 1,000,000 items with random priorities. */
  @State(Scope.Benchmark)
  public static class Replay {
    static final int CAPACITY = 1_000_000;
    PrioritizedReplayBuffer<Integer> buffer;
    ReplayBatch<Integer> batch;
    double[] priorities;
    int[] found;
    RandomSource random;

    @Setup
    public void setUp() {
      random = RandomSource.seeded(1);
      buffer = PrioritizedReplayBuffer.<Integer>builder(CAPACITY).alpha(0.6).build();
      priorities = new double[CAPACITY];
      Integer item = 0;
      for (int i = 0; i < CAPACITY; i++) {
        int slot = buffer.add(item);
        double p = random.nextDouble() * 10;
        buffer.updatePriority(slot, p);
        priorities[i] = buffer.storedPriority(slot);
      }
      batch = buffer.newBatch(32);
      found = new int[32];
    }
  }

  /** Stratified sample of 32 with importance weights: target {@code <=} 10 us. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public ReplayBatch<Integer> replaySample32(Replay s) {
    s.buffer.sample(s.batch, s.random);
    return s.batch;
  }

  /** One priority update (sum tree and min tree): target {@code <=} 1 us. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public PrioritizedReplayBuffer<Integer> replayUpdate(Replay s) {
    s.buffer.updatePriority(s.random.nextInt(Replay.CAPACITY), s.random.nextDouble() * 10);
    return s.buffer;
  }

  /** The original design: 32 draws, each a linear cumulative-sum scan over the priorities. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int[] replayLinearScan32(Replay s) {
    double total = 0;
    for (double p : s.priorities) {
      total += p;
    }
    for (int k = 0; k < 32; k++) {
      double u = s.random.nextDouble() * total;
      double acc = 0;
      int i = 0;
      while (i < s.priorities.length - 1 && (acc += s.priorities[i]) <= u) {
        i++;
      }
      s.found[k] = i;
    }
    return s.found;
  }

  /** N push-sum nodes of one coordinate, random initial values. */
  @State(Scope.Benchmark)
  public static class Gossip {
    @Param({"1000", "10000", "100000"})
    int nodes;

    PushSumState[] states;
    RandomSource random;

    @Setup
    public void setUp() {
      random = RandomSource.seeded(nodes);
      states = fresh(nodes, random);
      double truth = 0;
      for (PushSumState s : states) {
        truth += s.sum(0) / nodes;
      }
      PushSumState[] probe = fresh(nodes, RandomSource.seeded(nodes));
      float[] e = new float[1];
      int rounds = 0;
      double worst = Double.POSITIVE_INFINITY;
      while (worst > 1e-6 && rounds < 1000) {
        round(probe, random);
        rounds++;
        worst = 0;
        for (PushSumState s : probe) {
          s.estimate(e);
          worst = Math.max(worst, Math.abs(e[0] - truth) / Math.abs(truth));
        }
      }
      System.out.println("push-sum N=" + nodes + ": " + rounds + " rounds to relative error "
          + worst + " (<= 1e-6)");
    }

    static PushSumState[] fresh(int n, RandomSource r) {
      PushSumState[] s = new PushSumState[n];
      for (int i = 0; i < n; i++) {
        s[i] = new PushSumState(new float[] {(float) (10 + r.nextGaussian())}, 1.0, 1);
      }
      return s;
    }

    static void round(PushSumState[] s, RandomSource r) {
      int n = s.length;
      for (int i = 0; i < n; i++) {
        int to = (i + 1 + r.nextInt(n - 1)) % n;
        s[to].receivePlain(s[i].pushPlain(0.5));
      }
    }
  }

  /** One synchronous round: N pushes delivered. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public PushSumState[] pushSumRound(Gossip g) {
    Gossip.round(g.states, g.random);
    return g.states;
  }

  /** n = 50 vectors of d = 10,000. */
  @State(Scope.Benchmark)
  public static class Aggregate {
    List<float[]> inputs;
    float[] out;
    final Aggregator mean = Aggregators.mean();
    final Aggregator median = Aggregators.median();
    final Aggregator trimmed = Aggregators.trimmedMean(0.2);
    final Aggregator krum = Aggregators.krum(10);
    final Aggregator multiKrum = Aggregators.multiKrum(10, 30);
    final Aggregator clipping = Aggregators.centeredClipping(1f, 3);

    @Setup
    public void setUp() {
      boolean expectVector = !Boolean.getBoolean("edgenet.vector.forceScalar");
      if (VectorKernels.isVectorized() != expectVector) {
        throw new IllegalStateException("expected " + (expectVector ? "SIMD" : "scalar")
            + " kernels, running " + VectorKernels.implementationName());
      }
      RandomSource r = RandomSource.seeded(50);
      inputs = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        inputs.add(Benchmarks.gaussian(r, 10_000));
      }
      out = new float[10_000];
    }
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public float[] meanPanama(Aggregate a) {
    a.mean.aggregate(a.inputs, a.out);
    return a.out;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Fork(value = 1, jvmArgsAppend = VectorKernelsBenchmark.SCALAR)
  public float[] meanScalar(Aggregate a) {
    a.mean.aggregate(a.inputs, a.out);
    return a.out;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public float[] krumPanama(Aggregate a) {
    a.krum.aggregate(a.inputs, a.out);
    return a.out;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Fork(value = 1, jvmArgsAppend = VectorKernelsBenchmark.SCALAR)
  public float[] krumScalar(Aggregate a) {
    a.krum.aggregate(a.inputs, a.out);
    return a.out;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public float[] multiKrumPanama(Aggregate a) {
    a.multiKrum.aggregate(a.inputs, a.out);
    return a.out;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Fork(value = 1, jvmArgsAppend = VectorKernelsBenchmark.SCALAR)
  public float[] multiKrumScalar(Aggregate a) {
    a.multiKrum.aggregate(a.inputs, a.out);
    return a.out;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public float[] centeredClippingPanama(Aggregate a) {
    a.clipping.aggregate(a.inputs, a.out);
    return a.out;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Fork(value = 1, jvmArgsAppend = VectorKernelsBenchmark.SCALAR)
  public float[] centeredClippingScalar(Aggregate a) {
    a.clipping.aggregate(a.inputs, a.out);
    return a.out;
  }

  /** Sort-based, no core kernel: one JVM. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public float[] median(Aggregate a) {
    a.median.aggregate(a.inputs, a.out);
    return a.out;
  }

  /** Sort-based, no core kernel: one JVM. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public float[] trimmedMean(Aggregate a) {
    a.trimmed.aggregate(a.inputs, a.out);
    return a.out;
  }
}
