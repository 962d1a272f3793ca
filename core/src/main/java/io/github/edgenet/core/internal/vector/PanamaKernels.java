package io.github.edgenet.core.internal.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the incubating Vector API. Only {@link KernelProvider} creates it, and only after
 * checking that {@code jdk.incubator.vector} is in the boot layer: referencing this class without
 * the module would fail with {@code NoClassDefFoundError}.
 *
 * <p>Every loop follows the same pattern: several independent accumulators so the FMA latency is
 * hidden, {@code loopBound} for the vector part, then a scalar tail. Reductions therefore add in a
 * different order than {@link ScalarKernels}; results agree to float rounding, which the
 * differential tests check.
 */
final class PanamaKernels implements KernelSupport {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int L = F.length();

  private final boolean fma;
  private final String name;

  /** @param fma whether the CPU has fused multiply-add (without it {@code fma()} is emulated and slow) */
  PanamaKernels(boolean fma) {
    this.fma = fma;
    this.name = "Panama(" + F.vectorBitSize() + "-bit" + (fma ? ", FMA" : "") + ")";
  }

  @Override
  public String name() {
    return name;
  }

  private FloatVector mulAdd(FloatVector a, FloatVector b, FloatVector acc) {
    return fma ? a.fma(b, acc) : a.mul(b).add(acc);
  }

  private float mulAdd(float a, float b, float acc) {
    return fma ? Math.fma(a, b, acc) : a * b + acc;
  }

  @Override
  public float dot(float[] a, int ao, float[] b, int bo, int n) {
    int i = 0;
    float s = 0f;
    if (n >= L) {
      FloatVector acc0 = FloatVector.zero(F), acc1 = acc0, acc2 = acc0, acc3 = acc0;
      for (int bound4 = n - 4 * L; i <= bound4; i += 4 * L) {
        acc0 = mulAdd(FloatVector.fromArray(F, a, ao + i), FloatVector.fromArray(F, b, bo + i), acc0);
        acc1 = mulAdd(FloatVector.fromArray(F, a, ao + i + L), FloatVector.fromArray(F, b, bo + i + L), acc1);
        acc2 = mulAdd(FloatVector.fromArray(F, a, ao + i + 2 * L), FloatVector.fromArray(F, b, bo + i + 2 * L), acc2);
        acc3 = mulAdd(FloatVector.fromArray(F, a, ao + i + 3 * L), FloatVector.fromArray(F, b, bo + i + 3 * L), acc3);
      }
      for (int bound = F.loopBound(n); i < bound; i += L) {
        acc0 = mulAdd(FloatVector.fromArray(F, a, ao + i), FloatVector.fromArray(F, b, bo + i), acc0);
      }
      s = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
    }
    for (; i < n; i++) {
      s = mulAdd(a[ao + i], b[bo + i], s);
    }
    return s;
  }

