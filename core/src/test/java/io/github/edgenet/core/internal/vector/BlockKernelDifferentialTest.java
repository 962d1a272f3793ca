package io.github.edgenet.core.internal.vector;

import static io.github.edgenet.core.internal.vector.KernelDifferentialTest.gamma;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SIMD block kernels (llama.cpp Q8_0 / Q4_0) against the scalar ones and against exact
 * references, in the manner of {@link KernelDifferentialTest}.
 *
 * <p>Exact inputs: power-of-two scales and small integer codes and activations keep every product
 * and partial sum exactly representable, so both paths must equal a {@code long}/{@code double}
 * reference exactly in any summation order. Random inputs: both paths must lie within the
 * worst-case rounding bound {@code gamma_(n+2) * sum|terms|} (the block sums, one scale multiply
 * per block, the sum over blocks) of a double reference over the dequantized weights. Every
 * quantized row carries random, non-zero padding codes and every f32 slice random neighbours, so
 * a kernel that reads past {@code n} or writes outside its slice fails exactly.
 *
 * <p>Seeds derive from the fixed root {@code 0x5EED}, the test name and the size; a failure message
 * names the size, which reproduces it.
 */
class BlockKernelDifferentialTest {
  static final int[] SIZES = KernelDifferentialTest.SIZES;
  static final BlockKernelSupport SCALAR = BlockKernels.INSTANCE;
  static final List<BlockKernelSupport> PANAMA = List.of(new PanamaBlockKernels());
  static final int PAD = 5;

  record Row(byte[] q, short[] d, int qo, int dO) {}

  static Stream<Arguments> sizes() {
    List<Arguments> args = new ArrayList<>();
    for (BlockKernelSupport k : PANAMA) {
      for (int n : SIZES) {
        args.add(Arguments.of(k, n));
      }
    }
    return args.stream();
  }

  static RandomSource random(String test, int n) {
    return RandomSource.seeded(0x5EED).derive("blocks-" + test).derive(n);
  }

  /** Random codes over the whole padded row (padding included) and the given scales. */
  static Row row(RandomSource r, int n, int bytesPerBlock, int codeRange, boolean powerOfTwoScales) {
    int blocks = BlockKernels.blocks(n);
    byte[] q = new byte[PAD + blocks * bytesPerBlock + PAD];
    for (int i = 0; i < q.length; i++) {
      q[i] = (byte) (bytesPerBlock == 16 ? r.nextInt(256) : r.nextInt(2 * codeRange + 1) - codeRange);
    }
    short[] d = new short[1 + blocks + 2];
    for (int i = 0; i < d.length; i++) {
      float s = powerOfTwoScales
          ? Math.scalb(1f, r.nextInt(3) - 1) // 0.5, 1, 2
          : (float) ((0.001 + r.nextDouble() * 0.1) * (r.nextBoolean() ? 1 : -1));
      d[i] = Float.floatToFloat16(s);
    }
    return new Row(q, d, PAD, 1);
  }

  static float[] ints(RandomSource r, int n, int range) {
    return KernelDifferentialTest.ints(r, PAD, n, range);
  }

  static float[] floats(RandomSource r, int n) {
    return KernelDifferentialTest.floats(r, PAD, n);
  }

  /** The dequantized weight i of a row (exact in float and double). */
  static double weight(Row w, boolean q4, int i) {
    int b = i >>> 5, j = i & 31;
    double d = Float.float16ToFloat(w.d[w.dO + b]);
    int code = q4 ? BlockKernels.q4(w.q, w.qo + b * 16, j) : w.q[w.qo + b * 32 + j];
    return code * d;
  }

  @ParameterizedTest(name = "{0} n={1}")
  @MethodSource("sizes")
  void f32DotsAreExactOnExactInputsAndWithinBoundOtherwise(BlockKernelSupport k, int n) {
    RandomSource r = random("dot", n);
    for (boolean q4 : new boolean[] {false, true}) {
      int bpb = q4 ? 16 : 32;
      String what = (q4 ? "Q4_0" : "Q8_0") + " n=" + n;
      Row w = row(r, n, bpb, 127, true);
      float[] x = ints(r, n, 4);
      double exact = 0;
      for (int i = 0; i < n; i++) {
        exact += weight(w, q4, i) * x[PAD + i];
      }
      assertEquals(exact, dot(k, q4, w, x, n), what);
      assertEquals(exact, dot(SCALAR, q4, w, x, n), what);

      Row v = row(r, n, bpb, 127, false);
      float[] y = floats(r, n);
      double ref = 0, abs = 0;
      for (int i = 0; i < n; i++) {
        double p = weight(v, q4, i) * y[PAD + i];
        ref += p;
        abs += Math.abs(p);
      }
      double bound = gamma(n + 2) * abs + Double.MIN_VALUE;
      assertEquals(ref, dot(k, q4, v, y, n), bound, what);
      assertEquals(ref, dot(SCALAR, q4, v, y, n), bound, what);
    }
  }

