package io.github.edgenet.core.internal.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Panama kernels against the scalar kernels, in the manner of Lucene's TestVectorUtilSupport.
 *
 * <p>Two kinds of input. Small integers: every product and partial sum is an integer below 2^24,
 * so float arithmetic is exact in any order and both paths must agree <em>exactly</em> with a
 * {@code long} reference - a dropped, doubled or misaligned element cannot hide in a tolerance.
 * Random floats: each path must be within the worst-case rounding bound of recursive summation,
 * {@code gamma_n * sum|terms|} with {@code gamma_n = n u / (1 - n u)}, {@code u = 2^-24} (Higham,
 * Accuracy and Stability of Numerical Algorithms, 2nd ed., section 4.2), of a double reference.
 *
 * <p>The normal test run uses FMA; core's pom runs this class again with {@code -XX:-UseFMA} for
 * the multiply-then-add variant.
 */
class KernelDifferentialTest {
  static final int[] SIZES = {
    0, 1, 3, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 255, 256, 257, 1000, 1024, 4097
  };
  static final FloatKernelSupport SCALAR = ScalarKernels.INSTANCE;
  static final List<FloatKernelSupport> PANAMA = List.of(new PanamaKernels());
  static final double U = Math.scalb(1.0, -24);

  static Stream<Arguments> sizes() {
    List<Arguments> args = new ArrayList<>();
    for (FloatKernelSupport k : PANAMA) {
      for (int n : SIZES) {
        args.add(Arguments.of(k, n));
      }
    }
    return args.stream();
  }

  static Stream<Arguments> shapes() {
    // Every row count against a spread of column counts, and the reverse: awkward both ways.
    int[] few = {0, 1, 3, 8, 15, 16, 17, 33, 64, 100, 257};
    List<Arguments> args = new ArrayList<>();
    for (FloatKernelSupport k : PANAMA) {
      for (int rows : SIZES) {
        if (rows > 1024) continue;
        for (int cols : few) {
          args.add(Arguments.of(k, rows, cols));
          args.add(Arguments.of(k, cols, rows));
        }
      }
      args.add(Arguments.of(k, 4097, 17));
      args.add(Arguments.of(k, 17, 4097));
    }
    return args.stream();
  }

