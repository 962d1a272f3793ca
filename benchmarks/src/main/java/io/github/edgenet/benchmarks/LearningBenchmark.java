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

  /** n = 50 vectors of d = 10,000, one robust rule per {@code rule} parameter. */
  @State(Scope.Benchmark)
  public static class Aggregate {
    /**
     * The rule: the mean, Krum f = 10, Multi-Krum f = 10 m = 30 and centered clipping (tau 1, 3
     * iterations) go through core's kernels; the median and the trimmed mean (beta 0.2) sort each
     * coordinate and call no kernel, so their two forks run the same code (the twins measure that
     * there is no SIMD path).
     */
    @Param({"mean", "median", "trimmedMean", "krum", "multiKrum", "centeredClipping"})
    String rule;

    List<float[]> inputs;
    float[] out;
    Aggregator aggregator;

    @Setup
    public void setUp() {
      boolean expectVector = !Boolean.getBoolean("edgenet.vector.forceScalar");
      if (VectorKernels.isVectorized() != expectVector) {
        throw new IllegalStateException("expected " + (expectVector ? "SIMD" : "scalar")
            + " kernels, running " + VectorKernels.implementationName());
      }
      aggregator = switch (rule) {
        case "mean" -> Aggregators.mean();
        case "median" -> Aggregators.median();
        case "trimmedMean" -> Aggregators.trimmedMean(0.2);
        case "krum" -> Aggregators.krum(10);
        case "multiKrum" -> Aggregators.multiKrum(10, 30);
        case "centeredClipping" -> Aggregators.centeredClipping(1f, 3);
        default -> throw new IllegalArgumentException("unknown rule " + rule);
      };
      RandomSource r = RandomSource.seeded(50);
      inputs = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        inputs.add(Benchmarks.gaussian(r, 10_000));
      }
      out = new float[10_000];
    }
  }

  /** The rule with core's SIMD kernels. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public float[] aggregatePanama(Aggregate a) {
    a.aggregator.aggregate(a.inputs, a.out);
    return a.out;
  }

  /** The same rule with core's scalar kernels (a fork with the scalar kernels forced). */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Fork(value = 1, jvmArgsAppend = VectorKernelsBenchmark.SCALAR)
  public float[] aggregateScalar(Aggregate a) {
    a.aggregator.aggregate(a.inputs, a.out);
    return a.out;
  }
}
