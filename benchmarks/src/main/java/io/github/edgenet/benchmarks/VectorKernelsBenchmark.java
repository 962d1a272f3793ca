package io.github.edgenet.benchmarks;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.vector.VectorKernels;
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
 * core's vector kernels, SIMD and scalar side by side in one run: every {@code *Panama} method
 * forks a JVM with {@code --add-modules jdk.incubator.vector}, every {@code *Scalar} twin a JVM
 * with {@code -Dedgenet.vector.forceScalar=true}; both call the same public {@link VectorKernels}
 * method, and the setup fails if the expected implementation is not the one running.
 *
 * <p>gemv is {@code size x size}; its GFLOP/s is {@code 2 * size^2 / (ns/op)}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class VectorKernelsBenchmark {
  static final String VECTOR = "--add-modules=jdk.incubator.vector";
  static final String SCALAR = "-Dedgenet.vector.forceScalar=true";

  @Param({"64", "256", "1024", "4096"})
  int size;

  float[] a;
  float[] b;
  float[] matrix;
  float[] y;

  @Setup
  public void setUp() {
    boolean expectVector = !Boolean.getBoolean("edgenet.vector.forceScalar");
    if (VectorKernels.isVectorized() != expectVector) {
      throw new IllegalStateException(
          "expected " + (expectVector ? "SIMD" : "scalar") + " kernels, running " + VectorKernels.implementationName());
    }
    RandomSource r = RandomSource.seeded(size);
    a = Benchmarks.gaussian(r, size);
    b = Benchmarks.gaussian(r, size);
    matrix = Benchmarks.gaussian(r, size * size);
    y = new float[size];
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = VECTOR)
  public float dotPanama() {
    return VectorKernels.dot(a, b);
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = SCALAR)
  public float dotScalar() {
    return VectorKernels.dot(a, b);
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = VECTOR)
  public float[] gemvPanama() {
    VectorKernels.gemv(matrix, size, size, a, y);
    return y;
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = SCALAR)
  public float[] gemvScalar() {
    VectorKernels.gemv(matrix, size, size, a, y);
    return y;
  }
}