  static float dot(BlockKernelSupport k, boolean q4, Row w, float[] x, int n) {
    return q4
        ? k.dotQ4_0(w.q, w.qo, w.d, w.dO, x, PAD, n)
        : k.dotQ8_0(w.q, w.qo, w.d, w.dO, x, PAD, n);
  }

  static void axpy(BlockKernelSupport k, boolean q4, float alpha, Row w, float[] y, int n) {
    if (q4) {
      k.axpyQ4_0(alpha, w.q, w.qo, w.d, w.dO, y, PAD, n);
    } else {
      k.axpyQ8_0(alpha, w.q, w.qo, w.d, w.dO, y, PAD, n);
    }
  }

  @ParameterizedTest(name = "{0} n={1}")
  @MethodSource("sizes")
  void axpyIsExactOnExactInputsWithinBoundOtherwiseAndWritesOnlyItsSlice(BlockKernelSupport k, int n) {
    RandomSource r = random("axpy", n);
    for (boolean q4 : new boolean[] {false, true}) {
      int bpb = q4 ? 16 : 32;
      String what = (q4 ? "Q4_0" : "Q8_0") + " n=" + n;
      Row w = row(r, n, bpb, 127, true);
      float[] y0 = ints(r, n, 100);
      float[] expected = y0.clone();
      for (int i = 0; i < n; i++) {
        expected[PAD + i] = (float) (y0[PAD + i] + 0.5 * weight(w, q4, i));
      }
      float[] yk = y0.clone(), ys = y0.clone();
      axpy(k, q4, 0.5f, w, yk, n);
      axpy(SCALAR, q4, 0.5f, w, ys, n);
      assertArrayEquals(expected, yk, what);
      assertArrayEquals(expected, ys, what);

      Row v = row(r, n, bpb, 127, false);
      float[] f0 = floats(r, n);
      float alpha = -1.7f;
      float[] fk = f0.clone(), fs = f0.clone();
      axpy(k, q4, alpha, v, fk, n);
      axpy(SCALAR, q4, alpha, v, fs, n);
      for (int i = 0; i < f0.length; i++) {
        if (i < PAD || i >= PAD + n) {
          assertEquals(f0[i], fk[i], what + " outside the slice at " + i);
          continue;
        }
        double term = (double) alpha * weight(v, q4, i - PAD);
        double ref = f0[i] + term;
        // (alpha*d) rounded, times q rounded, plus y rounded (or fused): at most 3u relative.
        double bound = 3 * 0x1p-24 * (Math.abs(f0[i]) + 2 * Math.abs(term)) + Double.MIN_VALUE;
        assertEquals(ref, fk[i], bound, what + " element " + i);
        assertEquals(ref, fs[i], bound, what + " element " + i);
      }
    }
  }

