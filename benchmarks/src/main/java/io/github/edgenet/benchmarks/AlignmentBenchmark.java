package io.github.edgenet.benchmarks;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.vector.VectorKernels;
import java.lang.management.ManagementFactory;
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
 * The LoRA forward kernel (rank 2, d = 256, one vector and a batch of 32) on memory of a known
 * alignment, to separate what the code costs from where the JVM happened to put the arrays.
 *
 * <p>A 512-bit load whose address is not a multiple of 32 bytes crosses a 64-byte cache line in
 * one of its two 256-bit halves, and on this machine kind that makes the load-bound forward about
 * 1.5x slower (hand-written C shows the same: {@code benchmarks/reference/lowrank_avx512.c}). Java
 * gives no control over where an array's elements start: HotSpot places objects on 8-byte
 * boundaries and a {@code float[]}'s elements 16 bytes after the object's start, so an array is
 * 32-byte aligned in about one run in four, differently in every fork and after every GC that moves
 * it. That is why {@link LoraForwardBenchmark} is bimodal per fork.
 *
 * <p>Here every fork runs with {@code -XX:ObjectAlignmentInBytes=64}, so every object starts on a
 * cache line and element {@code i} of a {@code float[]} sits at {@code 16 + 4 i} bytes from one;
 * {@code offset = 12} then puts the vectors of all four operands on line boundaries, and
 * {@code offset = 0} puts them all 16 bytes past one. The flag is a measurement device, not advice
 * for hosts (it pads every object to 64 bytes); the setup refuses to run without it, or with
 * compact object headers, under which the element offset is different.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:ObjectAlignmentInBytes=64"})
@State(Scope.Benchmark)
public class AlignmentBenchmark {
  static final int DIM = 256;
  static final int RANK = 2;
  static final int BATCH = 32;

  /** Floats from the array's first element to the operands: 12 = on a cache line, 0 = 16 bytes past. */
  @Param({"12", "0"})
  int offset;

  float[] a;
  float[] bt;
  float[] x;
  float[] y;
  float[] xs;
  float[] ys;

  @Setup
  public void setUp() {
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    if (!vm.getVMOption("ObjectAlignmentInBytes").getValue().equals("64")
        || vm.getVMOption("UseCompactObjectHeaders").getValue().equals("true")
        || !VectorKernels.isVectorized()) {
      throw new IllegalStateException(
          "needs -XX:ObjectAlignmentInBytes=64, no compact object headers and the Vector API");
    }
    RandomSource r = RandomSource.seeded(3);
    a = padded(Benchmarks.gaussian(r, RANK * DIM), 1f);
    bt = padded(Benchmarks.gaussian(r, RANK * DIM), 1e-6f);
    x = padded(Benchmarks.gaussian(r, DIM), 1f);
    y = new float[offset + DIM];
    xs = padded(Benchmarks.gaussian(r, BATCH * DIM), 1f);
    ys = new float[offset + BATCH * DIM];
  }

  private float[] padded(float[] values, float scale) {
    float[] out = new float[offset + values.length];
    for (int i = 0; i < values.length; i++) {
      out[offset + i] = values[i] * scale;
    }
    return out;
  }

  @Benchmark
  public float[] single() {
    VectorKernels.lowRankAdd(a, offset, bt, offset, RANK, DIM, DIM, 1f, x, offset, y, offset);
    return y;
  }

  @Benchmark
  public float[] batch() {
    VectorKernels.lowRankAddBatch(
        a, offset, bt, offset, RANK, DIM, DIM, 1f, xs, offset, ys, offset, BATCH);
    return ys;
  }
}
