package io.github.edgenet.benchmarks;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.learning.replay.PrioritizedReplayBuffer;
import io.github.edgenet.learning.replay.ReplayBatch;
import io.github.edgenet.learning.replay.SegmentTree;
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
 * Prioritized replay at capacity 1,000,000 (full, random priorities), three designs in one run:
 *
 * <ul>
 *   <li>{@code sample32}, {@code update}: {@link PrioritizedReplayBuffer} (an 8-ary tree whose
 *       leaves are shared by the sum and the min reductions, sibling sums and minima interleaved,
 *       the 32 descents run level by level);
 *   <li>{@code sample32Binary}, {@code updateBinary}: the first version of the buffer, kept here
 *       as {@link BinaryReplay}: two binary {@link SegmentTree}s (OpenAI baselines' layout), one
 *       descent after the other;
 *   <li>{@code linearScan32}: the original design, a cumulative-sum scan per draw.
 * </ul>
 *
 * <p>{@code pow32} is the 32 {@code Math.pow} calls a sample spends on importance weights, and
 * {@code descend32Binary} the binary descents alone, to split a sample's time. Run with {@code -p
 * capacity=4096} to see the same work with every tree in cache.
 */
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReplayBenchmark {

  /** Full buffers of {@code capacity} items with the same random priorities. */
  @State(Scope.Benchmark)
  public static class Replay {
    @Param({"1000000"})
    int capacity;

    PrioritizedReplayBuffer<Integer> buffer;
    ReplayBatch<Integer> batch;
    BinaryReplay binary;
    double[] priorities;
    int[] found;
    double[] bases;
    float[] weights;
    RandomSource random;

    @Setup
    public void setUp() {
      random = RandomSource.seeded(1);
      buffer = PrioritizedReplayBuffer.<Integer>builder(capacity).alpha(0.6).build();
      binary = new BinaryReplay(capacity, 0.6, 0.4);
      priorities = new double[capacity];
      Integer item = 0;
      for (int i = 0; i < capacity; i++) {
        int slot = buffer.add(item);
        double p = random.nextDouble() * 10;
        buffer.updatePriority(slot, p);
        binary.update(slot, p);
        priorities[i] = buffer.storedPriority(slot);
      }
      batch = buffer.newBatch(32);
      found = new int[32];
      bases = new double[32];
      weights = new float[32];
      for (int i = 0; i < 32; i++) {
        bases[i] = 0.5 + random.nextDouble() * 20;
      }
    }
  }

  /**
   * The first version of the buffer's hot paths, over two binary {@link SegmentTree}s (2 x 2^21
   * doubles at capacity 1,000,000), for comparison in the same run.
   */
  static final class BinaryReplay {
    final SegmentTree sums;
    final SegmentTree mins;
    final double alpha;
    final double beta;
    final int size;

    BinaryReplay(int capacity, double alpha, double beta) {
      sums = new SegmentTree(SegmentTree.Kind.SUM, capacity);
      mins = new SegmentTree(SegmentTree.Kind.MIN, capacity);
      this.alpha = alpha;
      this.beta = beta;
      this.size = capacity;
    }

    void update(int slot, double priority) {
      double stored = Math.pow(priority + 1e-6, alpha);
      sums.set(slot, stored);
      mins.set(slot, stored);
    }

    void sample(int[] slots, float[] weights, RandomSource random) {
      double total = sums.sum();
      double minProbability = mins.min() / total;
      int k = slots.length;
      double segment = total / k;
      double maxWeight = Math.pow(size * minProbability, -beta);
      for (int i = 0; i < k; i++) {
        double u = Math.min((i + random.nextDouble()) * segment, Math.nextDown(total));
        int slot = Math.min(sums.findPrefixSum(u), size - 1);
        double p = sums.get(slot) / total;
        slots[i] = slot;
        weights[i] = (float) (Math.pow(size * p, -beta) / maxWeight);
      }
    }
  }

  /** Stratified sample of 32 with importance weights: target {@code <=} 10 us. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public ReplayBatch<Integer> sample32(Replay s) {
    s.buffer.sample(s.batch, s.random);
    return s.batch;
  }

  /** The same with the first version's two binary trees. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public float[] sample32Binary(Replay s) {
    s.binary.sample(s.found, s.weights, s.random);
    return s.weights;
  }

  /** Only the 32 binary descents of {@code sample32Binary}, no weights. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int[] descend32Binary(Replay s) {
    double segment = s.binary.sums.sum() / 32;
    for (int i = 0; i < 32; i++) {
      s.found[i] = s.binary.sums.findPrefixSum((i + s.random.nextDouble()) * segment);
    }
    return s.found;
  }

  /** Only the 32 {@code Math.pow} calls of the importance weights. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public float[] pow32(Replay s) {
    double beta = -0.4 - s.random.nextDouble() * 1e-9;
    for (int i = 0; i < 32; i++) {
      s.weights[i] = (float) Math.pow(s.bases[i], beta);
    }
    return s.weights;
  }

  /** One priority update (sum and min): target {@code <=} 1 us. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public PrioritizedReplayBuffer<Integer> update(Replay s) {
    s.buffer.updatePriority(s.random.nextInt(s.capacity), s.random.nextDouble() * 10);
    return s.buffer;
  }

  /** The same with the first version's two binary trees. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public BinaryReplay updateBinary(Replay s) {
    s.binary.update(s.random.nextInt(s.capacity), s.random.nextDouble() * 10);
    return s.binary;
  }

  /** The original design: 32 draws, each a linear cumulative-sum scan over the priorities. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int[] linearScan32(Replay s) {
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
}