  @ParameterizedTest(name = "{0} n={1}")
  @MethodSource("sizes")
  void integerDotsAreExactOnExactInputsAndWithinBoundOtherwise(BlockKernelSupport k, int n) {
    RandomSource r = random("intdot", n);
    int blocks = BlockKernels.blocks(n);
    for (boolean q4 : new boolean[] {false, true}) {
      String what = (q4 ? "Q4_0" : "Q8_0") + ".Q8_0 n=" + n;
      for (boolean exactCase : new boolean[] {true, false}) {
        Row w = row(r, n, q4 ? 16 : 32, exactCase ? 15 : 128, exactCase);
        Row x = row(r, n, 32, exactCase ? 15 : 128, exactCase);
        double ref = 0, abs = 0;
        for (int b = 0; b < blocks; b++) {
          long s = 0, sAbs = 0;
          for (int j = 0; j < 32; j++) {
            int wc = q4 ? BlockKernels.q4(w.q, w.qo + b * 16, j) : w.q[w.qo + b * 32 + j];
            long p = (long) wc * x.q[x.qo + b * 32 + j];
            s += p;
            sAbs += Math.abs(p);
          }
          // d_w * d_x of two half floats is exact in float.
          double c = Float.float16ToFloat(w.d[w.dO + b]) * Float.float16ToFloat(x.d[x.dO + b]);
          ref += s * c;
          abs += sAbs * Math.abs(c);
        }
        float got = q4
            ? k.dotQ4_0Q8_0(w.q, w.qo, w.d, w.dO, x.q, x.qo, x.d, x.dO, blocks)
            : k.dotQ8_0Q8_0(w.q, w.qo, w.d, w.dO, x.q, x.qo, x.d, x.dO, blocks);
        float scalar = q4
            ? SCALAR.dotQ4_0Q8_0(w.q, w.qo, w.d, w.dO, x.q, x.qo, x.d, x.dO, blocks)
            : SCALAR.dotQ8_0Q8_0(w.q, w.qo, w.d, w.dO, x.q, x.qo, x.d, x.dO, blocks);
        if (exactCase) {
          assertEquals(ref, got, what);
          assertEquals(ref, scalar, what);
        } else {
          double bound = gamma(n + 34) * abs + Double.MIN_VALUE;
          assertEquals(ref, got, bound, what);
          assertEquals(ref, scalar, bound, what);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0} n={1}")
  @MethodSource("sizes")
  void activationQuantizerIsBitIdenticalToTheScalarReference(BlockKernelSupport k, int n) {
    RandomSource r = random("quantize", n);
    int blocks = BlockKernels.blocks(n);
    float[] x = floats(r, n);
    // Vary magnitudes per block, plant exact halves (x * (1/d) = k + 0.5 when amax = 127), a zero
    // block and a negative zero.
    for (int i = 0; i < n; i++) {
      x[PAD + i] *= (float) Math.scalb(1.0, (i >>> 5) % 7 - 3);
    }
    if (n >= 64) {
      x[PAD + 32] = 127f;
      x[PAD + 33] = 2.5f;
      x[PAD + 34] = -2.5f;
      x[PAD + 35] = 0.49999997f;
      x[PAD + 36] = -0.5f;
      for (int j = 37; j < 64; j++) {
        x[PAD + j] = (j - 50) + 0.5f;
      }
    }
    if (n >= 96) {
      Arrays.fill(x, PAD + 64, PAD + 96, 0f);
      x[PAD + 70] = -0f;
    }
    byte[] qk = new byte[blocks * 32 + 2], qs = new byte[blocks * 32 + 2];
    Arrays.fill(qk, (byte) 99);
    Arrays.fill(qs, (byte) 99);
    short[] dk = new short[blocks + 1], ds = new short[blocks + 1];
    assertEquals(-1, k.quantizeQ8_0(x, PAD, n, qk, 1, dk, 1));
    assertEquals(-1, SCALAR.quantizeQ8_0(x, PAD, n, qs, 1, ds, 1));
    assertArrayEquals(qs, qk, "codes, n=" + n);
    assertArrayEquals(ds, dk, "scales, n=" + n);
    assertEquals(99, qk[0]);
    assertEquals(99, qk[qk.length - 1]);
    for (int j = n; j < blocks * 32; j++) {
      assertEquals(0, qk[1 + j], "padding code " + j);
    }
    if (n >= 96) {
      assertEquals(Float.floatToFloat16(1f), dk[1 + 1]);
      byte[] expected = new byte[32];
      expected[0] = 127;
      expected[1] = 3;
      expected[2] = -3;
      expected[3] = 0;
      expected[4] = -1;
      for (int j = 5; j < 32; j++) {
        float v = (j + 32 - 50) + 0.5f;
        expected[j] = (byte) (v < 0 ? v - 0.5f : v + 0.5f);
      }
      assertArrayEquals(expected, Arrays.copyOfRange(qk, 1 + 32, 1 + 64), "roundf: halves away from zero");
      assertEquals(0, dk[1 + 2], "all-zero block: d = +0");
      assertArrayEquals(new byte[32], Arrays.copyOfRange(qk, 1 + 64, 1 + 96));
    }

    if (n > 0) {
      // A non-finite element in the last block: earlier blocks written, index reported.
      for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, -3e38f}) {
        float[] xb = x.clone();
        xb[PAD + n - 1] = bad;
        assertEquals(blocks - 1, k.quantizeQ8_0(xb, PAD, n, qk, 1, dk, 1), "bad " + bad);
        assertEquals(blocks - 1, SCALAR.quantizeQ8_0(xb, PAD, n, qs, 1, ds, 1), "bad " + bad);
      }
    }
  }

  @ParameterizedTest(name = "{0} n={1}")
  @MethodSource("sizes")
  void dequantizationMatchesTheKernelsView(BlockKernelSupport k, int n) {
    RandomSource r = random("dequantize", n);
    for (boolean q4 : new boolean[] {false, true}) {
      Row w = row(r, n, q4 ? 16 : 32, 127, false);
      float[] y = new float[n + 2];
      y[0] = 7f;
      y[n + 1] = 7f;
      if (q4) {
        BlockKernels.dequantizeQ4_0(w.q, w.qo, w.d, w.dO, y, 1, n);
      } else {
        BlockKernels.dequantizeQ8_0(w.q, w.qo, w.d, w.dO, y, 1, n);
      }
      for (int i = 0; i < n; i++) {
        assertEquals(weight(w, q4, i), y[1 + i]);
      }
      assertEquals(7f, y[0]);
      assertEquals(7f, y[n + 1]);
      // axpy with alpha 1 onto zeros is dequantization, exactly, on both paths.
      for (BlockKernelSupport impl : List.of(k, SCALAR)) {
        float[] z = new float[PAD + n + PAD];
        axpy(impl, q4, 1f, w, z, n);
        for (int i = 0; i < n; i++) {
          assertEquals(y[1 + i], z[PAD + i], 0f, "element " + i); // 0 + -0.0 is +0.0: compare values
        }
      }
    }
  }
  static Stream<Arguments> lowRankShapes() {
    int[] dims = {1, 17, 31, 32, 33, 64, 100, 257};
    List<Arguments> args = new ArrayList<>();
    for (BlockKernelSupport k : PANAMA) {
      for (int rank : new int[] {0, 1, 2, 3, 5, 16}) {
        for (int i = 0; i < dims.length; i++) {
          args.add(Arguments.of(k, rank, dims[i], dims[dims.length - 1 - i]));
        }
      }
      args.add(Arguments.of(k, 3, 4097, 33));
      args.add(Arguments.of(k, 2, 33, 4097));
    }
    return args.stream();
  }

  /** {@code m} with random block scales of both signs in [0.001, 0.101): nothing exact any more. */
  static Row randomScales(RandomSource r, Row m) {
    for (int i = 0; i < m.d.length; i++) {
      m.d[i] = Float.floatToFloat16((float) ((0.001 + r.nextDouble() * 0.1) * (r.nextBoolean() ? 1 : -1)));
    }
    return m;
  }

  /** {@code rows} rows of {@code n} weights, no offsets (the fused kernel reads from block 0). */
  static Row matrix(RandomSource r, int rows, int n, boolean q4, int codeRange) {
    int blocks = rows * BlockKernels.blocks(n);
    byte[] q = new byte[blocks * (q4 ? 16 : 32)];
    for (int i = 0; i < q.length; i++) {
      q[i] = (byte) (q4 ? r.nextInt(256) : r.nextInt(2 * codeRange + 1) - codeRange);
    }
    short[] d = new short[blocks];
    for (int i = 0; i < blocks; i++) {
      d[i] = Float.floatToFloat16(Math.scalb(1f, r.nextInt(3) - 1));
    }
    return new Row(q, d, 0, 0);
  }

  @ParameterizedTest(name = "{0} rank={1} {2}->{3}")
  @MethodSource("lowRankShapes")
  void fusedLowRankAddIsExactOnExactInputsAndEqualsRankByRank(BlockKernelSupport k, int rank, int in, int out) {
    RandomSource r = random("lowRank", rank * 1_000_003 + in * 1009 + out);
    for (boolean q4 : new boolean[] {false, true}) {
      String what = (q4 ? "Q4_0" : "Q8_0") + " rank=" + rank + " " + in + "->" + out;
      Row a = matrix(r, rank, in, q4, 7);
      Row bt = matrix(r, rank, out, q4, 7);
      float[] x = ints(r, in, 4);
      float[] y0 = ints(r, out, 50);
      float scale = 0.25f;
      int ab = BlockKernels.blocks(in), bb = BlockKernels.blocks(out);
      double[] expected = new double[out];
      for (int o = 0; o < out; o++) {
        expected[o] = y0[PAD + o];
      }
      for (int kk = 0; kk < rank; kk++) {
        Row ak = new Row(a.q, a.d, kk * ab * (q4 ? 16 : 32), kk * ab);
        Row bk = new Row(bt.q, bt.d, kk * bb * (q4 ? 16 : 32), kk * bb);
        double h = 0;
        for (int i = 0; i < in; i++) {
          h += weight(ak, q4, i) * x[PAD + i];
        }
        for (int o = 0; o < out; o++) {
          expected[o] += scale * h * weight(bk, q4, o);
        }
      }
      for (BlockKernelSupport impl : List.of(k, SCALAR)) {
        float[] y = y0.clone();
        if (q4) {
          impl.lowRankAddQ4_0(a.q, a.d, bt.q, bt.d, rank, in, out, scale, x, PAD, y, PAD);
        } else {
          impl.lowRankAddQ8_0(a.q, a.d, bt.q, bt.d, rank, in, out, scale, x, PAD, y, PAD);
        }
        for (int o = 0; o < out; o++) {
          assertEquals(expected[o], y[PAD + o], what + " output " + o);
        }
        assertEquals(y0[0], y[0], what);
        assertEquals(y0[y0.length - 1], y[y.length - 1], what);
      }
    }
  }
  static Stream<Arguments> batchShapes() {
    // Whole blocks take the four-rows-per-pass SIMD kernel; 33, 17 and 1 take the per-row path.
    int[][] dims = {{32, 32}, {64, 96}, {256, 64}, {96, 256}, {33, 64}, {64, 17}, {1, 1}};
    List<Arguments> args = new ArrayList<>();
    for (BlockKernelSupport k : PANAMA) {
      for (int rank : new int[] {0, 1, 2, 3, 5, 16}) {
        for (int[] d : dims) {
          args.add(Arguments.of(k, rank, d[0], d[1]));
        }
      }
    }
    return args.stream();
  }

  /**
   * Batches and row lists on exact inputs: every listed row must get exactly its own update (a
   * kernel that mixed up two of its four rows, skipped one or read a neighbour's x fails), every
   * other row and the padding must be untouched, on both paths, contiguous and listed.
   */
  @ParameterizedTest(name = "{0} rank={1} {2}->{3}")
  @MethodSource("batchShapes")
  void batchesAndRowListsAreExactOnExactInputs(BlockKernelSupport k, int rank, int in, int out) {
    RandomSource r = random("rows", rank * 1_000_003 + in * 1009 + out);
    int rows = 11;
    for (boolean q4 : new boolean[] {false, true}) {
      String what = (q4 ? "Q4_0" : "Q8_0") + " rank=" + rank + " " + in + "->" + out;
      Row a = matrix(r, rank, in, q4, 7);
      Row bt = matrix(r, rank, out, q4, 7);
      float[] xs = ints(r, rows * in, 4);
      float[] ys0 = ints(r, rows * out, 50);
      float scale = 0.25f;
      int ab = BlockKernels.blocks(in), bb = BlockKernels.blocks(out);
      double[][] delta = new double[rows][out];
      for (int row = 0; row < rows; row++) {
        for (int kk = 0; kk < rank; kk++) {
          Row ak = new Row(a.q, a.d, kk * ab * (q4 ? 16 : 32), kk * ab);
          Row bk = new Row(bt.q, bt.d, kk * bb * (q4 ? 16 : 32), kk * bb);
          double h = 0;
          for (int i = 0; i < in; i++) {
            h += weight(ak, q4, i) * xs[PAD + row * in + i];
          }
          for (int o = 0; o < out; o++) {
            delta[row][o] += scale * h * weight(bk, q4, o);
          }
        }
      }
      // Contiguous batches (no row list), then shuffled subsets listed from offset 2 of their array.
      List<int[]> lists = new ArrayList<>();
      List<Integer> counts = new ArrayList<>();
      for (int batch : new int[] {0, 1, 3, 4, 5, 8, 11}) {
        lists.add(null);
        counts.add(batch);
      }
      for (int count : new int[] {1, 4, 6, 9}) {
        int[] perm = new int[rows];
        for (int i = 0; i < rows; i++) {
          perm[i] = i;
        }
        for (int i = rows - 1; i > 0; i--) {
          int j = r.nextInt(i + 1);
          int t = perm[i];
          perm[i] = perm[j];
          perm[j] = t;
        }
        int[] listed = new int[2 + count];
        listed[0] = 99;
        listed[1] = -1;
        System.arraycopy(perm, 0, listed, 2, count);
        lists.add(listed);
        counts.add(count);
      }
      for (int c = 0; c < lists.size(); c++) {
        int[] rowsArg = lists.get(c);
        int count = counts.get(c);
        int ro = rowsArg == null ? 0 : 2;
        boolean[] updated = new boolean[rows];
        for (int i = 0; i < count; i++) {
          updated[rowsArg == null ? i : rowsArg[ro + i]] = true;
        }
        String how = what + (rowsArg == null ? " batch " + count : " rows " + Arrays.toString(rowsArg));
        for (BlockKernelSupport impl : List.of(k, SCALAR)) {
          float[] ys = ys0.clone();
          if (q4) {
            impl.lowRankAddRowsQ4_0(a.q, a.d, bt.q, bt.d, rank, in, out, scale, xs, PAD, ys, PAD, rowsArg, ro, count);
          } else {
            impl.lowRankAddRowsQ8_0(a.q, a.d, bt.q, bt.d, rank, in, out, scale, xs, PAD, ys, PAD, rowsArg, ro, count);
          }
          for (int row = 0; row < rows; row++) {
            for (int o = 0; o < out; o++) {
              int at = PAD + row * out + o;
              double expected = ys0[at] + (updated[row] ? delta[row][o] : 0);
              assertEquals(expected, ys[at], how + " " + impl.name() + " row " + row + " output " + o);
            }
          }
          for (int i = 0; i < PAD; i++) {
            assertEquals(ys0[i], ys[i], how);
            assertEquals(ys0[ys.length - 1 - i], ys[ys.length - 1 - i], how);
          }
        }
      }
    }
  }

  /** Random weights and activations: four rows per pass equal four single calls to rounding. */
  @ParameterizedTest(name = "{0} rank={1} {2}->{3}")
  @MethodSource("batchShapes")
  void batchesEqualSingleCallsOnRandomInputs(BlockKernelSupport k, int rank, int in, int out) {
    RandomSource r = random("rowsRandom", rank * 1_000_003 + in * 1009 + out);
    int rows = 9;
    for (boolean q4 : new boolean[] {false, true}) {
      String what = (q4 ? "Q4_0" : "Q8_0") + " rank=" + rank + " " + in + "->" + out;
      Row a = matrix(r, rank, in, q4, 127);
      Row bt = matrix(r, rank, out, q4, 127);
      float[] xs = floats(r, rows * in);
      float[] single = new float[PAD + rows * out + PAD];
      float[] batched = single.clone();
      for (int row = 0; row < rows; row++) {
        if (q4) {
          k.lowRankAddQ4_0(a.q, a.d, bt.q, bt.d, rank, in, out, 0.5f, xs, PAD + row * in, single, PAD + row * out);
        } else {
          k.lowRankAddQ8_0(a.q, a.d, bt.q, bt.d, rank, in, out, 0.5f, xs, PAD + row * in, single, PAD + row * out);
        }
      }
      if (q4) {
        k.lowRankAddRowsQ4_0(a.q, a.d, bt.q, bt.d, rank, in, out, 0.5f, xs, PAD, batched, PAD, null, 0, rows);
      } else {
        k.lowRankAddRowsQ8_0(a.q, a.d, bt.q, bt.d, rank, in, out, 0.5f, xs, PAD, batched, PAD, null, 0, rows);
      }
      float norm = 0f;
      for (float v : single) {
        norm = Math.max(norm, Math.abs(v));
      }
      for (int i = 0; i < single.length; i++) {
        // Summation order differs (dequantize-then-multiply vs block sums); both are float
        // rounding of the same sum of at most 16 ranks x 256 products.
        assertEquals(single[i], batched[i], 1e-5f * Math.max(1f, norm), what + " element " + i);
      }
    }
  }

  static Stream<Arguments> matrixShapes() {
    // Whole blocks take the four-vectors-per-pass SIMD kernel; 33, 17 and 1 the per-row dots.
    int[][] dims = {{1, 32}, {3, 64}, {10, 96}, {7, 256}, {5, 33}, {4, 17}, {2, 1}, {0, 64}};
    List<Arguments> args = new ArrayList<>();
    for (BlockKernelSupport k : PANAMA) {
      for (int[] d : dims) {
        args.add(Arguments.of(k, d[0], d[1]));
      }
    }
    return args.stream();
  }

  /**
   * A quantized matrix times batches of 0 to 9 vectors, on exact inputs: every output equals the
   * exact dot of its row and its vector (a kernel that paired a row with the wrong vector, or
   * wrote with the wrong stride, fails), and nothing around the outputs is written.
   */
  @ParameterizedTest(name = "{0} {1}x{2}")
  @MethodSource("matrixShapes")
  void matrixTimesBatchIsExactOnExactInputs(BlockKernelSupport k, int rows, int cols) {
    RandomSource r = random("gemvBatch", rows * 1009 + cols);
    for (boolean q4 : new boolean[] {false, true}) {
      Row m = matrix(r, rows, cols, q4, 7);
      int blocks = BlockKernels.blocks(cols);
      for (int batch : new int[] {0, 1, 3, 4, 5, 8, 9}) {
        String what = (q4 ? "Q4_0 " : "Q8_0 ") + rows + "x" + cols + " batch " + batch;
        float[] xs = ints(r, batch * cols, 4);
        float[] ys0 = ints(r, batch * rows, 50);
        for (BlockKernelSupport impl : List.of(k, SCALAR)) {
          float[] ys = ys0.clone();
          if (q4) {
            impl.gemvBatchQ4_0(m.q, m.d, rows, cols, xs, PAD, batch, ys, PAD);
          } else {
            impl.gemvBatchQ8_0(m.q, m.d, rows, cols, xs, PAD, batch, ys, PAD);
          }
          for (int b = 0; b < batch; b++) {
            for (int row = 0; row < rows; row++) {
              Row w = new Row(m.q, m.d, row * blocks * (q4 ? 16 : 32), row * blocks);
              double expected = 0;
              for (int i = 0; i < cols; i++) {
                expected += weight(w, q4, i) * xs[PAD + b * cols + i];
              }
              assertEquals(expected, ys[PAD + b * rows + row], what + " " + impl.name() + " vector " + b + " row "
                  + row);
            }
          }
          for (int i = 0; i < PAD; i++) {
            assertEquals(ys0[i], ys[i], what);
            assertEquals(ys0[ys.length - 1 - i], ys[ys.length - 1 - i], what);
          }
        }
      }
    }
  }

  /**
   * The transposed product added into batches of 0 to 9 vectors, on exact inputs (about a third of
   * the coefficients zero, as behind a ReLU): every output equals its start plus the exact sum
   * over rows, and nothing around the outputs is written.
   */
  @ParameterizedTest(name = "{0} {1}x{2}")
  @MethodSource("matrixShapes")
  void transposedProductIntoBatchIsExactOnExactInputs(BlockKernelSupport k, int rows, int cols) {
    RandomSource r = random("gemvTransposedBatch", rows * 1009 + cols);
    for (boolean q4 : new boolean[] {false, true}) {
      Row m = matrix(r, rows, cols, q4, 7);
      int blocks = BlockKernels.blocks(cols);
      for (int batch : new int[] {0, 1, 3, 4, 5, 8, 9}) {
        String what = (q4 ? "Q4_0 " : "Q8_0 ") + rows + "x" + cols + " batch " + batch;
        float[] gs = ints(r, batch * rows, 3);
        for (int i = 0; i < gs.length; i++) {
          if (r.nextInt(3) == 0) {
            gs[i] = 0f;
          }
        }
        float[] ys0 = ints(r, batch * cols, 50);
        for (BlockKernelSupport impl : List.of(k, SCALAR)) {
          float[] ys = ys0.clone();
          if (q4) {
            impl.gemvTransposedAddBatchQ4_0(m.q, m.d, rows, cols, gs, PAD, batch, ys, PAD);
          } else {
            impl.gemvTransposedAddBatchQ8_0(m.q, m.d, rows, cols, gs, PAD, batch, ys, PAD);
          }
          for (int b = 0; b < batch; b++) {
            for (int c = 0; c < cols; c++) {
              double expected = ys0[PAD + b * cols + c];
              for (int row = 0; row < rows; row++) {
                Row w = new Row(m.q, m.d, row * blocks * (q4 ? 16 : 32), row * blocks);
                expected += weight(w, q4, c) * gs[PAD + b * rows + row];
              }
              assertEquals(expected, ys[PAD + b * cols + c], what + " " + impl.name() + " vector " + b + " output "
                  + c);
            }
          }
          for (int i = 0; i < PAD; i++) {
            assertEquals(ys0[i], ys[i], what);
            assertEquals(ys0[ys.length - 1 - i], ys[ys.length - 1 - i], what);
          }
        }
      }
    }
  }

  /** Random inputs: the transposed product within rounding of a double reference. */
  @ParameterizedTest(name = "{0} {1}x{2}")
  @MethodSource("matrixShapes")
  void transposedProductIntoBatchIsWithinBoundOnRandomInputs(BlockKernelSupport k, int rows, int cols) {
    RandomSource r = random("gemvTransposedBatchRandom", rows * 1009 + cols);
    int batch = 7;
    for (boolean q4 : new boolean[] {false, true}) {
      Row m = randomScales(r, matrix(r, rows, cols, q4, 127));
      int blocks = BlockKernels.blocks(cols);
      float[] gs = floats(r, batch * rows);
      float[] ys0 = floats(r, batch * cols);
      float[] ys = ys0.clone();
      if (q4) {
        k.gemvTransposedAddBatchQ4_0(m.q, m.d, rows, cols, gs, PAD, batch, ys, PAD);
      } else {
        k.gemvTransposedAddBatchQ8_0(m.q, m.d, rows, cols, gs, PAD, batch, ys, PAD);
      }
      for (int b = 0; b < batch; b++) {
        for (int c = 0; c < cols; c++) {
          double exact = ys0[PAD + b * cols + c];
          double magnitude = Math.abs(exact);
          for (int row = 0; row < rows; row++) {
            Row w = new Row(m.q, m.d, row * blocks * (q4 ? 16 : 32), row * blocks);
            double t = weight(w, q4, c) * gs[PAD + b * rows + row];
            exact += t;
            magnitude += Math.abs(t);
          }
          assertEquals(exact, ys[PAD + b * cols + c], gamma(2 * rows + 2) * magnitude,
              (q4 ? "Q4_0 " : "Q8_0 ") + rows + "x" + cols + " vector " + b + " output " + c);
        }
      }
    }
  }

  /** Random scales and activations: the batched product within rounding of a double reference. */
  @ParameterizedTest(name = "{0} {1}x{2}")
  @MethodSource("matrixShapes")
  void matrixTimesBatchIsWithinBoundOnRandomInputs(BlockKernelSupport k, int rows, int cols) {
    RandomSource r = random("gemvBatchRandom", rows * 1009 + cols);
    int batch = 7;
    for (boolean q4 : new boolean[] {false, true}) {
      Row m = randomScales(r, matrix(r, rows, cols, q4, 127));
      int blocks = BlockKernels.blocks(cols);
      float[] xs = floats(r, batch * cols);
      float[] ys = new float[PAD + batch * rows + PAD];
      if (q4) {
        k.gemvBatchQ4_0(m.q, m.d, rows, cols, xs, PAD, batch, ys, PAD);
      } else {
        k.gemvBatchQ8_0(m.q, m.d, rows, cols, xs, PAD, batch, ys, PAD);
      }
      for (int b = 0; b < batch; b++) {
        for (int row = 0; row < rows; row++) {
          Row w = new Row(m.q, m.d, row * blocks * (q4 ? 16 : 32), row * blocks);
          double exact = 0;
          double magnitude = 0;
          for (int i = 0; i < cols; i++) {
            double t = weight(w, q4, i) * xs[PAD + b * cols + i];
            exact += t;
            magnitude += Math.abs(t);
          }
          assertEquals(exact, ys[PAD + b * rows + row], gamma(cols + 2) * magnitude,
              (q4 ? "Q4_0 " : "Q8_0 ") + rows + "x" + cols + " vector " + b + " row " + row);
        }
      }
    }
  }

  /**
   * A vector's outputs do not depend on its place in the batch: the fifth vector of a batch of
   * five (the leftover path) gets the same bits as when it comes first in a batch of four (the
   * four-vectors-per-pass path), on random inputs where another order of the arithmetic would show.
   */
  @ParameterizedTest(name = "{0} {1}x{2}")
  @MethodSource("matrixShapes")
  void aVectorsOutputsDoNotDependOnItsPlaceInTheBatch(BlockKernelSupport k, int rows, int cols) {
    RandomSource r = random("gemvBatchPlace", rows * 1009 + cols);
    for (boolean q4 : new boolean[] {false, true}) {
      Row m = randomScales(r, matrix(r, rows, cols, q4, 127));
      float[] five = floats(r, 5 * cols);
      float[] four = new float[4 * cols];
      System.arraycopy(five, 4 * cols, four, 0, cols); // the fifth vector, first
      System.arraycopy(five, cols, four, cols, 3 * cols);
      float[] ys5 = new float[5 * rows];
      float[] ys4 = new float[4 * rows];
      if (q4) {
        k.gemvBatchQ4_0(m.q, m.d, rows, cols, five, 0, 5, ys5, 0);
        k.gemvBatchQ4_0(m.q, m.d, rows, cols, four, 0, 4, ys4, 0);
      } else {
        k.gemvBatchQ8_0(m.q, m.d, rows, cols, five, 0, 5, ys5, 0);
        k.gemvBatchQ8_0(m.q, m.d, rows, cols, four, 0, 4, ys4, 0);
      }
      for (int row = 0; row < rows; row++) {
        assertEquals(Float.floatToRawIntBits(ys4[row]), Float.floatToRawIntBits(ys5[4 * rows + row]),
            (q4 ? "Q4_0 " : "Q8_0 ") + rows + "x" + cols + " row " + row);
      }
    }
  }

  @org.junit.jupiter.api.Test
  void simdBlockKernelsAreInUseOn256And512BitVectors() {
    int bits = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
    System.out.println("preferred vector width " + bits + " bits, SIMD block kernels: " + PanamaBlockKernels.SUPPORTED);
    if (bits == 256 || bits == 512) {
      assertTrue(PanamaBlockKernels.SUPPORTED, "the differential tests would compare scalar with scalar");
    }
  }
}
