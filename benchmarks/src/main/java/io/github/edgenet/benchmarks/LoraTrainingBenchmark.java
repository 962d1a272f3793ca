package io.github.edgenet.benchmarks;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.vector.VectorKernels;
import io.github.edgenet.lora.LoraMerge;
import io.github.edgenet.lora.Optimizer;
import io.github.edgenet.lora.LoraScaling;
import io.github.edgenet.lora.LoraTrainer;
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
 * lora training and merging, SIMD ({@code *Panama}) and scalar ({@code *Scalar}) side by side.
 *
 * <p>One training operation is one sample's backward pass plus one optimizer step:
 * {@code trainer.accumulate(x, dy); trainer.step()} on a {@code d -> d} adapter, the unit of
 * online learning on an edge node. The upstream gradient alternates between {@code dy} and
 * {@code -dy} so that the weights oscillate around their start instead of drifting (every call
 * does the same work). {@code shape} is {@code rank x d}. Target: rank 2, d = 256, SGD, at most
 * 150 ns; momentum and Adam are reported beside it. Run with {@code -prof gc} to see that
 * training allocates nothing.
 *
 * <p>The merge is four rank-4 adapters, {@code 1024 -> 1024}, merged exactly and truncated to
 * rank 8 (QR of two 1024 x 16 stacks, SVD of a 16 x 16 core); it allocates its result and scratch.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LoraTrainingBenchmark {
  static final String VECTOR = "--add-modules=jdk.incubator.vector";
  static final String SCALAR = "-Dedgenet.vector.forceScalar=true";

  static void checkImplementation() {
    boolean expectVector = !Boolean.getBoolean("edgenet.vector.forceScalar");
    if (VectorKernels.isVectorized() != expectVector) {
      throw new IllegalStateException(
          "expected " + (expectVector ? "SIMD" : "scalar") + " kernels, running "
              + VectorKernels.implementationName());
    }
  }

  /** One adapter per optimizer: plain SGD, SGD with momentum 0.9, Adam. */
  @State(Scope.Thread)
  public static class Training {
    @Param({"2x256", "16x1024"})
    String shape;

    float[] x;
    float[] dy;
    float[] minusDy;
    LoraTrainer sgd;
    LoraTrainer momentum;
    LoraTrainer adam;
    long calls;

    @Setup
    public void setUp() {
      checkImplementation();
      int rank = Integer.parseInt(shape.substring(0, shape.indexOf('x')));
      int d = Integer.parseInt(shape.substring(shape.indexOf('x') + 1));
      RandomSource r = RandomSource.seeded(rank * 31L + d);
      float[] a = Benchmarks.gaussian(r, rank * d);
      float[] bt = Benchmarks.gaussian(r, rank * d);
      for (int i = 0; i < a.length; i++) {
        a[i] /= (float) Math.sqrt(d);
      }
      x = Benchmarks.gaussian(r, d);
      dy = Benchmarks.gaussian(r, d);
      minusDy = dy.clone();
      for (int i = 0; i < d; i++) {
        minusDy[i] = -dy[i];
      }
      sgd = LoraTrainer.builder(MicroLora.ofWeights(d, d, rank, rank, LoraScaling.STANDARD, a, bt))
          .optimizer(Optimizer.sgd(1e-4f))
          .build();
      momentum = LoraTrainer.builder(MicroLora.ofWeights(d, d, rank, rank, LoraScaling.STANDARD, a, bt))
          .optimizer(Optimizer.sgd(1e-4f, 0.9f))
          .build();
      adam = LoraTrainer.builder(MicroLora.ofWeights(d, d, rank, rank, LoraScaling.STANDARD, a, bt))
          .optimizer(Optimizer.adam(1e-4f))
          .build();
    }

    /** The buffered path: accumulate one sample, then step. */
    float train(LoraTrainer trainer) {
      trainer.accumulate(x, (calls++ & 1) == 0 ? dy : minusDy);
      return trainer.step();
    }

    /** The online path: one unbuffered update (same result as train). */
    float update(LoraTrainer trainer) {
      return trainer.update(x, (calls++ & 1) == 0 ? dy : minusDy);
    }
  }

  /** Four rank-4 adapters, 1024 -> 1024. */
  @State(Scope.Benchmark)
  public static class Merging {
    MicroLora[] adapters;

    @Setup
    public void setUp() {
      checkImplementation();
      RandomSource r = RandomSource.seeded(4);
      adapters = new MicroLora[4];
      for (int j = 0; j < adapters.length; j++) {
        adapters[j] = MicroLora.ofWeights(1024, 1024, 4, 4f, LoraScaling.STANDARD,
            Benchmarks.gaussian(r, 4 * 1024), Benchmarks.gaussian(r, 4 * 1024));
      }
    }

    LoraMerge.Result merge() {
      return LoraMerge.builder()
          .add(adapters[0], 0.4).add(adapters[1], 0.3).add(adapters[2], 0.2).add(adapters[3], 0.1)
          .rank(8)
          .merge();
    }
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = VECTOR)
  public float sgdStepPanama(Training s) {
    return s.train(s.sgd);
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = SCALAR)
  public float sgdStepScalar(Training s) {
    return s.train(s.sgd);
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = VECTOR)
  public float sgdMomentumStepPanama(Training s) {
    return s.train(s.momentum);
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = SCALAR)
  public float sgdMomentumStepScalar(Training s) {
    return s.train(s.momentum);
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = VECTOR)
  public float adamStepPanama(Training s) {
    return s.train(s.adam);
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = SCALAR)
  public float adamStepScalar(Training s) {
    return s.train(s.adam);
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = VECTOR)
  public float sgdUpdatePanama(Training s) {
    return s.update(s.sgd);
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = SCALAR)
  public float sgdUpdateScalar(Training s) {
    return s.update(s.sgd);
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = VECTOR)
  public float sgdMomentumUpdatePanama(Training s) {
    return s.update(s.momentum);
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = VECTOR)
  public float adamUpdatePanama(Training s) {
    return s.update(s.adam);
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = VECTOR)
  public LoraMerge.Result mergeFourRank4To8Panama(Merging s) {
    return s.merge();
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = SCALAR)
  public LoraMerge.Result mergeFourRank4To8Scalar(Merging s) {
    return s.merge();
  }
}
