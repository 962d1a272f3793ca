package io.github.edgenet.core.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.edgenet.core.testing.Allocations;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What only a compiled kernel can get wrong. Once C2 has compiled it, every public kernel
 *
 * <ol>
 *   <li>allocates nothing: the guard against the Vector API's silent fallback. When C2 cannot
 *       intrinsify a Vector API call (typically because a kernel method outgrew its inlining
 *       budget), the code stays correct but boxes every vector into a heap object and runs hundreds
 *       of times slower; no differential test can see that, only the allocation it causes. (It
 *       happened once: the first batched Q4_0 kernel was a single method and ran 1000x slower in
 *       some shapes until it was split.)
 *   <li>returns the same bits as it did interpreted, before any compilation: the guard for
 *       determinism. The interpreter runs the Vector API's Java code, C2 its own instructions; a
 *       {@code reduceLanes(ADD)} adds the lanes in a different order in each, so a kernel built on
 *       it changed its result by an ulp when it got compiled (a seeded simulation then diverged
 *       from its own re-run, and a test comparing two adapters failed once in CI). The kernels sum
 *       lanes in one fixed tree of lanewise operations instead.
 * </ol>
 *
 * <p>Runs in its own surefire execution ({@code kernels-compiled} in core's pom) with
 * {@code -XX:-BackgroundCompilation}, so that a hot method is compiled before the thread goes on
 * and the warm-up below deterministically ends in C2 code; no other test runs in that JVM first,
 * so the {@link BeforeAll} pass really calls every kernel cold. Each kernel runs at d = 64 (whole
 * vectors), 10 (less than one vector), 80 (a tail) and 64 again, in that order: a kernel called
 * with lengths below and above the vector width is where a JIT recompilation once left the
 * fallback in place (docs/lora.md). Rank 3 covers a pair of ranks and an odd one, batches of 6 a
 * four-row pass and single rows. The allocation measure is the smallest count over several
 * windows, so that a one-off event of the JIT cannot fail the test while a per-call allocation
 * fails every window.
 */
class CompiledKernelsTest {
  private static final int WARMUP_CALLS = 30_000;
  private static final int WINDOW_CALLS = 500;
  private static final int WINDOWS = 8;
  private static final int[] DIMS = {64, 10, 80, 64};

  /** What each kernel computed on a fresh workspace before anything was compiled, by case name. */
  private static final Map<String, int[]> COLD = new HashMap<>();

  @BeforeAll
  static void runEveryKernelOnceInterpreted() {
    kernels().forEach(arguments -> {
      Object[] a = arguments.get();
      Workspace fresh = (Workspace) a[1];
      @SuppressWarnings("unchecked")
      Consumer<Workspace> kernel = (Consumer<Workspace>) a[2];
      Workspace w = fresh.copy();
      kernel.accept(w);
      COLD.put((String) a[0], w.bits());
    });
  }

  static Stream<Arguments> kernels() {
    List<Arguments> kernels = new ArrayList<>();
    for (int i = 0; i < DIMS.length; i++) {
      String shape = "d = " + DIMS[i] + (i > 0 && DIMS[i] == DIMS[0] ? " again" : "");
      Workspace w = new Workspace(DIMS[i], new SplittableRandom(DIMS[i]));
      for (Map.Entry<String, Consumer<Workspace>> k : calls().entrySet()) {
        kernels.add(Arguments.of(k.getKey() + ", " + shape, w, k.getValue()));
      }
    }
    return kernels.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kernels")
  void allocatesNothingAndKeepsItsBitsOnceCompiled(
      String name, Workspace fresh, Consumer<Workspace> kernel) {
    assumeTrue(VectorKernels.isVectorized(), "the scalar kernels have no Vector API to fall back from");
    Workspace w = fresh.copy();
    for (int i = 0; i < WARMUP_CALLS; i++) {
      kernel.accept(w);
    }
    if (Allocations.supported()) {
      long least = Long.MAX_VALUE;
      for (int win = 0; win < WINDOWS && least > 0; win++) {
        long before = Allocations.current();
        for (int i = 0; i < WINDOW_CALLS; i++) {
          kernel.accept(w);
        }
        least = Math.min(least, Allocations.current() - before);
      }
      assertEquals(0, least, name + ": bytes allocated by " + WINDOW_CALLS
          + " compiled calls (the Vector API's boxing fallback?) with " + VectorKernels.implementationName());
    }
    Workspace hot = fresh.copy();
    kernel.accept(hot);
    int[] cold = COLD.get(name);
    int[] now = hot.bits();
    for (int i = 0; i < cold.length; i++) {
      if (cold[i] != now[i]) {
        fail(name + ": compiled result differs from the interpreted one at output word " + i + ": "
            + Float.intBitsToFloat(now[i]) + " vs " + Float.intBitsToFloat(cold[i]) + " (raw "
            + Integer.toHexString(now[i]) + " vs " + Integer.toHexString(cold[i]) + ")");
      }
    }
    // The bits were checked; the allocations only with the counter: without it, report a skip.
    Allocations.assumeSupported();
  }

  /** Every public kernel, by name, as a call on a workspace (results go into its arrays). */
  private static Map<String, Consumer<Workspace>> calls() {
    Map<String, Consumer<Workspace>> k = new java.util.LinkedHashMap<>();
    k.put("dot", w -> w.sink[0] += VectorKernels.dot(w.x, 0, w.y, 0, w.d));
    k.put("axpy", w -> VectorKernels.axpy(TINY, w.x, 0, w.y, 0, w.d));
    k.put("scale", w -> VectorKernels.scale(0.999f, w.y, 0, w.d));
    k.put("add", w -> VectorKernels.add(w.x, 0, w.y, 0, w.ys, 0, w.d));
    k.put("sum", w -> w.sink[0] += VectorKernels.sum(w.x, 0, w.d));
    k.put("squaredDistance", w -> w.sink[0] += VectorKernels.squaredDistance(w.x, 0, w.y, 0, w.d));
    k.put("cosine", w -> w.sink[0] += VectorKernels.cosine(w.x, 0, w.y, 0, w.d));
    k.put("gemv", w -> VectorKernels.gemv(w.m, 0, RANK, w.d, w.x, 0, w.h, 0));
    k.put("gemvAndSquaredNorm rank 2",
        w -> w.sink[0] += VectorKernels.gemvAndSquaredNorm(w.m, 0, 2, w.d, w.x, 0, w.h, 0));
    k.put("gemvBatch", w -> VectorKernels.gemvBatch(w.m, 0, RANK, w.d, w.xs, 0, BATCH, w.hs, 0));
    k.put("gemvTransposedAdd", w -> VectorKernels.gemvTransposedAdd(w.bt, 0, RANK, w.d, w.h, 0, w.y, 0));
    k.put("addOuterProduct", w -> VectorKernels.addOuterProduct(w.m, 0, RANK, w.d, w.h, 0, w.x, 0));
    k.put("lowRankAdd", w -> VectorKernels.lowRankAdd(w.m, 0, w.bt, 0, RANK, w.d, w.d, TINY, w.x, 0, w.y, 0));
    k.put("lowRankAddBatch",
        w -> VectorKernels.lowRankAddBatch(w.m, 0, w.bt, 0, RANK, w.d, w.d, TINY, w.xs, 0, w.ys, 0, BATCH));
    k.put("lowRankAddRows", w -> VectorKernels.lowRankAddRows(
        w.m, 0, w.bt, 0, RANK, w.d, w.d, TINY, w.xs, 0, w.ys, 0, ROWS, 0, ROWS.length));

    k.put("quantizeQ8_0", w -> QuantizedKernels.quantizeQ8_0(w.x, 0, w.d, w.xq, 0, w.xd, 0));
    k.put("dotQ8_0", w -> w.sink[0] += QuantizedKernels.dotQ8_0(w.q8, 0, w.s8, 0, w.x, 0, w.d));
    k.put("dotQ4_0", w -> w.sink[0] += QuantizedKernels.dotQ4_0(w.q4, 0, w.s4, 0, w.x, 0, w.d));
    k.put("axpyQ8_0", w -> QuantizedKernels.axpyQ8_0(TINY, w.q8, 0, w.s8, 0, w.y, 0, w.d));
    k.put("axpyQ4_0", w -> QuantizedKernels.axpyQ4_0(TINY, w.q4, 0, w.s4, 0, w.y, 0, w.d));
    k.put("dotQ8_0Q8_0",
        w -> w.sink[0] += QuantizedKernels.dotQ8_0Q8_0(w.q8, 0, w.s8, 0, w.xq, 0, w.xd, 0, w.d));
    k.put("dotQ4_0Q8_0",
        w -> w.sink[0] += QuantizedKernels.dotQ4_0Q8_0(w.q4, 0, w.s4, 0, w.xq, 0, w.xd, 0, w.d));
    k.put("gemvBatchQ8_0", w -> QuantizedKernels.gemvBatchQ8_0(w.q8, w.s8, RANK, w.d, w.xs, 0, BATCH, w.hs, 0));
    k.put("gemvBatchQ4_0", w -> QuantizedKernels.gemvBatchQ4_0(w.q4, w.s4, RANK, w.d, w.xs, 0, BATCH, w.hs, 0));
    k.put("gemvBatchQ8_0, 6 rows", // four vectors, then one: the leftover's four-row passes
        w -> QuantizedKernels.gemvBatchQ8_0(w.r8, w.rs8, BATCH, w.d, w.xs, 0, 5, w.ys, 0));
    k.put("gemvBatchQ4_0, 6 rows",
        w -> QuantizedKernels.gemvBatchQ4_0(w.r4, w.rs4, BATCH, w.d, w.xs, 0, 5, w.ys, 0));
    k.put("gemvTransposedAddBatchQ8_0",
        w -> QuantizedKernels.gemvTransposedAddBatchQ8_0(w.q8, w.s8, RANK, w.d, w.hs, 0, BATCH, w.ys, 0));
    k.put("gemvTransposedAddBatchQ4_0",
        w -> QuantizedKernels.gemvTransposedAddBatchQ4_0(w.q4, w.s4, RANK, w.d, w.hs, 0, BATCH, w.ys, 0));
    k.put("lowRankAddQ8_0", w -> QuantizedKernels.lowRankAddQ8_0(
        w.q8, w.s8, w.bq8, w.bs8, RANK, w.d, w.d, TINY, w.x, 0, w.y, 0));
    k.put("lowRankAddQ4_0", w -> QuantizedKernels.lowRankAddQ4_0(
        w.q4, w.s4, w.bq4, w.bs4, RANK, w.d, w.d, TINY, w.x, 0, w.y, 0));
    k.put("lowRankAddBatchQ8_0", w -> QuantizedKernels.lowRankAddBatchQ8_0(
        w.q8, w.s8, w.bq8, w.bs8, RANK, w.d, w.d, TINY, w.xs, 0, w.ys, 0, BATCH));
    k.put("lowRankAddBatchQ4_0", w -> QuantizedKernels.lowRankAddBatchQ4_0(
        w.q4, w.s4, w.bq4, w.bs4, RANK, w.d, w.d, TINY, w.xs, 0, w.ys, 0, BATCH));
    k.put("lowRankAddRowsQ8_0", w -> QuantizedKernels.lowRankAddRowsQ8_0(
        w.q8, w.s8, w.bq8, w.bs8, RANK, w.d, w.d, TINY, w.xs, 0, w.ys, 0, ROWS, 0, ROWS.length));
    k.put("lowRankAddRowsQ4_0", w -> QuantizedKernels.lowRankAddRowsQ4_0(
        w.q4, w.s4, w.bq4, w.bs4, RANK, w.d, w.d, TINY, w.xs, 0, w.ys, 0, ROWS, 0, ROWS.length));
    return k;
  }

  private static final int RANK = 3;
  private static final int BATCH = 6;
  private static final int[] ROWS = {5, 0, 3, 1, 4};
  /** Keeps repeated additions into y finite and far from overflow during the warm-up. */
  private static final float TINY = 1e-3f;

  /**
   * The arrays a kernel reads and writes. Inputs are uniform in [-1, 1) and the quantized ones
   * are quantized from them; outputs start as inputs too, so that in-place kernels (axpy, scale,
   * the low-rank adds) start from non-trivial values. {@link #copy()} gives each run its own.
   */
  static final class Workspace {
    final int d;
    final float[] x, y, m, bt, h, xs, ys, hs, sink;
    final byte[] q8, q4, bq8, bq4, xq, r8, r4;
    final short[] s8, s4, bs8, bs4, xd, rs8, rs4;

    Workspace(int d, SplittableRandom random) {
      this.d = d;
      x = uniform(random, d);
      y = uniform(random, d);
      m = uniform(random, RANK * d);
      bt = uniform(random, RANK * d);
      h = uniform(random, RANK);
      xs = uniform(random, BATCH * d);
      ys = uniform(random, BATCH * d);
      hs = uniform(random, BATCH * RANK);
      sink = new float[1];
      int blocks = QuantizedKernels.blocks(d);
      q8 = new byte[RANK * blocks * QuantizedKernels.Q8_0_BLOCK_BYTES];
      q4 = new byte[RANK * blocks * QuantizedKernels.Q4_0_BLOCK_BYTES];
      s8 = new short[RANK * blocks];
      s4 = new short[RANK * blocks];
      bq8 = new byte[q8.length];
      bq4 = new byte[q4.length];
      bs8 = new short[s8.length];
      bs4 = new short[s4.length];
      for (int k = 0; k < RANK; k++) {
        int o8 = k * blocks * QuantizedKernels.Q8_0_BLOCK_BYTES, o4 = k * blocks * QuantizedKernels.Q4_0_BLOCK_BYTES;
        QuantizedKernels.quantizeQ8_0(m, k * d, d, q8, o8, s8, k * blocks);
        QuantizedKernels.quantizeQ4_0(m, k * d, d, q4, o4, s4, k * blocks);
        QuantizedKernels.quantizeQ8_0(bt, k * d, d, bq8, o8, bs8, k * blocks);
        QuantizedKernels.quantizeQ4_0(bt, k * d, d, bq4, o4, bs4, k * blocks);
      }
      xq = new byte[blocks * QuantizedKernels.Q8_0_BLOCK_BYTES];
      xd = new short[blocks];
      QuantizedKernels.quantizeQ8_0(x, 0, d, xq, 0, xd, 0);
      // A matrix of BATCH rows (the rows of xs), for the kernels' four-row passes.
      r8 = new byte[BATCH * blocks * QuantizedKernels.Q8_0_BLOCK_BYTES];
      r4 = new byte[BATCH * blocks * QuantizedKernels.Q4_0_BLOCK_BYTES];
      rs8 = new short[BATCH * blocks];
      rs4 = new short[BATCH * blocks];
      for (int k = 0; k < BATCH; k++) {
        QuantizedKernels.quantizeQ8_0(xs, k * d, d, r8, k * blocks * QuantizedKernels.Q8_0_BLOCK_BYTES, rs8,
            k * blocks);
        QuantizedKernels.quantizeQ4_0(xs, k * d, d, r4, k * blocks * QuantizedKernels.Q4_0_BLOCK_BYTES, rs4,
            k * blocks);
      }
    }

    private Workspace(Workspace w) {
      d = w.d;
      x = w.x.clone(); y = w.y.clone(); m = w.m.clone(); bt = w.bt.clone(); h = w.h.clone();
      xs = w.xs.clone(); ys = w.ys.clone(); hs = w.hs.clone(); sink = w.sink.clone();
      q8 = w.q8.clone(); q4 = w.q4.clone(); bq8 = w.bq8.clone(); bq4 = w.bq4.clone(); xq = w.xq.clone();
      s8 = w.s8.clone(); s4 = w.s4.clone(); bs8 = w.bs8.clone(); bs4 = w.bs4.clone(); xd = w.xd.clone();
      r8 = w.r8.clone(); r4 = w.r4.clone(); rs8 = w.rs8.clone(); rs4 = w.rs4.clone();
    }

    Workspace copy() {
      return new Workspace(this);
    }

    /** Every array a kernel can write, as raw bits: what "the same result" means here. */
    int[] bits() {
      List<float[]> floats = List.of(x, y, h, ys, hs, sink);
      int n = xq.length + xd.length;
      for (float[] f : floats) {
        n += f.length;
      }
      int[] out = new int[n];
      int i = 0;
      for (float[] f : floats) {
        for (float v : f) {
          out[i++] = Float.floatToRawIntBits(v);
        }
      }
      for (byte b : xq) {
        out[i++] = b;
      }
      for (short s : xd) {
        out[i++] = s;
      }
      return out;
    }

    @Override
    public String toString() {
      return "d = " + d;
    }
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
