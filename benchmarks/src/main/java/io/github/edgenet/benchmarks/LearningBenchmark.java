package io.github.edgenet.benchmarks;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.vector.VectorKernels;
import io.github.edgenet.learning.aggregate.Aggregator;
import io.github.edgenet.learning.aggregate.Aggregators;
import io.github.edgenet.learning.gossip.PushSumState;
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
 * learning's hot paths (prioritized replay has its own {@link ReplayBenchmark}). Two independent
 * states:
 *
 * <ul>
 *   <li>{@link Gossip}: one synchronous push-sum round (every node pushes half to a random peer)
 *       over N network-free {@link PushSumState}s; setup prints how many rounds reach relative
 *       error 1e-6 from random values (the "rounds vs N" table), and N / (time per round) is the
 *       simulated messages per second.
 *   <li>{@link Aggregate}: each aggregation rule on n = 50 vectors of d = 10,000, as {@code
 *       *Panama} and {@code *Scalar} twins forked with and without the Vector API, as in {@link
 *       VectorKernelsBenchmark}. The rules built on core's kernels (mean, Krum, Multi-Krum,
 *       centered clipping) run different code in the two forks; the median and the trimmed mean
 *       sort each coordinate's column and call no kernel, so their twins run the same code.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = VectorKernelsBenchmark.VECTOR)
public class LearningBenchmark {

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

  /**
   * Sort per coordinate, no core kernel: the same code runs in both forks, so the twins measure
   * that there is no SIMD path (ratio about 1), under the same fork conditions as the others.
   */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public float[] medianPanama(Aggregate a) {
    a.median.aggregate(a.inputs, a.out);
    return a.out;
  }

  /** See {@link #medianPanama}. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Fork(value = 1, jvmArgsAppend = VectorKernelsBenchmark.SCALAR)
  public float[] medianScalar(Aggregate a) {
    a.median.aggregate(a.inputs, a.out);
    return a.out;
  }

  /** Sort per coordinate, no core kernel: see {@link #medianPanama}. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public float[] trimmedMeanPanama(Aggregate a) {
    a.trimmed.aggregate(a.inputs, a.out);
    return a.out;
  }

  /** See {@link #trimmedMeanPanama}. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Fork(value = 1, jvmArgsAppend = VectorKernelsBenchmark.SCALAR)
  public float[] trimmedMeanScalar(Aggregate a) {
    a.trimmed.aggregate(a.inputs, a.out);
    return a.out;
  }
}
