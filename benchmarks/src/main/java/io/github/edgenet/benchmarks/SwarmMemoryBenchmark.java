package io.github.edgenet.benchmarks;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.vector.VectorKernels;
import io.github.edgenet.swarm.memory.CollectiveMemory;
import io.github.edgenet.swarm.memory.Pattern;
import io.github.edgenet.swarm.memory.PatternId;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Collective memory recall: top 10 among 10,000 or 100,000 patterns of dimension 256, through the
 * exact f32 scan or the Q8_0 index (same answers), with SIMD ({@code recall}) and forced scalar
 * ({@code recallScalar}); and the machine's sequential read bandwidth over 100 MB of floats (the
 * f32 centroids of 100,000 patterns), the floor of an f32 scan.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SwarmMemoryBenchmark}; add {@code
 * -prof gc} to see that a recall allocates nothing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
public class SwarmMemoryBenchmark {
  static final int D = 256;

  @Param({"10000", "100000"})
  int patterns;

  @Param({"f32", "q8_0"})
  String index;

  CollectiveMemory memory;
  float[][] queries;
  final int[] slots = new int[10];
  final float[] scores = new float[10];
  int next;

  @Setup(Level.Trial)
  public void setUp() {
    RandomSource r = RandomSource.seeded(2026);
    NodeId self = NodeId.of(new byte[32]);
    memory = CollectiveMemory.builder(self, D).maxPatterns(patterns).maxK(16)
        .quantizedIndex(index.equals("q8_0")).build();
    float[][] centres = new float[1000][];
    for (int c = 0; c < centres.length; c++) {
      centres[c] = Benchmarks.gaussian(r, D);
    }
    for (int i = 0; i < patterns; i++) {
      float[] v = centres[r.nextInt(centres.length)].clone();
      for (int j = 0; j < D; j++) {
        v[j] += (float) r.nextGaussian();
      }
      memory.restore(new Pattern(new PatternId(self, i), v, List.of(), 0.05 + 0.9 * r.nextDouble(), 1, 0));
    }
    queries = new float[64][];
    for (int q = 0; q < queries.length; q++) {
      queries[q] = Benchmarks.gaussian(r, D);
    }
  }

  @Benchmark
  public int recall() {
    float[] q = queries[next++ & 63];
    return memory.recall(q, 10, slots, scores) + slots[0];
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"-Dedgenet.vector.forceScalar=true", "-Xms2g", "-Xmx2g"})
  public int recallScalar() {
    float[] q = queries[next++ & 63];
    return memory.recall(q, 10, slots, scores) + slots[0];
  }

  /** 100 MB of floats, read once per operation. */
  @State(Scope.Benchmark)
  public static class Bandwidth {
    float[] data;

    @Setup(Level.Trial)
    public void setUp() {
      data = Benchmarks.gaussian(RandomSource.seeded(1), 100_000 * D);
    }
  }

  /** Sums 102.4 MB of floats: bytes / time is the read bandwidth an f32 scan can reach. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public float readBandwidth100MB(Bandwidth b) {
    return VectorKernels.sum(b.data);
  }
}
