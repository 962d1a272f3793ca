package io.github.edgenet.core.internal.vector;

import static io.github.edgenet.core.internal.vector.FloatLanes.EIGHTH;
import static io.github.edgenet.core.internal.vector.FloatLanes.FOLD_128;
import static io.github.edgenet.core.internal.vector.FloatLanes.FOLD_256;
import static io.github.edgenet.core.internal.vector.FloatLanes.FOLD_512;
import static io.github.edgenet.core.internal.vector.FloatLanes.FOURTH;
import static io.github.edgenet.core.internal.vector.FloatLanes.HALF;
import static io.github.edgenet.core.internal.vector.FloatLanes.QUARTER;
import static io.github.edgenet.core.internal.vector.FloatLanes.SECOND;
import static io.github.edgenet.core.internal.vector.FloatLanes.SIXTEENTH;
import static io.github.edgenet.core.internal.vector.FloatLanes.THIRD;
import static io.github.edgenet.core.internal.vector.FloatLanes.UPPER_HALF;
import static io.github.edgenet.core.internal.vector.FloatLanes.UPPER_QUARTERS;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the incubating Vector API. Only {@link KernelProvider} creates it, and only after
 * checking that {@code jdk.incubator.vector} is in the boot layer: referencing this class without
 * the module would fail with {@code NoClassDefFoundError}.
 *
 * <p>Every loop follows the same pattern: several independent accumulators so the FMA latency is
 * hidden, {@code loopBound} for the vector part, then a scalar tail. Reductions therefore add in a
 * different order than {@link ScalarKernels}; results agree to float rounding, which the
 * differential tests check. The lanes of an accumulator are summed in the fixed order of {@link
 * FloatLanes}, never with {@code reduceLanes(ADD)}, so that a kernel returns the same bits
 * interpreted and compiled.
 */
final class PanamaKernels implements FloatKernelSupport {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int L = F.length();

  /**
   * Whether to use fused multiply-add. A static final, so the JIT folds the choice away: an
   * instance field would leave a branch in every inner loop (HotSpot does not trust instance
   * finals). Without hardware FMA, {@code fma()} is emulated and far slower than multiply-add.
   */
  static final boolean FMA = CpuFeatures.hasFma();

  private final String name = FloatLanes.kernelName(FMA);

  /**
   * @throws UnsupportedOperationException on a vector shape without a fixed-order lane sum (not
   *     128, 256 or 512 bits, see {@link FloatLanes#requireSupported()})
   */
  PanamaKernels() {
    FloatLanes.requireSupported();
  }

  // The kernels are written flat, without vector helper methods: C2 inlines at most
  // MaxInlineLevel (15) calls deep, the Vector API itself needs about five, and a caller's stack
  // (host, adapter, facade) adds more. A vector operation left un-inlined runs its slow Java
  // fallback and boxes vectors, which costs orders of magnitude. For the same reason the lane sums
  // are written out in place (see FloatLanes): no method of ours takes or returns a vector. The
  // scalar mulAdd below is only used in tails, where Math.fma is an intrinsic.

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean vectorized() {
    return true;
  }

  private float mulAdd(float a, float b, float acc) {
    return FMA ? Math.fma(a, b, acc) : a * b + acc;
  }