  /** Integers in [-range, range], with a non-zero padding before and after the slice. */
  static float[] ints(RandomSource r, int pad, int n, int range) {
    float[] a = new float[pad + n + pad];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextInt(2 * range + 1) - range;
    }
    return a;
  }

  static float[] floats(RandomSource r, int pad, int n) {
    float[] a = new float[pad + n + pad];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (r.nextDouble() * 2 - 1) * (1 + r.nextInt(4));
    }
    return a;
  }

  static double gamma(int n) {
    return n * U / (1 - n * U);
  }

  static RandomSource random(String test, int n) {
    return RandomSource.seeded(0x5EED).derive(test).derive(n);
  }

  @ParameterizedTest(name = "{0} n={1}")
  @MethodSource("sizes")
  void dotIsExactOnIntegersAndWithinBoundOnFloats(FloatKernelSupport k, int n) {
    RandomSource r = random("dot", n);
    int pad = 3;
    float[] a = ints(r, pad, n, 8), b = ints(r, pad, n, 8);
    long exact = 0;
    for (int i = 0; i < n; i++) {
      exact += (long) a[pad + i] * (long) b[pad + i];
    }
    assertEquals(exact, k.dot(a, pad, b, pad, n));
    assertEquals(exact, SCALAR.dot(a, pad, b, pad, n));

    float[] x = floats(r, pad, n), y = floats(r, 1, n);
    double ref = 0, abs = 0;
    for (int i = 0; i < n; i++) {
      ref += (double) x[pad + i] * y[1 + i];
      abs += Math.abs((double) x[pad + i] * y[1 + i]);
    }
    double bound = gamma(n) * abs + Double.MIN_VALUE;
    assertEquals(ref, k.dot(x, pad, y, 1, n), bound);
    assertEquals(ref, SCALAR.dot(x, pad, y, 1, n), bound);
  }

  @ParameterizedTest(name = "{0} n={1}")
  @MethodSource("sizes")
  void sumAndSquaredDistance(FloatKernelSupport k, int n) {
    RandomSource r = random("sum", n);
    int pad = 5;
    float[] a = ints(r, pad, n, 100), b = ints(r, pad, n, 30);
    long sum = 0, dist = 0;
    for (int i = 0; i < n; i++) {
      sum += (long) a[pad + i];
      long d = (long) a[pad + i] - (long) b[pad + i];
      dist += d * d;
    }
    assertEquals(sum, k.sum(a, pad, n));
    assertEquals(sum, SCALAR.sum(a, pad, n));
    assertEquals(dist, k.squaredDistance(a, pad, b, pad, n));
    assertEquals(dist, SCALAR.squaredDistance(a, pad, b, pad, n));

    float[] x = floats(r, 0, n), y = floats(r, 0, n);
    double ref = 0, abs = 0, refD = 0;
    for (int i = 0; i < n; i++) {
      ref += x[i];
      abs += Math.abs(x[i]);
      double d = (double) x[i] - y[i];
      refD += d * d;
    }
    assertEquals(ref, k.sum(x, 0, n), gamma(n) * abs + Double.MIN_VALUE);
    // Each difference is rounded once (relative u) before squaring: bound (gamma_n + 3u) * sum.
    assertEquals(refD, k.squaredDistance(x, 0, y, 0, n), (gamma(n) + 3 * U) * refD + Double.MIN_VALUE);
    assertEquals(refD, SCALAR.squaredDistance(x, 0, y, 0, n), (gamma(n) + 3 * U) * refD + Double.MIN_VALUE);
  }

  @ParameterizedTest(name = "{0} n={1}")
  @MethodSource("sizes")
  void cosine(FloatKernelSupport k, int n) {
    RandomSource r = random("cosine", n);
    float[] a = floats(r, 2, n), b = floats(r, 2, n);
    double ab = 0, aa = 0, bb = 0;
    for (int i = 0; i < n; i++) {
      ab += (double) a[2 + i] * b[2 + i];
      aa += (double) a[2 + i] * a[2 + i];
      bb += (double) b[2 + i] * b[2 + i];
    }
    double ref = n == 0 ? 0 : ab / Math.sqrt(aa * bb);
    double bound = 4 * gamma(n) + 1e-6;
    assertEquals(ref, k.cosine(a, 2, b, 2, n), bound);
    assertEquals(ref, SCALAR.cosine(a, 2, b, 2, n), bound);
    if (n > 0) {
      assertEquals(1.0, k.cosine(a, 2, a, 2, n), 1e-5, "a vector is parallel to itself");
      float[] zero = new float[n + 4];
      assertEquals(0f, k.cosine(a, 2, zero, 0, n), "zero vector has no direction");
      assertEquals(0f, SCALAR.cosine(zero, 0, a, 2, n));
    }
  }

  @ParameterizedTest(name = "{0} n={1}")
  @MethodSource("sizes")
  void elementWiseKernelsMatchExactlyAndLeaveTheRestAlone(FloatKernelSupport k, int n) {
    RandomSource r = random("elementwise", n);
    int pad = 4;
    float[] x = ints(r, pad, n, 50), y0 = ints(r, pad, n, 50);
    float alpha = 3f;

    float[] yk = y0.clone(), ys = y0.clone();
    k.axpy(alpha, x, pad, yk, pad, n);
    SCALAR.axpy(alpha, x, pad, ys, pad, n);
    float[] expected = y0.clone();
    for (int i = 0; i < n; i++) {
      expected[pad + i] = y0[pad + i] + alpha * x[pad + i];
    }
    assertArrayEquals(expected, yk, "axpy writes the slice only");
    assertArrayEquals(expected, ys);

    float[] sk = x.clone(), ss = x.clone();
    k.scale(-2f, sk, pad, n);
    SCALAR.scale(-2f, ss, pad, n);
    expected = x.clone();
    for (int i = 0; i < n; i++) {
      expected[pad + i] = -2f * x[pad + i];
    }
    assertArrayEquals(expected, sk);
    assertArrayEquals(expected, ss);

    float[] outK = new float[n + 2 * pad], outS = new float[n + 2 * pad];
    k.add(x, pad, y0, pad, outK, pad, n);
    SCALAR.add(x, pad, y0, pad, outS, pad, n);
    expected = new float[n + 2 * pad];
    for (int i = 0; i < n; i++) {
      expected[pad + i] = x[pad + i] + y0[pad + i];
    }
    assertArrayEquals(expected, outK);
    assertArrayEquals(expected, outS);
    // In place: out aliases a.
    float[] inPlace = x.clone();
    k.add(inPlace, pad, y0, pad, inPlace, pad, n);
    for (int i = 0; i < n; i++) {
      assertEquals(x[pad + i] + y0[pad + i], inPlace[pad + i]);
    }
  }

  @ParameterizedTest(name = "{0} {1}x{2}")
  @MethodSource("shapes")
  void gemvFamilyIsExactOnIntegers(FloatKernelSupport k, int rows, int cols) {
    RandomSource r = random("gemv", rows * 10_007 + cols);
    int mo = 7, xo = 2, yo = 3;
    float[] m = ints(r, mo, rows * cols, 4);
    float[] x = ints(r, xo, cols, 4);
    long[] exact = new long[rows];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        exact[i] += (long) m[mo + i * cols + j] * (long) x[xo + j];
      }
    }
    float[] yk = new float[rows + 2 * yo], ys = new float[rows + 2 * yo];
    yk[0] = ys[0] = 42f; // outside the slice: must survive
    k.gemv(m, mo, rows, cols, x, xo, yk, yo);
    SCALAR.gemv(m, mo, rows, cols, x, xo, ys, yo);
    for (int i = 0; i < rows; i++) {
      assertEquals(exact[i], yk[yo + i], "row " + i);
      assertEquals(exact[i], ys[yo + i], "row " + i);
    }
    assertEquals(42f, yk[0]);
    assertArrayEquals(ys, yk);

    // The same product and, from the same pass, the squared norm of x.
    long exactNorm = 0;
    for (int j = 0; j < cols; j++) {
      exactNorm += (long) x[xo + j] * (long) x[xo + j];
    }
    float[] yn = new float[rows + 2 * yo];
    yn[0] = 42f;
    assertEquals(exactNorm, k.gemvAndSquaredNorm(m, mo, rows, cols, x, xo, yn, yo));
    assertEquals(exactNorm, SCALAR.gemvAndSquaredNorm(m, mo, rows, cols, x, xo, ys, yo));
    assertArrayEquals(ys, yn);

    // Transposed and accumulated: y (cols) += M^T v (v has rows entries), on top of existing y.
    float[] v = ints(r, 1, rows, 4);
    float[] t0 = ints(r, 1, cols, 4);
    long[] texact = new long[cols];
    for (int j = 0; j < cols; j++) {
      texact[j] = (long) t0[1 + j];
      for (int i = 0; i < rows; i++) {
        texact[j] += (long) m[mo + i * cols + j] * (long) v[1 + i];
      }
    }
    float[] tk = t0.clone(), ts = t0.clone();
    k.gemvTransposedAdd(m, mo, rows, cols, v, 1, tk, 1);
    SCALAR.gemvTransposedAdd(m, mo, rows, cols, v, 1, ts, 1);
    for (int j = 0; j < cols; j++) {
      assertEquals(texact[j], tk[1 + j], "col " + j);
    }
    assertArrayEquals(ts, tk);
    assertEquals(t0[0], tk[0]);
    assertEquals(t0[t0.length - 1], tk[tk.length - 1]);
  }

  @ParameterizedTest(name = "{0} {1}x{2}")
  @MethodSource("shapes")
  void addOuterProductIsExactOnIntegers(FloatKernelSupport k, int rows, int cols) {
    if ((long) rows * cols > 200_000) return;
    RandomSource r = random("outer", rows * 10_007 + cols);
    int mo = 3;
    float[] m0 = ints(r, mo, rows * cols, 20);
    float[] u = ints(r, 2, rows, 5);
    float[] x = ints(r, 1, cols, 5);
    float[] mk = m0.clone(), ms = m0.clone();
    k.addOuterProduct(mk, mo, rows, cols, u, 2, x, 1);
    SCALAR.addOuterProduct(ms, mo, rows, cols, u, 2, x, 1);
    float[] expected = m0.clone();
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        expected[mo + i * cols + j] = m0[mo + i * cols + j] + u[2 + i] * x[1 + j];
      }
    }
    assertArrayEquals(expected, mk, "writes the matrix slice only");
    assertArrayEquals(expected, ms);
  }

  @ParameterizedTest(name = "{0} {1}x{2}")
  @MethodSource("shapes")
  void gemvBatchEqualsRepeatedGemv(FloatKernelSupport k, int rows, int cols) {
    if ((long) rows * cols > 200_000) return;
    RandomSource r = random("gemvBatch", rows * 10_007 + cols);
    for (int batch : new int[] {0, 1, 3, 4, 5, 9}) {
      float[] m = ints(r, 1, rows * cols, 4);
      float[] xs = ints(r, 2, batch * cols, 4);
      float[] yk = new float[batch * rows + 3], ys = new float[batch * rows + 3];
      k.gemvBatch(m, 1, rows, cols, xs, 2, batch, yk, 1);
      SCALAR.gemvBatch(m, 1, rows, cols, xs, 2, batch, ys, 1);
      float[] one = new float[rows];
      for (int b = 0; b < batch; b++) {
        SCALAR.gemv(m, 1, rows, cols, xs, 2 + b * cols, one, 0);
        for (int i = 0; i < rows; i++) {
          assertEquals(one[i], yk[1 + b * rows + i], "batch " + batch + " vector " + b + " row " + i);
        }
      }
      assertArrayEquals(ys, yk);
      assertEquals(0f, yk[0]);
      assertEquals(0f, yk[yk.length - 1]);
    }
  }

  @ParameterizedTest(name = "{0} {1}x{2}")
  @MethodSource("shapes")
  void gemvWithinRoundingBoundOnFloats(FloatKernelSupport k, int rows, int cols) {
    if ((long) rows * cols > 200_000) return;
    RandomSource r = random("gemvFloat", rows * 10_007 + cols);
    float[] m = floats(r, 0, rows * cols), x = floats(r, 0, cols);
    float[] y = new float[rows];
    k.gemv(m, 0, rows, cols, x, 0, y, 0);
    for (int i = 0; i < rows; i++) {
      double ref = 0, abs = 0;
      for (int j = 0; j < cols; j++) {
        double p = (double) m[i * cols + j] * x[j];
        ref += p;
        abs += Math.abs(p);
      }
      assertTrue(Math.abs(ref - y[i]) <= gamma(cols) * abs + Double.MIN_VALUE, "row " + i);
    }
  }

  static Stream<Arguments> lowRankShapes() {
    int[] dims = {0, 1, 7, 16, 17, 33, 64, 100, 256, 257};
    List<Arguments> args = new ArrayList<>();
    for (FloatKernelSupport k : PANAMA) {
      for (int rank : new int[] {0, 1, 2, 3, 4, 5, 8, 16}) {
        for (int i = 0; i < dims.length; i++) {
          args.add(Arguments.of(k, rank, dims[i], dims[dims.length - 1 - i]));
        }
        // Whole vectors in and out: the Panama kernel's tail-free path.
        for (int[] io : new int[][] {{64, 64}, {256, 256}, {32, 48}, {0, 16}, {128, 0}}) {
          args.add(Arguments.of(k, rank, io[0], io[1]));
        }
      }
    }
    return args.stream();
  }

  @ParameterizedTest(name = "{0} rank={1} {2}->{3}")
  @MethodSource("lowRankShapes")
  void lowRankAddIsExactOnIntegers(FloatKernelSupport k, int rank, int in, int out) {
    RandomSource r = random("lowRank", rank * 1_000_003 + in * 1009 + out);
    int ao = 3, bo = 5;
    float[] a = ints(r, ao, rank * in, 3), bt = ints(r, bo, rank * out, 3);
    float scale = 2f; // a power of two keeps every product exact
    for (int batch : new int[] {1, 3, 4, 5, 8, 11}) {
      float[] xs = ints(r, 1, batch * in, 3);
      float[] y0 = ints(r, 2, batch * out, 3);
      long[] exact = new long[batch * out];
      for (int b = 0; b < batch; b++) {
        for (int o = 0; o < out; o++) {
          long acc = (long) y0[2 + b * out + o];
          for (int kk = 0; kk < rank; kk++) {
            long h = 0;
            for (int i = 0; i < in; i++) {
              h += (long) a[ao + kk * in + i] * (long) xs[1 + b * in + i];
            }
            acc += 2 * h * (long) bt[bo + kk * out + o];
          }
          exact[b * out + o] = acc;
        }
      }
      float[] yb = y0.clone(), ys = y0.clone(), yone = y0.clone();
      k.lowRankAddBatch(a, ao, bt, bo, rank, in, out, scale, xs, 1, yb, 2, batch);
      SCALAR.lowRankAddBatch(a, ao, bt, bo, rank, in, out, scale, xs, 1, ys, 2, batch);
      for (int b = 0; b < batch; b++) {
        k.lowRankAdd(a, ao, bt, bo, rank, in, out, scale, xs, 1 + b * in, yone, 2 + b * out);
      }
      for (int i = 0; i < batch * out; i++) {
        assertEquals(exact[i], yb[2 + i], "batch " + batch + " element " + i);
        assertEquals(exact[i], yone[2 + i], "single, element " + i);
      }
      assertArrayEquals(ys, yb);
      assertEquals(y0[0], yb[0]);
      assertEquals(y0[y0.length - 1], yb[yb.length - 1]);

      // Indexed: a shuffled subset of the rows, the others untouched.
      int[] order = new int[batch + 2];
      for (int i = 0; i < batch; i++) {
        order[1 + i] = i;
      }
      for (int i = batch - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = order[1 + i];
        order[1 + i] = order[1 + j];
        order[1 + j] = t;
      }
      int count = batch - batch / 3;
      float[] yk = y0.clone(), yref = y0.clone();
      k.lowRankAddRows(a, ao, bt, bo, rank, in, out, scale, xs, 1, yk, 2, order, 1, count);
      SCALAR.lowRankAddRows(a, ao, bt, bo, rank, in, out, scale, xs, 1, yref, 2, order, 1, count);
      boolean[] chosen = new boolean[batch];
      for (int i = 0; i < count; i++) {
        chosen[order[1 + i]] = true;
      }
      for (int b = 0; b < batch; b++) {
        for (int o = 0; o < out; o++) {
          float expected = chosen[b] ? exact[b * out + o] : y0[2 + b * out + o];
          assertEquals(expected, yk[2 + b * out + o], "rows: batch " + batch + " row " + b);
        }
      }
      assertArrayEquals(yref, yk);
    }
  }
}
