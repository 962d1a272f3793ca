package io.github.edgenet.core.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.edgenet.core.testing.Allocations;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every public kernel, once C2 has compiled it, allocates nothing: the guard against the Vector
 * API's silent fallback. When C2 cannot intrinsify a Vector API call (typically because a kernel
 * method outgrew its inlining budget), the code stays correct but boxes every vector into a heap
 * object and runs hundreds of times slower; no differential test can see that, only the
 * allocation it causes. (It happened once: the first batched Q4_0 kernel was a single method and
 * ran 1000x slower in some shapes until it was split.)
 *
 * <p>Runs in its own surefire execution ({@code kernels-compiled} in core's pom) with
 * {@code -XX:-BackgroundCompilation}, so that a hot method is compiled before the thread goes on
 * and the warm-up below deterministically ends in C2 code. Each kernel runs at d = 64 (whole
 * vectors), 10 (less than one vector), 80 (a tail) and 64 again, in that order: a kernel called
 * with lengths below and above the vector width is where a JIT recompilation once left the
 * fallback in place (docs/lora.md). Rank 3 covers a pair of ranks and an odd one, batches of 6 a
 * four-row pass and single rows. The measure is the smallest count over several windows, so that
 * a one-off event of the JIT cannot fail the test while a per-call allocation fails every window.
 */
class CompiledKernelsAllocationTest {
  private static final int WARMUP_CALLS = 30_000;
  private static final int WINDOW_CALLS = 500;
  private static final int WINDOWS = 8;

  static Stream<Arguments> kernels() {
    List<Arguments> kernels = new ArrayList<>();
    int[] dims = {64, 10, 80, 64};
    for (int i = 0; i < dims.length; i++) {
      addKernels(kernels, "d = " + dims[i] + (i > 0 && dims[i] == dims[0] ? " again" : ""), dims[i],
          new SplittableRandom(i));
    }
    return kernels.stream();
  }

  private static void addKernels(
      List<Arguments> kernels, String shape, int d, SplittableRandom random) {
    int rank = 3;
    int batch = 6;
    float[] x = uniform(random, d);
    float[] y = uniform(random, d);
    float[] m = uniform(random, rank * d);
    float[] bt = uniform(random, rank * d);
    float[] h = new float[rank];
    float[] xs = uniform(random, batch * d);
    float[] ys = new float[batch * d];
    float[] hs = new float[batch * rank];
    int[] rows = {5, 0, 3, 1, 4};
    float[] sink = new float[1]; // results of pure kernels go here, so the JIT cannot drop them
    float tiny = 1e-6f; // keeps repeated additions into y finite and far from overflow

    add(kernels, "dot", shape, () -> sink[0] += VectorKernels.dot(x, 0, y, 0, d));
    add(kernels, "axpy", shape, () -> VectorKernels.axpy(tiny, x, 0, y, 0, d));
    add(kernels, "scale", shape, () -> VectorKernels.scale(1f, y, 0, d));
    add(kernels, "add", shape, () -> VectorKernels.add(x, 0, y, 0, ys, 0, d));
    add(kernels, "sum", shape, () -> sink[0] += VectorKernels.sum(x, 0, d));
    add(kernels, "squaredDistance", shape, () -> sink[0] += VectorKernels.squaredDistance(x, 0, y, 0, d));
    add(kernels, "cosine", shape, () -> sink[0] += VectorKernels.cosine(x, 0, y, 0, d));
    add(kernels, "gemv", shape, () -> VectorKernels.gemv(m, 0, rank, d, x, 0, h, 0));
    add(kernels, "gemvAndSquaredNorm rank 2", shape,
        () -> sink[0] += VectorKernels.gemvAndSquaredNorm(m, 0, 2, d, x, 0, h, 0));
    add(kernels, "gemvBatch", shape, () -> VectorKernels.gemvBatch(m, 0, rank, d, xs, 0, batch, hs, 0));
    add(kernels, "gemvTransposedAdd", shape,
        () -> VectorKernels.gemvTransposedAdd(bt, 0, rank, d, h, 0, y, 0));
    add(kernels, "addOuterProduct", shape,
        () -> VectorKernels.addOuterProduct(m, 0, rank, d, h, 0, x, 0));
    add(kernels, "lowRankAdd", shape,
        () -> VectorKernels.lowRankAdd(m, 0, bt, 0, rank, d, d, tiny, x, 0, y, 0));
    add(kernels, "lowRankAddBatch", shape,
        () -> VectorKernels.lowRankAddBatch(m, 0, bt, 0, rank, d, d, tiny, xs, 0, ys, 0, batch));
    add(kernels, "lowRankAddRows", shape,
        () -> VectorKernels.lowRankAddRows(m, 0, bt, 0, rank, d, d, tiny, xs, 0, ys, 0, rows, 0, 5));

    int blocks = QuantizedKernels.blocks(d);
    byte[] q8 = new byte[rank * blocks * QuantizedKernels.Q8_0_BLOCK_BYTES];
    byte[] q4 = new byte[rank * blocks * QuantizedKernels.Q4_0_BLOCK_BYTES];
    short[] s8 = new short[rank * blocks];
    short[] s4 = new short[rank * blocks];
    byte[] bq8 = new byte[q8.length];
    byte[] bq4 = new byte[q4.length];
    short[] bs8 = new short[s8.length];
    short[] bs4 = new short[s4.length];
    for (int k = 0; k < rank; k++) {
      QuantizedKernels.quantizeQ8_0(m, k * d, d, q8, k * blocks * QuantizedKernels.Q8_0_BLOCK_BYTES, s8, k * blocks);
      QuantizedKernels.quantizeQ4_0(m, k * d, d, q4, k * blocks * QuantizedKernels.Q4_0_BLOCK_BYTES, s4, k * blocks);
      QuantizedKernels.quantizeQ8_0(bt, k * d, d, bq8, k * blocks * QuantizedKernels.Q8_0_BLOCK_BYTES, bs8, k * blocks);
      QuantizedKernels.quantizeQ4_0(bt, k * d, d, bq4, k * blocks * QuantizedKernels.Q4_0_BLOCK_BYTES, bs4, k * blocks);
    }
    byte[] xq = new byte[blocks * QuantizedKernels.Q8_0_BLOCK_BYTES];
    short[] xd = new short[blocks];
    QuantizedKernels.quantizeQ8_0(x, 0, d, xq, 0, xd, 0);

    add(kernels, "quantizeQ8_0", shape, () -> QuantizedKernels.quantizeQ8_0(x, 0, d, xq, 0, xd, 0));
    add(kernels, "dotQ8_0", shape, () -> sink[0] += QuantizedKernels.dotQ8_0(q8, 0, s8, 0, x, 0, d));
    add(kernels, "dotQ4_0", shape, () -> sink[0] += QuantizedKernels.dotQ4_0(q4, 0, s4, 0, x, 0, d));
    add(kernels, "axpyQ8_0", shape, () -> QuantizedKernels.axpyQ8_0(tiny, q8, 0, s8, 0, y, 0, d));
    add(kernels, "axpyQ4_0", shape, () -> QuantizedKernels.axpyQ4_0(tiny, q4, 0, s4, 0, y, 0, d));
    add(kernels, "dotQ8_0Q8_0", shape, () -> sink[0] += QuantizedKernels.dotQ8_0Q8_0(q8, 0, s8, 0, xq, 0, xd, 0, d));
    add(kernels, "dotQ4_0Q8_0", shape, () -> sink[0] += QuantizedKernels.dotQ4_0Q8_0(q4, 0, s4, 0, xq, 0, xd, 0, d));
    add(kernels, "gemvBatchQ8_0", shape,
        () -> QuantizedKernels.gemvBatchQ8_0(q8, s8, rank, d, xs, 0, batch, hs, 0));
    add(kernels, "gemvBatchQ4_0", shape,
        () -> QuantizedKernels.gemvBatchQ4_0(q4, s4, rank, d, xs, 0, batch, hs, 0));
    add(kernels, "gemvTransposedAddBatchQ8_0", shape,
        () -> QuantizedKernels.gemvTransposedAddBatchQ8_0(q8, s8, rank, d, hs, 0, batch, ys, 0));
    add(kernels, "gemvTransposedAddBatchQ4_0", shape,
        () -> QuantizedKernels.gemvTransposedAddBatchQ4_0(q4, s4, rank, d, hs, 0, batch, ys, 0));
    add(kernels, "lowRankAddQ8_0", shape,
        () -> QuantizedKernels.lowRankAddQ8_0(q8, s8, bq8, bs8, rank, d, d, tiny, x, 0, y, 0));
    add(kernels, "lowRankAddQ4_0", shape,
        () -> QuantizedKernels.lowRankAddQ4_0(q4, s4, bq4, bs4, rank, d, d, tiny, x, 0, y, 0));
    add(kernels, "lowRankAddBatchQ8_0", shape,
        () -> QuantizedKernels.lowRankAddBatchQ8_0(q8, s8, bq8, bs8, rank, d, d, tiny, xs, 0, ys, 0, batch));
    add(kernels, "lowRankAddBatchQ4_0", shape,
        () -> QuantizedKernels.lowRankAddBatchQ4_0(q4, s4, bq4, bs4, rank, d, d, tiny, xs, 0, ys, 0, batch));
    add(kernels, "lowRankAddRowsQ8_0", shape,
        () -> QuantizedKernels.lowRankAddRowsQ8_0(q8, s8, bq8, bs8, rank, d, d, tiny, xs, 0, ys, 0, rows, 0, 5));
    add(kernels, "lowRankAddRowsQ4_0", shape,
        () -> QuantizedKernels.lowRankAddRowsQ4_0(q4, s4, bq4, bs4, rank, d, d, tiny, xs, 0, ys, 0, rows, 0, 5));
  }

  private static void add(List<Arguments> kernels, String name, String shape, Runnable kernel) {
    kernels.add(Arguments.of(name + ", " + shape, kernel));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kernels")
  void allocatesNothingOnceCompiled(String name, Runnable kernel) {
    assumeTrue(VectorKernels.isVectorized(), "the scalar kernels have no Vector API to fall back from");
    assumeTrue(Allocations.supported(), "per-thread allocation counting");
    for (int i = 0; i < WARMUP_CALLS; i++) {
      kernel.run();
    }
    long least = Long.MAX_VALUE;
    for (int w = 0; w < WINDOWS && least > 0; w++) {
      long before = Allocations.current();
      for (int i = 0; i < WINDOW_CALLS; i++) {
        kernel.run();
      }
      least = Math.min(least, Allocations.current() - before);
    }
    assertEquals(0, least, name + ": bytes allocated by " + WINDOW_CALLS
        + " compiled calls (the Vector API's boxing fallback?) with " + VectorKernels.implementationName());
  }

  /** Values in [-1, 1): any finite spread will do. */
  private static float[] uniform(SplittableRandom random, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return v;
  }
}