  @Override
  public void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
    int i = 0;
    FloatVector va = FloatVector.broadcast(F, alpha);
    for (int bound = F.loopBound(n); i < bound; i += L) {
      mulAdd(va, FloatVector.fromArray(F, x, xo + i), FloatVector.fromArray(F, y, yo + i))
          .intoArray(y, yo + i);
    }
    for (; i < n; i++) {
      y[yo + i] = mulAdd(alpha, x[xo + i], y[yo + i]);
    }
  }

  @Override
  public void scale(float alpha, float[] x, int xo, int n) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += L) {
      FloatVector.fromArray(F, x, xo + i).mul(alpha).intoArray(x, xo + i);
    }
    for (; i < n; i++) {
      x[xo + i] *= alpha;
    }
  }

  @Override
  public void add(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += L) {
      FloatVector.fromArray(F, a, ao + i).add(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
    }
    for (; i < n; i++) {
      out[oo + i] = a[ao + i] + b[bo + i];
    }
  }

  @Override
  public float sum(float[] x, int xo, int n) {
    int i = 0;
    float s = 0f;
    if (n >= L) {
      FloatVector acc0 = FloatVector.zero(F), acc1 = acc0, acc2 = acc0, acc3 = acc0;
      for (int bound4 = n - 4 * L; i <= bound4; i += 4 * L) {
        acc0 = acc0.add(FloatVector.fromArray(F, x, xo + i));
        acc1 = acc1.add(FloatVector.fromArray(F, x, xo + i + L));
        acc2 = acc2.add(FloatVector.fromArray(F, x, xo + i + 2 * L));
        acc3 = acc3.add(FloatVector.fromArray(F, x, xo + i + 3 * L));
      }
      for (int bound = F.loopBound(n); i < bound; i += L) {
        acc0 = acc0.add(FloatVector.fromArray(F, x, xo + i));
      }
      s = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
    }
    for (; i < n; i++) {
      s += x[xo + i];
    }
    return s;
  }

  @Override
  public float squaredDistance(float[] a, int ao, float[] b, int bo, int n) {
    int i = 0;
    float s = 0f;
    if (n >= L) {
      FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
      for (int bound2 = n - 2 * L; i <= bound2; i += 2 * L) {
        FloatVector d0 = FloatVector.fromArray(F, a, ao + i).sub(FloatVector.fromArray(F, b, bo + i));
        FloatVector d1 = FloatVector.fromArray(F, a, ao + i + L).sub(FloatVector.fromArray(F, b, bo + i + L));
        acc0 = mulAdd(d0, d0, acc0);
        acc1 = mulAdd(d1, d1, acc1);
      }
      for (int bound = F.loopBound(n); i < bound; i += L) {
        FloatVector d = FloatVector.fromArray(F, a, ao + i).sub(FloatVector.fromArray(F, b, bo + i));
        acc0 = mulAdd(d, d, acc0);
      }
      s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }
    for (; i < n; i++) {
      float d = a[ao + i] - b[bo + i];
      s = mulAdd(d, d, s);
    }
    return s;
  }

  @Override
  public float cosine(float[] a, int ao, float[] b, int bo, int n) {
    int i = 0;
    float ab = 0f, aa = 0f, bb = 0f;
    if (n >= L) {
      FloatVector vab = FloatVector.zero(F), vaa = vab, vbb = vab;
      for (int bound = F.loopBound(n); i < bound; i += L) {
        FloatVector va = FloatVector.fromArray(F, a, ao + i);
        FloatVector vb = FloatVector.fromArray(F, b, bo + i);
        vab = mulAdd(va, vb, vab);
        vaa = mulAdd(va, va, vaa);
        vbb = mulAdd(vb, vb, vbb);
      }
      ab = vab.reduceLanes(VectorOperators.ADD);
      aa = vaa.reduceLanes(VectorOperators.ADD);
      bb = vbb.reduceLanes(VectorOperators.ADD);
    }
    for (; i < n; i++) {
      float x = a[ao + i], y = b[bo + i];
      ab = mulAdd(x, y, ab);
      aa = mulAdd(x, x, aa);
      bb = mulAdd(y, y, bb);
    }
    return ScalarKernels.cosineOf(ab, aa, bb);
  }

  @Override
  public void gemv(float[] m, int mo, int rows, int cols, float[] x, int xo, float[] y, int yo) {
    if (cols < L) {
      ScalarKernels.INSTANCE.gemv(m, mo, rows, cols, x, xo, y, yo);
      return;
    }
    int r = 0;
    // Four rows at a time: each load of x feeds four FMAs.
    for (; r + 4 <= rows; r += 4) {
      int m0 = mo + r * cols, m1 = m0 + cols, m2 = m1 + cols, m3 = m2 + cols;
      FloatVector acc0 = FloatVector.zero(F), acc1 = acc0, acc2 = acc0, acc3 = acc0;
      int c = 0;
      for (int bound = F.loopBound(cols); c < bound; c += L) {
        FloatVector xv = FloatVector.fromArray(F, x, xo + c);
        acc0 = mulAdd(FloatVector.fromArray(F, m, m0 + c), xv, acc0);
        acc1 = mulAdd(FloatVector.fromArray(F, m, m1 + c), xv, acc1);
        acc2 = mulAdd(FloatVector.fromArray(F, m, m2 + c), xv, acc2);
        acc3 = mulAdd(FloatVector.fromArray(F, m, m3 + c), xv, acc3);
      }
      float s0 = acc0.reduceLanes(VectorOperators.ADD);
      float s1 = acc1.reduceLanes(VectorOperators.ADD);
      float s2 = acc2.reduceLanes(VectorOperators.ADD);
      float s3 = acc3.reduceLanes(VectorOperators.ADD);
      for (; c < cols; c++) {
        float xc = x[xo + c];
        s0 = mulAdd(m[m0 + c], xc, s0);
        s1 = mulAdd(m[m1 + c], xc, s1);
        s2 = mulAdd(m[m2 + c], xc, s2);
        s3 = mulAdd(m[m3 + c], xc, s3);
      }
      y[yo + r] = s0;
      y[yo + r + 1] = s1;
      y[yo + r + 2] = s2;
      y[yo + r + 3] = s3;
    }
    for (; r < rows; r++) {
      y[yo + r] = dot(m, mo + r * cols, x, xo, cols);
    }
  }

  @Override
  public void gemvBatch(
      float[] m, int mo, int rows, int cols, float[] xs, int xo, int batch, float[] ys, int yo) {
    if (cols < L) {
      ScalarKernels.INSTANCE.gemvBatch(m, mo, rows, cols, xs, xo, batch, ys, yo);
      return;
    }
    int b = 0;
    // Four vectors at a time: each load of a matrix row feeds four FMAs, so M streams from memory
    // once per four vectors instead of once per vector.
    for (; b + 4 <= batch; b += 4) {
      int x0 = xo + b * cols, x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
      int y0 = yo + b * rows, y1 = y0 + rows, y2 = y1 + rows, y3 = y2 + rows;
      for (int r = 0; r < rows; r++) {
        int mr = mo + r * cols;
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int c = 0;
        for (int bound = F.loopBound(cols); c < bound; c += L) {
          FloatVector mv = FloatVector.fromArray(F, m, mr + c);
          acc0 = mulAdd(mv, FloatVector.fromArray(F, xs, x0 + c), acc0);
          acc1 = mulAdd(mv, FloatVector.fromArray(F, xs, x1 + c), acc1);
          acc2 = mulAdd(mv, FloatVector.fromArray(F, xs, x2 + c), acc2);
          acc3 = mulAdd(mv, FloatVector.fromArray(F, xs, x3 + c), acc3);
        }
        float s0 = acc0.reduceLanes(VectorOperators.ADD);
        float s1 = acc1.reduceLanes(VectorOperators.ADD);
        float s2 = acc2.reduceLanes(VectorOperators.ADD);
        float s3 = acc3.reduceLanes(VectorOperators.ADD);
        for (; c < cols; c++) {
          float mc = m[mr + c];
          s0 = mulAdd(mc, xs[x0 + c], s0);
          s1 = mulAdd(mc, xs[x1 + c], s1);
          s2 = mulAdd(mc, xs[x2 + c], s2);
          s3 = mulAdd(mc, xs[x3 + c], s3);
        }
        ys[y0 + r] = s0;
        ys[y1 + r] = s1;
        ys[y2 + r] = s2;
        ys[y3 + r] = s3;
      }
    }
    for (; b < batch; b++) {
      gemv(m, mo, rows, cols, xs, xo + b * cols, ys, yo + b * rows);
    }
  }

  @Override
  public void gemvTransposedAdd(
      float[] m, int mo, int rows, int cols, float[] x, int xo, float[] y, int yo) {
    int r = 0;
    // Two rows at a time: each load and store of y carries two FMAs.
    for (; r + 2 <= rows; r += 2) {
      int m0 = mo + r * cols, m1 = m0 + cols;
      float a0 = x[xo + r], a1 = x[xo + r + 1];
      FloatVector v0 = FloatVector.broadcast(F, a0), v1 = FloatVector.broadcast(F, a1);
      int c = 0;
      for (int bound = F.loopBound(cols); c < bound; c += L) {
        FloatVector yv = FloatVector.fromArray(F, y, yo + c);
        yv = mulAdd(v0, FloatVector.fromArray(F, m, m0 + c), yv);
        yv = mulAdd(v1, FloatVector.fromArray(F, m, m1 + c), yv);
        yv.intoArray(y, yo + c);
      }
      for (; c < cols; c++) {
        y[yo + c] = mulAdd(a1, m[m1 + c], mulAdd(a0, m[m0 + c], y[yo + c]));
      }
    }
    if (r < rows) {
      axpy(x[xo + r], m, mo + r * cols, y, yo, cols);
    }
  }
}
