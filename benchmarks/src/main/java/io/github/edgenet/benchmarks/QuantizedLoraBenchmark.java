package io.github.edgenet.benchmarks;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.vector.QuantizedKernels;
import io.github.edgenet.core.vector.VectorKernels;
import io.github.edgenet.lora.LoraAdapter;
import io.github.edgenet.lora.LoraScaling;
import io.github.edgenet.lora.MicroLora;
import io.github.edgenet.lora.WeightFormat;
import io.github.edgenet.lora.quant.QuantizedLora;
import io.github.edgenet.lora.quant.QuantizedVector;
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
 * One LoRA forward, {@code y += scale * B A x} with {@code A: rank x dim} and {@code B: dim x rank},
 * with the weights in f32 ({@link MicroLora}) or in llama.cpp Q8_0/Q4_0 blocks
 * ({@link QuantizedLora}). SIMD and scalar side by side: every {@code *Panama} method forks a JVM
 * with {@code --add-modules jdk.incubator.vector}, every {@code *Scalar} twin one with
 * {@code -Dedgenet.vector.forceScalar=true}; the setups fail if the expected kernels are not the
 * ones running. Weights are trained-like (Gaussian A and a non-zero Gaussian B).
 *
 * <ul>
 *   <li>{@code forward*}: one adapter, called again and again; its weights stay in cache (L1/L2).
 *   <li>{@code batch*}: the same adapter on a batch of {@value #BATCH} rows per call.
 *   <li>{@code int8Forward*}: the 8-bit activation path, quantizing {@code x} (into a reused
 *       buffer) and running the int8 x int8 dot, per call.
 *   <li>{@code poolForward*}: a pool of {@value Pool#ADAPTERS} adapters of rank 16 at d = 4096,
 *       one forward each in turn, so the weights (32 MiB in f32, 8.5 MiB in Q8_0) stream from
 *       beyond L2: the case where the smaller format should win outright.
 * </ul>
 *
 * <p>Throughput ratio of format F against f32 = (f32 ns/op) / (F ns/op).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class QuantizedLoraBenchmark {
  static final String VECTOR = "--add-modules=jdk.incubator.vector";
  static final String SCALAR = "-Dedgenet.vector.forceScalar=true";

  static void checkImplementation() {
    boolean expectVector = !Boolean.getBoolean("edgenet.vector.forceScalar");
    if (VectorKernels.isVectorized() != expectVector) {
      throw new IllegalStateException("expected " + (expectVector ? "SIMD" : "scalar")
          + " kernels, running " + QuantizedKernels.implementationName());
    }
  }

  static MicroLora trained(RandomSource r, int dim, int rank) {
    float[] a = Benchmarks.gaussian(r, rank * dim);
    float[] bt = Benchmarks.gaussian(r, rank * dim);
    float sa = (float) (1 / Math.sqrt(dim));
    for (int i = 0; i < a.length; i++) {
      a[i] *= sa;
      bt[i] *= 0.05f;
    }
    return MicroLora.ofWeights(dim, dim, rank, 2f * rank, LoraScaling.STANDARD, a, bt);
  }

  static LoraAdapter inFormat(MicroLora f32, WeightFormat format) {
    return format == WeightFormat.F32 ? f32 : QuantizedLora.quantize(f32, format);
  }

  /** One adapter, hot in cache. */
  @State(Scope.Benchmark)
  public static class Single {
    @Param({"F32", "Q8_0", "Q4_0"})
    WeightFormat format;

    @Param({"2", "16"})
    int rank;

    @Param({"256", "4096"})
    int dim;

    LoraAdapter adapter;
    float[] x;
    float[] y;
    float[] xs;
    float[] ys;

    @Setup
    public void setUp() {
      checkImplementation();
      RandomSource r = RandomSource.seeded(rank * 100_003L + dim);
      adapter = inFormat(trained(r, dim, rank), format);
      x = Benchmarks.gaussian(r, dim);
      y = new float[dim];
      xs = Benchmarks.gaussian(r, BATCH * dim);
      ys = new float[BATCH * dim];
    }
  }

  /** Rows per call in the batch benchmarks; their score is per call, divide by 32 per row. */
  static final int BATCH = 32;

  /** The 8-bit activation path on one adapter. */
  @State(Scope.Benchmark)
  public static class Int8 {
    @Param({"Q8_0", "Q4_0"})
    WeightFormat format;

    @Param({"16"})
    int rank;

    @Param({"4096"})
    int dim;

    QuantizedLora adapter;
    QuantizedVector xq;
    float[] x;
    float[] y;

    @Setup
    public void setUp() {
      checkImplementation();
      RandomSource r = RandomSource.seeded(rank * 100_003L + dim);
      adapter = QuantizedLora.quantize(trained(r, dim, rank), format);
      x = Benchmarks.gaussian(r, dim);
      xq = new QuantizedVector(dim);
      y = new float[dim];
    }
  }

  /** Many adapters used in turn, so that their weights do not fit in L2. */
  @State(Scope.Benchmark)
  public static class Pool {
    static final int ADAPTERS = 64;

    @Param({"F32", "Q8_0"})
    WeightFormat format;

    LoraAdapter[] adapters;
    float[] x;
    float[] y;
    int next;

    @Setup
    public void setUp() {
      checkImplementation();
      RandomSource r = RandomSource.seeded(64);
      int dim = 4096;
      adapters = new LoraAdapter[ADAPTERS];
      for (int i = 0; i < ADAPTERS; i++) {
        adapters[i] = inFormat(trained(r, dim, 16), format);
      }
      x = Benchmarks.gaussian(r, dim);
      y = new float[dim];
    }

    LoraAdapter next() {
      LoraAdapter a = adapters[next];
      next = (next + 1) & (ADAPTERS - 1);
      return a;
    }
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = VECTOR)
  public float[] forwardPanama(Single s) {
    s.adapter.forward(s.x, s.y);
    return s.y;
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = SCALAR)
  public float[] forwardScalar(Single s) {
    s.adapter.forward(s.x, s.y);
    return s.y;
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = VECTOR)
  public float[] batchPanama(Single s) {
    s.adapter.forwardBatch(s.xs, 0, s.ys, 0, BATCH);
    return s.ys;
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = SCALAR)
  public float[] batchScalar(Single s) {
    s.adapter.forwardBatch(s.xs, 0, s.ys, 0, BATCH);
    return s.ys;
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = VECTOR)
  public float[] int8ForwardPanama(Int8 s) {
    s.adapter.forward(s.xq.quantize(s.x, 0), s.y, 0);
    return s.y;
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = SCALAR)
  public float[] int8ForwardScalar(Int8 s) {
    s.adapter.forward(s.xq.quantize(s.x, 0), s.y, 0);
    return s.y;
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = VECTOR)
  public float[] poolForwardPanama(Pool s) {
    s.next().forward(s.x, s.y);
    return s.y;
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = SCALAR)
  public float[] poolForwardScalar(Pool s) {
    s.next().forward(s.x, s.y);
    return s.y;
  }
}
