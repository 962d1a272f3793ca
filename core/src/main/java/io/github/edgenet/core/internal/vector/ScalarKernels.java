package io.github.edgenet.core.internal.vector;

/**
 * Plain-Java kernels: the reference the SIMD path is tested against, and the path that runs when
 * the Vector API is absent or disabled. Written as the obvious loops, in order, with one
 * accumulator, so results are the textbook left-to-right float sums.
 */
public final class ScalarKernels implements FloatKernelSupport {
  /** The single instance. */
  public static final ScalarKernels INSTANCE = new ScalarKernels();

  private ScalarKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public boolean vectorized() {
    return false;
  }

  @Override
  public float dot(float[] a, int ao, float[] b, int bo, int n) {
    float s = 0f;
    for (int i = 0; i < n; i++) {
      s += a[ao + i] * b[bo + i];
    }
    return s;
  }

  @Override
  public void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] += alpha * x[xo + i];
    }
  }

  @Override
  public void scale(float alpha, float[] x, int xo, int n) {
    for (int i = 0; i < n; i++) {
      x[xo + i] *= alpha;
    }
  }

  @Override
  public void add(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) {
      out[oo + i] = a[ao + i] + b[bo + i];
    }
  }

  @Override
  public float sum(float[] x, int xo, int n) {
    float s = 0f;
    for (int i = 0; i < n; i++) {
      s += x[xo + i];
    }
    return s;
  }

  @Override
  public float squaredDistance(float[] a, int ao, float[] b, int bo, int n) {
    float s = 0f;
    for (int i = 0; i < n; i++) {
      float d = a[ao + i] - b[bo + i];
      s += d * d;
    }
    return s;
  }

  @Override
  public float cosine(float[] a, int ao, float[] b, int bo, int n) {
    float ab = 0f, aa = 0f, bb = 0f;
    for (int i = 0; i < n; i++) {
      float x = a[ao + i], y = b[bo + i];
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
    return cosineOf(ab, aa, bb);
  }

  /** The cosine from its three sums, 0 for a zero vector; shared with the SIMD path. */
  static float cosineOf(float ab, float aa, float bb) {
    if (aa == 0f || bb == 0f) {
      return 0f;
    }
    return (float) (ab / Math.sqrt((double) aa * (double) bb));
  }

  @Override
  public void gemv(float[] m, int mo, int rows, int cols, float[] x, int xo, float[] y, int yo) {
    for (int r = 0; r < rows; r++) {
      y[yo + r] = dot(m, mo + r * cols, x, xo, cols);
    }
  }

  @Override
  public float gemvAndSquaredNorm(
      float[] m, int mo, int rows, int cols, float[] x, int xo, float[] y, int yo) {
    gemv(m, mo, rows, cols, x, xo, y, yo);
    return dot(x, xo, x, xo, cols);
  }

  @Override
  public void gemvBatch(
      float[] m, int mo, int rows, int cols, float[] xs, int xo, int batch, float[] ys, int yo) {
    for (int b = 0; b < batch; b++) {
      gemv(m, mo, rows, cols, xs, xo + b * cols, ys, yo + b * rows);
    }
  }

  @Override
  public void gemvTransposedAdd(
      float[] m, int mo, int rows, int cols, float[] x, int xo, float[] y, int yo) {
    for (int r = 0; r < rows; r++) {
      axpy(x[xo + r], m, mo + r * cols, y, yo, cols);
    }
  }

  @Override
  public void addOuterProduct(
      float[] m, int mo, int rows, int cols, float[] u, int uo, float[] x, int xo) {
    for (int r = 0; r < rows; r++) {
      axpy(u[uo + r], x, xo, m, mo + r * cols, cols);
    }
  }

  @Override
  public void lowRankAdd(
      float[] a, int ao, float[] bt, int bo, int rank, int in, int out, float scale,
      float[] x, int xo, float[] y, int yo) {
    for (int k = 0; k < rank; k++) {
      float h = dot(a, ao + k * in, x, xo, in);
      axpy(scale * h, bt, bo + k * out, y, yo, out);
    }
  }

  @Override
  public void lowRankAddBatch(
      float[] a, int ao, float[] bt, int bo, int rank, int in, int out, float scale,
      float[] xs, int xo, float[] ys, int yo, int batch) {
    for (int b = 0; b < batch; b++) {
      lowRankAdd(a, ao, bt, bo, rank, in, out, scale, xs, xo + b * in, ys, yo + b * out);
    }
  }

  @Override
  public void lowRankAddRows(
      float[] a, int ao, float[] bt, int bo, int rank, int in, int out, float scale,
      float[] xs, int xo, float[] ys, int yo, int[] rows, int ro, int count) {
    for (int i = 0; i < count; i++) {
      int r = rows[ro + i];
      lowRankAdd(a, ao, bt, bo, rank, in, out, scale, xs, xo + r * in, ys, yo + r * out);
    }
  }
}
