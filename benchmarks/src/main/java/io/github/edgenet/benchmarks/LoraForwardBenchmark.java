package io.github.edgenet.benchmarks;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.vector.VectorKernels;
import io.github.edgenet.lora.LoraScaling;
import io.github.edgenet.lora.MicroLora;
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
 * f32 {@link MicroLora} forward over rank x dimension x batch, SIMD and scalar twins in one run.
 *
 * <p>Every op is one call: {@code single*} forwards one vector, {@code batch*} forwards
 * {@code batch} vectors (divide by the batch for the per-vector cost). The outputs accumulate
 * ({@code y += ΔW x}); with B at the scale used here they stay finite for the run's length.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class LoraForwardBenchmark {
  static final String VECTOR = "--add-modules=jdk.incubator.vector";
  static final String SCALAR = "-Dedgenet.vector.forceScalar=true";

  @Param({"1", "2", "4", "8", "16"})
  int rank;

  @Param({"64", "256", "1024", "4096"})
  int dim;

  @Param({"32"})
  int batch;

  MicroLora lora;
  float[] x;
  float[] y;
  float[] xs;
  float[] ys;

  @Setup
  public void setUp() {
    boolean expectVector = !Boolean.getBoolean("edgenet.vector.forceScalar");
    if (VectorKernels.isVectorized() != expectVector) {
      throw new IllegalStateException("unexpected kernels: " + VectorKernels.implementationName());
    }
    RandomSource r = RandomSource.seeded(rank * 100_003L + dim);
    lora = adapter(r, dim, rank);
    x = Benchmarks.gaussian(r, dim);
    y = new float[dim];
    xs = Benchmarks.gaussian(r, batch * dim);
    ys = new float[batch * dim];
  }

  static MicroLora adapter(RandomSource r, int dim, int rank) {
    float[] a = Benchmarks.gaussian(r, rank * dim);
    float[] bt = Benchmarks.gaussian(r, rank * dim);
    for (int i = 0; i < bt.length; i++) {
      bt[i] *= 1e-6f;
    }
    return MicroLora.ofWeights(dim, dim, rank, rank, LoraScaling.STANDARD, a, bt);
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = VECTOR)
  public float[] singlePanama() {
    lora.forward(x, 0, y, 0);
    return y;
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = SCALAR)
  public float[] singleScalar() {
    lora.forward(x, 0, y, 0);
    return y;
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = VECTOR)
  public float[] batchPanama() {
    lora.forwardBatch(xs, 0, ys, 0, batch);
    return ys;
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = SCALAR)
  public float[] batchScalar() {
    lora.forwardBatch(xs, 0, ys, 0, batch);
    return ys;
  }
}