  @Override
  public float dot(float[] a, int ao, float[] b, int bo, int n) {
    int i = 0;
    float s = 0f;
    if (n >= L) {
      FloatVector acc0 = FloatVector.zero(F), acc1 = acc0, acc2 = acc0, acc3 = acc0;
      for (int bound4 = n - 4 * L; i <= bound4; i += 4 * L) {
        acc0 = (FMA ? FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc0)
            : FloatVector.fromArray(F, a, ao + i).mul(FloatVector.fromArray(F, b, bo + i)).add(acc0));
        acc1 = (FMA ? FloatVector.fromArray(F, a, ao + i + L).fma(FloatVector.fromArray(F, b, bo + i + L), acc1)
            : FloatVector.fromArray(F, a, ao + i + L).mul(FloatVector.fromArray(F, b, bo + i + L)).add(acc1));
        acc2 = (FMA ? FloatVector.fromArray(F, a, ao + i + 2 * L)
            .fma(FloatVector.fromArray(F, b, bo + i + 2 * L), acc2) : FloatVector.fromArray(F, a, ao + i + 2 * L)
            .mul(FloatVector.fromArray(F, b, bo + i + 2 * L)).add(acc2));
        acc3 = (FMA ? FloatVector.fromArray(F, a, ao + i + 3 * L)
            .fma(FloatVector.fromArray(F, b, bo + i + 3 * L), acc3) : FloatVector.fromArray(F, a, ao + i + 3 * L)
            .mul(FloatVector.fromArray(F, b, bo + i + 3 * L)).add(acc3));
      }
      for (int bound = F.loopBound(n); i < bound; i += L) {
        acc0 = (FMA ? FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc0)
            : FloatVector.fromArray(F, a, ao + i).mul(FloatVector.fromArray(F, b, bo + i)).add(acc0));
      }
      acc0 = acc0.add(acc1).add(acc2.add(acc3));
      acc0 = L == 16 ? (FloatVector) acc0.add(acc0.rearrange(FOLD_512))
          .reinterpretShape(FloatVector.SPECIES_256, 0) : acc0;
      acc0 = L >= 8 ? (FloatVector) acc0.add(acc0.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0)
          : acc0;
      acc0 = acc0.add(acc0.rearrange(FOLD_128));
      s = acc0.lane(0) + acc0.lane(1);
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
      (FMA ? va.fma(FloatVector.fromArray(F, x, xo + i), FloatVector.fromArray(F, y, yo + i))
          : va.mul(FloatVector.fromArray(F, x, xo + i)).add(FloatVector.fromArray(F, y, yo + i)))
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
      acc0 = acc0.add(acc1).add(acc2.add(acc3));
      acc0 = L == 16 ? (FloatVector) acc0.add(acc0.rearrange(FOLD_512))
          .reinterpretShape(FloatVector.SPECIES_256, 0) : acc0;
      acc0 = L >= 8 ? (FloatVector) acc0.add(acc0.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0)
          : acc0;
      acc0 = acc0.add(acc0.rearrange(FOLD_128));
      s = acc0.lane(0) + acc0.lane(1);
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
        acc0 = (FMA ? d0.fma(d0, acc0) : d0.mul(d0).add(acc0));
        acc1 = (FMA ? d1.fma(d1, acc1) : d1.mul(d1).add(acc1));
      }
      for (int bound = F.loopBound(n); i < bound; i += L) {
        FloatVector d = FloatVector.fromArray(F, a, ao + i).sub(FloatVector.fromArray(F, b, bo + i));
        acc0 = (FMA ? d.fma(d, acc0) : d.mul(d).add(acc0));
      }
      acc0 = acc0.add(acc1);
      acc0 = L == 16 ? (FloatVector) acc0.add(acc0.rearrange(FOLD_512))
          .reinterpretShape(FloatVector.SPECIES_256, 0) : acc0;
      acc0 = L >= 8 ? (FloatVector) acc0.add(acc0.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0)
          : acc0;
      acc0 = acc0.add(acc0.rearrange(FOLD_128));
      s = acc0.lane(0) + acc0.lane(1);
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
        vab = (FMA ? va.fma(vb, vab) : va.mul(vb).add(vab));
        vaa = (FMA ? va.fma(va, vaa) : va.mul(va).add(vaa));
        vbb = (FMA ? vb.fma(vb, vbb) : vb.mul(vb).add(vbb));
      }
      vab = L == 16 ? (FloatVector) vab.add(vab.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : vab;
      vab = L >= 8 ? (FloatVector) vab.add(vab.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : vab;
      vab = vab.add(vab.rearrange(FOLD_128));
      ab = vab.lane(0) + vab.lane(1);
      vaa = L == 16 ? (FloatVector) vaa.add(vaa.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : vaa;
      vaa = L >= 8 ? (FloatVector) vaa.add(vaa.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : vaa;
      vaa = vaa.add(vaa.rearrange(FOLD_128));
      aa = vaa.lane(0) + vaa.lane(1);
      vbb = L == 16 ? (FloatVector) vbb.add(vbb.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : vbb;
      vbb = L >= 8 ? (FloatVector) vbb.add(vbb.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : vbb;
      vbb = vbb.add(vbb.rearrange(FOLD_128));
      bb = vbb.lane(0) + vbb.lane(1);
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
        acc0 = (FMA ? FloatVector.fromArray(F, m, m0 + c).fma(xv, acc0) : FloatVector.fromArray(F, m, m0 + c)
            .mul(xv).add(acc0));
        acc1 = (FMA ? FloatVector.fromArray(F, m, m1 + c).fma(xv, acc1) : FloatVector.fromArray(F, m, m1 + c)
            .mul(xv).add(acc1));
        acc2 = (FMA ? FloatVector.fromArray(F, m, m2 + c).fma(xv, acc2) : FloatVector.fromArray(F, m, m2 + c)
            .mul(xv).add(acc2));
        acc3 = (FMA ? FloatVector.fromArray(F, m, m3 + c).fma(xv, acc3) : FloatVector.fromArray(F, m, m3 + c)
            .mul(xv).add(acc3));
      }
      // Four sums in one tree (FloatLanes): fewer permutes than four chains, for this
      // kernel, which is bound by its many short reductions rather than their latency.
      FloatVector ac = acc0.blend(acc2, UPPER_HALF).add(acc2.blend(acc0, UPPER_HALF).rearrange(HALF));
      FloatVector bd = acc1.blend(acc3, UPPER_HALF).add(acc3.blend(acc1, UPPER_HALF).rearrange(HALF));
      FloatVector sums = ac.blend(bd, UPPER_QUARTERS).add(bd.blend(ac, UPPER_QUARTERS).rearrange(QUARTER));
      sums = L >= 8 ? sums.add(sums.rearrange(EIGHTH)) : sums;
      sums = L >= 16 ? sums.add(sums.rearrange(SIXTEENTH)) : sums;
      float s0 = sums.lane(0);
      float s1 = sums.lane(SECOND);
      float s2 = sums.lane(THIRD);
      float s3 = sums.lane(FOURTH);
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
    if (r + 2 <= rows) {
      // Two leftover rows in one pass over x, unrolled by two so four FMA chains run at once.
      int m0 = mo + r * cols, m1 = m0 + cols;
      FloatVector acc00 = FloatVector.zero(F), acc01 = acc00, acc10 = acc00, acc11 = acc00;
      int c = 0;
      for (int bound2 = cols - 2 * L; c <= bound2; c += 2 * L) {
        FloatVector xv0 = FloatVector.fromArray(F, x, xo + c);
        FloatVector xv1 = FloatVector.fromArray(F, x, xo + c + L);
        acc00 = (FMA ? FloatVector.fromArray(F, m, m0 + c).fma(xv0, acc00) : FloatVector.fromArray(F, m, m0 + c)
            .mul(xv0).add(acc00));
        acc10 = (FMA ? FloatVector.fromArray(F, m, m1 + c).fma(xv0, acc10) : FloatVector.fromArray(F, m, m1 + c)
            .mul(xv0).add(acc10));
        acc01 = (FMA ? FloatVector.fromArray(F, m, m0 + c + L).fma(xv1, acc01)
            : FloatVector.fromArray(F, m, m0 + c + L).mul(xv1).add(acc01));
        acc11 = (FMA ? FloatVector.fromArray(F, m, m1 + c + L).fma(xv1, acc11)
            : FloatVector.fromArray(F, m, m1 + c + L).mul(xv1).add(acc11));
      }
      for (int bound = F.loopBound(cols); c < bound; c += L) {
        FloatVector xv = FloatVector.fromArray(F, x, xo + c);
        acc00 = (FMA ? FloatVector.fromArray(F, m, m0 + c).fma(xv, acc00) : FloatVector.fromArray(F, m, m0 + c)
            .mul(xv).add(acc00));
        acc10 = (FMA ? FloatVector.fromArray(F, m, m1 + c).fma(xv, acc10) : FloatVector.fromArray(F, m, m1 + c)
            .mul(xv).add(acc10));
      }
      acc00 = acc00.add(acc01);
      acc00 = L == 16 ? (FloatVector) acc00.add(acc00.rearrange(FOLD_512))
          .reinterpretShape(FloatVector.SPECIES_256, 0) : acc00;
      acc00 = L >= 8 ? (FloatVector) acc00.add(acc00.rearrange(FOLD_256))
          .reinterpretShape(FloatVector.SPECIES_128, 0) : acc00;
      acc00 = acc00.add(acc00.rearrange(FOLD_128));
      float s0 = acc00.lane(0) + acc00.lane(1);
      acc10 = acc10.add(acc11);
      acc10 = L == 16 ? (FloatVector) acc10.add(acc10.rearrange(FOLD_512))
          .reinterpretShape(FloatVector.SPECIES_256, 0) : acc10;
      acc10 = L >= 8 ? (FloatVector) acc10.add(acc10.rearrange(FOLD_256))
          .reinterpretShape(FloatVector.SPECIES_128, 0) : acc10;
      acc10 = acc10.add(acc10.rearrange(FOLD_128));
      float s1 = acc10.lane(0) + acc10.lane(1);
      for (; c < cols; c++) {
        float xc = x[xo + c];
        s0 = mulAdd(m[m0 + c], xc, s0);
        s1 = mulAdd(m[m1 + c], xc, s1);
      }
      y[yo + r] = s0;
      y[yo + r + 1] = s1;
      r += 2;
    }
    if (r < rows) {
      y[yo + r] = dot(m, mo + r * cols, x, xo, cols);
    }
  }

  @Override
  public float gemvAndSquaredNorm(
      float[] m, int mo, int rows, int cols, float[] x, int xo, float[] y, int yo) {
    if (rows == 0 || rows > 2 || cols < L) {
      gemv(m, mo, rows, cols, x, xo, y, yo);
      return dot(x, xo, x, xo, cols);
    }
    // One or two rows (rank 1-2 adapters): x squared rides along on the loads of x.
    int m0 = mo, m1 = rows == 2 ? mo + cols : mo;
    FloatVector acc0 = FloatVector.zero(F), acc1 = acc0, accx = acc0;
    int c = 0;
    for (int bound = F.loopBound(cols); c < bound; c += L) {
      FloatVector xv = FloatVector.fromArray(F, x, xo + c);
      acc0 = (FMA ? FloatVector.fromArray(F, m, m0 + c).fma(xv, acc0) : FloatVector.fromArray(F, m, m0 + c).mul(xv)
          .add(acc0));
      acc1 = (FMA ? FloatVector.fromArray(F, m, m1 + c).fma(xv, acc1) : FloatVector.fromArray(F, m, m1 + c).mul(xv)
          .add(acc1));
      accx = (FMA ? xv.fma(xv, accx) : xv.mul(xv).add(accx));
    }
    acc0 = L == 16 ? (FloatVector) acc0.add(acc0.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0)
        : acc0;
    acc0 = L >= 8 ? (FloatVector) acc0.add(acc0.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0)
        : acc0;
    acc0 = acc0.add(acc0.rearrange(FOLD_128));
    float s0 = acc0.lane(0) + acc0.lane(1);
    acc1 = L == 16 ? (FloatVector) acc1.add(acc1.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0)
        : acc1;
    acc1 = L >= 8 ? (FloatVector) acc1.add(acc1.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0)
        : acc1;
    acc1 = acc1.add(acc1.rearrange(FOLD_128));
    float s1 = acc1.lane(0) + acc1.lane(1);
    accx = L == 16 ? (FloatVector) accx.add(accx.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0)
        : accx;
    accx = L >= 8 ? (FloatVector) accx.add(accx.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0)
        : accx;
    accx = accx.add(accx.rearrange(FOLD_128));
    float sx = accx.lane(0) + accx.lane(1);
    for (; c < cols; c++) {
      float xc = x[xo + c];
      s0 = mulAdd(m[m0 + c], xc, s0);
      s1 = mulAdd(m[m1 + c], xc, s1);
      sx = mulAdd(xc, xc, sx);
    }
    y[yo] = s0;
    if (rows == 2) {
      y[yo + 1] = s1;
    }
    return sx;
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
          acc0 = (FMA ? mv.fma(FloatVector.fromArray(F, xs, x0 + c), acc0)
              : mv.mul(FloatVector.fromArray(F, xs, x0 + c)).add(acc0));
          acc1 = (FMA ? mv.fma(FloatVector.fromArray(F, xs, x1 + c), acc1)
              : mv.mul(FloatVector.fromArray(F, xs, x1 + c)).add(acc1));
          acc2 = (FMA ? mv.fma(FloatVector.fromArray(F, xs, x2 + c), acc2)
              : mv.mul(FloatVector.fromArray(F, xs, x2 + c)).add(acc2));
          acc3 = (FMA ? mv.fma(FloatVector.fromArray(F, xs, x3 + c), acc3)
              : mv.mul(FloatVector.fromArray(F, xs, x3 + c)).add(acc3));
        }
        // Four sums in one tree (FloatLanes): fewer permutes than four chains, for this
        // kernel, which is bound by its many short reductions rather than their latency.
        FloatVector ac = acc0.blend(acc2, UPPER_HALF).add(acc2.blend(acc0, UPPER_HALF).rearrange(HALF));
        FloatVector bd = acc1.blend(acc3, UPPER_HALF).add(acc3.blend(acc1, UPPER_HALF).rearrange(HALF));
        FloatVector sums = ac.blend(bd, UPPER_QUARTERS).add(bd.blend(ac, UPPER_QUARTERS).rearrange(QUARTER));
        sums = L >= 8 ? sums.add(sums.rearrange(EIGHTH)) : sums;
        sums = L >= 16 ? sums.add(sums.rearrange(SIXTEENTH)) : sums;
        float s0 = sums.lane(0);
        float s1 = sums.lane(SECOND);
        float s2 = sums.lane(THIRD);
        float s3 = sums.lane(FOURTH);
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
        yv = (FMA ? v0.fma(FloatVector.fromArray(F, m, m0 + c), yv) : v0.mul(FloatVector.fromArray(F, m, m0 + c))
            .add(yv));
        yv = (FMA ? v1.fma(FloatVector.fromArray(F, m, m1 + c), yv) : v1.mul(FloatVector.fromArray(F, m, m1 + c))
            .add(yv));
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

  @Override
  public void addOuterProduct(
      float[] m, int mo, int rows, int cols, float[] u, int uo, float[] x, int xo) {
    int r = 0;
    // Two rows per pass: each load of x feeds two row updates.
    for (; r + 2 <= rows; r += 2) {
      int m0 = mo + r * cols, m1 = m0 + cols;
      float u0 = u[uo + r], u1 = u[uo + r + 1];
      FloatVector v0 = FloatVector.broadcast(F, u0), v1 = FloatVector.broadcast(F, u1);
      int c = 0;
      for (int bound = F.loopBound(cols); c < bound; c += L) {
        FloatVector xv = FloatVector.fromArray(F, x, xo + c);
        (FMA ? v0.fma(xv, FloatVector.fromArray(F, m, m0 + c)) : v0.mul(xv)
            .add(FloatVector.fromArray(F, m, m0 + c))).intoArray(m, m0 + c);
        (FMA ? v1.fma(xv, FloatVector.fromArray(F, m, m1 + c)) : v1.mul(xv)
            .add(FloatVector.fromArray(F, m, m1 + c))).intoArray(m, m1 + c);
      }
      for (; c < cols; c++) {
        float xc = x[xo + c];
        m[m0 + c] = mulAdd(u0, xc, m[m0 + c]);
        m[m1 + c] = mulAdd(u1, xc, m[m1 + c]);
      }
    }
    if (r < rows) {
      axpy(u[uo + r], x, xo, m, mo + r * cols, cols);
    }
  }

  @Override
  public void lowRankAdd(
      float[] a, int ao, float[] bt, int bo, int rank, int in, int out, float scale,
      float[] x, int xo, float[] y, int yo) {
    int k = 0;
    if (in % (2 * L) == 0 && out % L == 0) {
      // Whole vectors (d = 64, 256, 1024, ...): no tails, one vector of x per step (two FMA
      // chains), in this method rather than a callee because neither would be inlined. Measured
      // at rank 2, d = 256: 52 ns with the general loops below, 43 ns with these.
      for (; k + 2 <= rank; k += 2) {
        int a0 = ao + k * in, a1 = a0 + in;
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
        for (int c = 0; c < in; c += L) {
          FloatVector xv = FloatVector.fromArray(F, x, xo + c);
          acc0 = (FMA ? FloatVector.fromArray(F, a, a0 + c).fma(xv, acc0) : FloatVector.fromArray(F, a, a0 + c)
              .mul(xv).add(acc0));
          acc1 = (FMA ? FloatVector.fromArray(F, a, a1 + c).fma(xv, acc1) : FloatVector.fromArray(F, a, a1 + c)
              .mul(xv).add(acc1));
        }
        acc0 = L == 16 ? (FloatVector) acc0.add(acc0.rearrange(FOLD_512))
            .reinterpretShape(FloatVector.SPECIES_256, 0) : acc0;
        acc0 = L >= 8 ? (FloatVector) acc0.add(acc0.rearrange(FOLD_256))
            .reinterpretShape(FloatVector.SPECIES_128, 0) : acc0;
        acc0 = acc0.add(acc0.rearrange(FOLD_128));
        FloatVector v0 = FloatVector.broadcast(F, scale * (acc0.lane(0) + acc0.lane(1)));
        acc1 = L == 16 ? (FloatVector) acc1.add(acc1.rearrange(FOLD_512))
            .reinterpretShape(FloatVector.SPECIES_256, 0) : acc1;
        acc1 = L >= 8 ? (FloatVector) acc1.add(acc1.rearrange(FOLD_256))
            .reinterpretShape(FloatVector.SPECIES_128, 0) : acc1;
        acc1 = acc1.add(acc1.rearrange(FOLD_128));
        FloatVector v1 = FloatVector.broadcast(F, scale * (acc1.lane(0) + acc1.lane(1)));
        int r0 = bo + k * out, r1 = r0 + out;
        for (int c = 0; c < out; c += L) {
          FloatVector yv = FloatVector.fromArray(F, y, yo + c);
          yv = FMA ? v0.fma(FloatVector.fromArray(F, bt, r0 + c), yv)
              : v0.mul(FloatVector.fromArray(F, bt, r0 + c)).add(yv);
          yv = FMA ? v1.fma(FloatVector.fromArray(F, bt, r1 + c), yv)
              : v1.mul(FloatVector.fromArray(F, bt, r1 + c)).add(yv);
          yv.intoArray(y, yo + c);
        }
      }
      if (k < rank) {
        axpy(scale * dot(a, ao + k * in, x, xo, in), bt, bo + k * out, y, yo, out);
      }
      return;
    }
    // Two ranks at a time: one pass over x for two rows of A, one pass over y for two rows of Bt.
    for (; k + 2 <= rank; k += 2) {
      int a0 = ao + k * in, a1 = a0 + in;
      FloatVector acc00 = FloatVector.zero(F), acc01 = acc00, acc10 = acc00, acc11 = acc00;
      int c = 0;
      // Unrolled by two so that four independent FMA chains hide the FMA latency.
      for (int bound2 = in - 2 * L; c <= bound2; c += 2 * L) {
        FloatVector xv0 = FloatVector.fromArray(F, x, xo + c);
        FloatVector xv1 = FloatVector.fromArray(F, x, xo + c + L);
        acc00 = (FMA ? FloatVector.fromArray(F, a, a0 + c).fma(xv0, acc00) : FloatVector.fromArray(F, a, a0 + c)
            .mul(xv0).add(acc00));
        acc10 = (FMA ? FloatVector.fromArray(F, a, a1 + c).fma(xv0, acc10) : FloatVector.fromArray(F, a, a1 + c)
            .mul(xv0).add(acc10));
        acc01 = (FMA ? FloatVector.fromArray(F, a, a0 + c + L).fma(xv1, acc01)
            : FloatVector.fromArray(F, a, a0 + c + L).mul(xv1).add(acc01));
        acc11 = (FMA ? FloatVector.fromArray(F, a, a1 + c + L).fma(xv1, acc11)
            : FloatVector.fromArray(F, a, a1 + c + L).mul(xv1).add(acc11));
      }
      for (int bound = F.loopBound(in); c < bound; c += L) {
        FloatVector xv = FloatVector.fromArray(F, x, xo + c);
        acc00 = (FMA ? FloatVector.fromArray(F, a, a0 + c).fma(xv, acc00) : FloatVector.fromArray(F, a, a0 + c)
            .mul(xv).add(acc00));
        acc10 = (FMA ? FloatVector.fromArray(F, a, a1 + c).fma(xv, acc10) : FloatVector.fromArray(F, a, a1 + c)
            .mul(xv).add(acc10));
      }
      acc00 = acc00.add(acc01);
      acc00 = L == 16 ? (FloatVector) acc00.add(acc00.rearrange(FOLD_512))
          .reinterpretShape(FloatVector.SPECIES_256, 0) : acc00;
      acc00 = L >= 8 ? (FloatVector) acc00.add(acc00.rearrange(FOLD_256))
          .reinterpretShape(FloatVector.SPECIES_128, 0) : acc00;
      acc00 = acc00.add(acc00.rearrange(FOLD_128));
      float h0 = acc00.lane(0) + acc00.lane(1);
      acc10 = acc10.add(acc11);
      acc10 = L == 16 ? (FloatVector) acc10.add(acc10.rearrange(FOLD_512))
          .reinterpretShape(FloatVector.SPECIES_256, 0) : acc10;
      acc10 = L >= 8 ? (FloatVector) acc10.add(acc10.rearrange(FOLD_256))
          .reinterpretShape(FloatVector.SPECIES_128, 0) : acc10;
      acc10 = acc10.add(acc10.rearrange(FOLD_128));
      float h1 = acc10.lane(0) + acc10.lane(1);
      for (; c < in; c++) {
        h0 = mulAdd(a[a0 + c], x[xo + c], h0);
        h1 = mulAdd(a[a1 + c], x[xo + c], h1);
      }
      // y += (scale h0) Bt[k] + (scale h1) Bt[k+1], one pass over y.
      float c0 = scale * h0, c1 = scale * h1;
      int r0 = bo + k * out, r1 = r0 + out;
      FloatVector v0 = FloatVector.broadcast(F, c0), v1 = FloatVector.broadcast(F, c1);
      c = 0;
      for (int bound = F.loopBound(out); c < bound; c += L) {
        FloatVector yv = FloatVector.fromArray(F, y, yo + c);
        FloatVector b0 = FloatVector.fromArray(F, bt, r0 + c);
        FloatVector b1 = FloatVector.fromArray(F, bt, r1 + c);
        yv = FMA ? v0.fma(b0, yv) : v0.mul(b0).add(yv);
        yv = FMA ? v1.fma(b1, yv) : v1.mul(b1).add(yv);
        yv.intoArray(y, yo + c);
      }
      for (; c < out; c++) {
        y[yo + c] = mulAdd(c1, bt[r1 + c], mulAdd(c0, bt[r0 + c], y[yo + c]));
      }
    }
    if (k < rank) {
      axpy(scale * dot(a, ao + k * in, x, xo, in), bt, bo + k * out, y, yo, out);
    }
  }

  @Override
  public void lowRankAddBatch(
      float[] a, int ao, float[] bt, int bo, int rank, int in, int out, float scale,
      float[] xs, int xo, float[] ys, int yo, int batch) {
    int b = 0;
    for (; b + 4 <= batch; b += 4) {
      int x0 = xo + b * in, y0 = yo + b * out;
      lowRankAdd4(a, ao, bt, bo, rank, in, out, scale, xs, x0, x0 + in, x0 + 2 * in, x0 + 3 * in,
          ys, y0, y0 + out, y0 + 2 * out, y0 + 3 * out);
    }
    for (; b < batch; b++) {
      lowRankAdd(a, ao, bt, bo, rank, in, out, scale, xs, xo + b * in, ys, yo + b * out);
    }
  }

  @Override
  public void lowRankAddRows(
      float[] a, int ao, float[] bt, int bo, int rank, int in, int out, float scale,
      float[] xs, int xo, float[] ys, int yo, int[] rows, int ro, int count) {
    int i = 0;
    for (; i + 4 <= count; i += 4) {
      int r0 = rows[ro + i], r1 = rows[ro + i + 1], r2 = rows[ro + i + 2], r3 = rows[ro + i + 3];
      lowRankAdd4(a, ao, bt, bo, rank, in, out, scale,
          xs, xo + r0 * in, xo + r1 * in, xo + r2 * in, xo + r3 * in,
          ys, yo + r0 * out, yo + r1 * out, yo + r2 * out, yo + r3 * out);
    }
    for (; i < count; i++) {
      int r = rows[ro + i];
      lowRankAdd(a, ao, bt, bo, rank, in, out, scale, xs, xo + r * in, ys, yo + r * out);
    }
  }

  /**
   * {@link #lowRankAdd} for four vectors at arbitrary offsets, two ranks per pass: each chunk of
   * {@code A} and {@code Bt} is loaded once for the four vectors. The four outputs must not overlap.
   */
  private void lowRankAdd4(
      float[] a, int ao, float[] bt, int bo, int rank, int in, int out, float scale,
      float[] xs, int x0, int x1, int x2, int x3, float[] ys, int y0, int y1, int y2, int y3) {
    int k = 0;
    for (; k + 2 <= rank; k += 2) {
      int a0 = ao + k * in, a1 = a0 + in;
      FloatVector p0 = FloatVector.zero(F), q0 = p0, p1 = p0, q1 = p0, p2 = p0, q2 = p0, p3 = p0, q3 = p0;
      int c = 0;
      for (int bound = F.loopBound(in); c < bound; c += L) {
        FloatVector av = FloatVector.fromArray(F, a, a0 + c);
        FloatVector aw = FloatVector.fromArray(F, a, a1 + c);
        FloatVector xv = FloatVector.fromArray(F, xs, x0 + c);
        p0 = (FMA ? av.fma(xv, p0) : av.mul(xv).add(p0));
        q0 = (FMA ? aw.fma(xv, q0) : aw.mul(xv).add(q0));
        xv = FloatVector.fromArray(F, xs, x1 + c);
        p1 = (FMA ? av.fma(xv, p1) : av.mul(xv).add(p1));
        q1 = (FMA ? aw.fma(xv, q1) : aw.mul(xv).add(q1));
        xv = FloatVector.fromArray(F, xs, x2 + c);
        p2 = (FMA ? av.fma(xv, p2) : av.mul(xv).add(p2));
        q2 = (FMA ? aw.fma(xv, q2) : aw.mul(xv).add(q2));
        xv = FloatVector.fromArray(F, xs, x3 + c);
        p3 = (FMA ? av.fma(xv, p3) : av.mul(xv).add(p3));
        q3 = (FMA ? aw.fma(xv, q3) : aw.mul(xv).add(q3));
      }
      p0 = L == 16 ? (FloatVector) p0.add(p0.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : p0;
      p0 = L >= 8 ? (FloatVector) p0.add(p0.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : p0;
      p0 = p0.add(p0.rearrange(FOLD_128));
      q0 = L == 16 ? (FloatVector) q0.add(q0.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : q0;
      q0 = L >= 8 ? (FloatVector) q0.add(q0.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : q0;
      q0 = q0.add(q0.rearrange(FOLD_128));
      float g0 = p0.lane(0) + p0.lane(1), h0 = q0.lane(0) + q0.lane(1);
      p1 = L == 16 ? (FloatVector) p1.add(p1.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : p1;
      p1 = L >= 8 ? (FloatVector) p1.add(p1.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : p1;
      p1 = p1.add(p1.rearrange(FOLD_128));
      q1 = L == 16 ? (FloatVector) q1.add(q1.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : q1;
      q1 = L >= 8 ? (FloatVector) q1.add(q1.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : q1;
      q1 = q1.add(q1.rearrange(FOLD_128));
      float g1 = p1.lane(0) + p1.lane(1), h1 = q1.lane(0) + q1.lane(1);
      p2 = L == 16 ? (FloatVector) p2.add(p2.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : p2;
      p2 = L >= 8 ? (FloatVector) p2.add(p2.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : p2;
      p2 = p2.add(p2.rearrange(FOLD_128));
      q2 = L == 16 ? (FloatVector) q2.add(q2.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : q2;
      q2 = L >= 8 ? (FloatVector) q2.add(q2.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : q2;
      q2 = q2.add(q2.rearrange(FOLD_128));
      float g2 = p2.lane(0) + p2.lane(1), h2 = q2.lane(0) + q2.lane(1);
      p3 = L == 16 ? (FloatVector) p3.add(p3.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : p3;
      p3 = L >= 8 ? (FloatVector) p3.add(p3.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : p3;
      p3 = p3.add(p3.rearrange(FOLD_128));
      q3 = L == 16 ? (FloatVector) q3.add(q3.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : q3;
      q3 = L >= 8 ? (FloatVector) q3.add(q3.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : q3;
      q3 = q3.add(q3.rearrange(FOLD_128));
      float g3 = p3.lane(0) + p3.lane(1), h3 = q3.lane(0) + q3.lane(1);
      for (; c < in; c++) {
        float av = a[a0 + c], aw = a[a1 + c];
        g0 = mulAdd(av, xs[x0 + c], g0);
        h0 = mulAdd(aw, xs[x0 + c], h0);
        g1 = mulAdd(av, xs[x1 + c], g1);
        h1 = mulAdd(aw, xs[x1 + c], h1);
        g2 = mulAdd(av, xs[x2 + c], g2);
        h2 = mulAdd(aw, xs[x2 + c], h2);
        g3 = mulAdd(av, xs[x3 + c], g3);
        h3 = mulAdd(aw, xs[x3 + c], h3);
      }
      g0 *= scale; h0 *= scale; g1 *= scale; h1 *= scale;
      g2 *= scale; h2 *= scale; g3 *= scale; h3 *= scale;
      int r0 = bo + k * out, r1 = r0 + out;
      FloatVector cg0 = FloatVector.broadcast(F, g0), ch0 = FloatVector.broadcast(F, h0);
      FloatVector cg1 = FloatVector.broadcast(F, g1), ch1 = FloatVector.broadcast(F, h1);
      FloatVector cg2 = FloatVector.broadcast(F, g2), ch2 = FloatVector.broadcast(F, h2);
      FloatVector cg3 = FloatVector.broadcast(F, g3), ch3 = FloatVector.broadcast(F, h3);
      c = 0;
      for (int bound = F.loopBound(out); c < bound; c += L) {
        FloatVector bv = FloatVector.fromArray(F, bt, r0 + c);
        FloatVector bw = FloatVector.fromArray(F, bt, r1 + c);
        // All four rows of y are loaded before any is stored: rows a multiple of 4 KiB apart (a
        // batch whose rows interleave adapters) would otherwise make each load wait on the
        // previous row's store to the same low address bits (4K aliasing; 1.5x on such batches).
        FloatVector v0 = FloatVector.fromArray(F, ys, y0 + c), v1 = FloatVector.fromArray(F, ys, y1 + c);
        FloatVector v2 = FloatVector.fromArray(F, ys, y2 + c), v3 = FloatVector.fromArray(F, ys, y3 + c);
        v0 = FMA ? ch0.fma(bw, cg0.fma(bv, v0)) : ch0.mul(bw).add(cg0.mul(bv).add(v0));
        v1 = FMA ? ch1.fma(bw, cg1.fma(bv, v1)) : ch1.mul(bw).add(cg1.mul(bv).add(v1));
        v2 = FMA ? ch2.fma(bw, cg2.fma(bv, v2)) : ch2.mul(bw).add(cg2.mul(bv).add(v2));
        v3 = FMA ? ch3.fma(bw, cg3.fma(bv, v3)) : ch3.mul(bw).add(cg3.mul(bv).add(v3));
        v0.intoArray(ys, y0 + c);
        v1.intoArray(ys, y1 + c);
        v2.intoArray(ys, y2 + c);
        v3.intoArray(ys, y3 + c);
      }
      for (; c < out; c++) {
        float bv = bt[r0 + c], bw = bt[r1 + c];
        ys[y0 + c] = mulAdd(h0, bw, mulAdd(g0, bv, ys[y0 + c]));
        ys[y1 + c] = mulAdd(h1, bw, mulAdd(g1, bv, ys[y1 + c]));
        ys[y2 + c] = mulAdd(h2, bw, mulAdd(g2, bv, ys[y2 + c]));
        ys[y3 + c] = mulAdd(h3, bw, mulAdd(g3, bv, ys[y3 + c]));
      }
    }
    if (k < rank) {
      // The last rank of an odd rank (all of rank 1): one row of A and of Bt for the four vectors.
      int ak = ao + k * in, bk = bo + k * out;
      FloatVector p0 = FloatVector.zero(F), p1 = p0, p2 = p0, p3 = p0;
      int c = 0;
      for (int bound = F.loopBound(in); c < bound; c += L) {
        FloatVector av = FloatVector.fromArray(F, a, ak + c);
        p0 = (FMA ? av.fma(FloatVector.fromArray(F, xs, x0 + c), p0) : av.mul(FloatVector.fromArray(F, xs, x0 + c))
            .add(p0));
        p1 = (FMA ? av.fma(FloatVector.fromArray(F, xs, x1 + c), p1) : av.mul(FloatVector.fromArray(F, xs, x1 + c))
            .add(p1));
        p2 = (FMA ? av.fma(FloatVector.fromArray(F, xs, x2 + c), p2) : av.mul(FloatVector.fromArray(F, xs, x2 + c))
            .add(p2));
        p3 = (FMA ? av.fma(FloatVector.fromArray(F, xs, x3 + c), p3) : av.mul(FloatVector.fromArray(F, xs, x3 + c))
            .add(p3));
      }
      p0 = L == 16 ? (FloatVector) p0.add(p0.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : p0;
      p0 = L >= 8 ? (FloatVector) p0.add(p0.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : p0;
      p0 = p0.add(p0.rearrange(FOLD_128));
      p1 = L == 16 ? (FloatVector) p1.add(p1.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : p1;
      p1 = L >= 8 ? (FloatVector) p1.add(p1.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : p1;
      p1 = p1.add(p1.rearrange(FOLD_128));
      float g0 = p0.lane(0) + p0.lane(1), g1 = p1.lane(0) + p1.lane(1);
      p2 = L == 16 ? (FloatVector) p2.add(p2.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : p2;
      p2 = L >= 8 ? (FloatVector) p2.add(p2.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : p2;
      p2 = p2.add(p2.rearrange(FOLD_128));
      p3 = L == 16 ? (FloatVector) p3.add(p3.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : p3;
      p3 = L >= 8 ? (FloatVector) p3.add(p3.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : p3;
      p3 = p3.add(p3.rearrange(FOLD_128));
      float g2 = p2.lane(0) + p2.lane(1), g3 = p3.lane(0) + p3.lane(1);
      for (; c < in; c++) {
        float av = a[ak + c];
        g0 = mulAdd(av, xs[x0 + c], g0);
        g1 = mulAdd(av, xs[x1 + c], g1);
        g2 = mulAdd(av, xs[x2 + c], g2);
        g3 = mulAdd(av, xs[x3 + c], g3);
      }
      g0 *= scale; g1 *= scale; g2 *= scale; g3 *= scale;
      FloatVector c0 = FloatVector.broadcast(F, g0), c1 = FloatVector.broadcast(F, g1);
      FloatVector c2 = FloatVector.broadcast(F, g2), c3 = FloatVector.broadcast(F, g3);
      c = 0;
      for (int bound = F.loopBound(out); c < bound; c += L) {
        FloatVector bv = FloatVector.fromArray(F, bt, bk + c);
        FloatVector v0 = FloatVector.fromArray(F, ys, y0 + c), v1 = FloatVector.fromArray(F, ys, y1 + c);
        FloatVector v2 = FloatVector.fromArray(F, ys, y2 + c), v3 = FloatVector.fromArray(F, ys, y3 + c);
        (FMA ? c0.fma(bv, v0) : c0.mul(bv).add(v0)).intoArray(ys, y0 + c);
        (FMA ? c1.fma(bv, v1) : c1.mul(bv).add(v1)).intoArray(ys, y1 + c);
        (FMA ? c2.fma(bv, v2) : c2.mul(bv).add(v2)).intoArray(ys, y2 + c);
        (FMA ? c3.fma(bv, v3) : c3.mul(bv).add(v3)).intoArray(ys, y3 + c);
      }
      for (; c < out; c++) {
        float bv = bt[bk + c];
        ys[y0 + c] = mulAdd(g0, bv, ys[y0 + c]);
        ys[y1 + c] = mulAdd(g1, bv, ys[y1 + c]);
        ys[y2 + c] = mulAdd(g2, bv, ys[y2 + c]);
        ys[y3 + c] = mulAdd(g3, bv, ys[y3 + c]);
      }
    }
  }
}
