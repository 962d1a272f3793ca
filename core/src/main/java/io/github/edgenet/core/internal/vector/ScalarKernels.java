package io.github.edgenet.core.internal.vector;

/**
 * Plain-Java kernels: the reference the SIMD path is tested against, and the path that runs when
 * the Vector API is absent or disabled. Written as the obvious loops, in order, with one
 * accumulator, so results are the textbook left-to-right float sums.
 */
public final class ScalarKernels implements KernelSupport {
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

  // ---- Block-quantized kernels: the reference loops live in BlockKernels ----------------------

  @Override
  public float dotQ8_0(byte[] q, int qo, short[] d, int dO, float[] x, int xo, int n) {
    return BlockKernels.dotQ8_0(q, qo, d, dO, x, xo, n);
  }

  @Override
  public float dotQ4_0(byte[] q, int qo, short[] d, int dO, float[] x, int xo, int n) {
    return BlockKernels.dotQ4_0(q, qo, d, dO, x, xo, n);
  }

  @Override
  public void axpyQ8_0(float alpha, byte[] q, int qo, short[] d, int dO, float[] y, int yo, int n) {
    BlockKernels.axpyQ8_0(alpha, q, qo, d, dO, y, yo, n);
  }

  @Override
  public void axpyQ4_0(float alpha, byte[] q, int qo, short[] d, int dO, float[] y, int yo, int n) {
    BlockKernels.axpyQ4_0(alpha, q, qo, d, dO, y, yo, n);
  }

  @Override
  public float dotQ8_0Q8_0(
      byte[] wq, int wqo, short[] wd, int wdo, byte[] xq, int xqo, short[] xd, int xdo, int blocks) {
    return BlockKernels.dotQ8_0Q8_0(wq, wqo, wd, wdo, xq, xqo, xd, xdo, blocks);
  }

  @Override
  public float dotQ4_0Q8_0(
      byte[] wq, int wqo, short[] wd, int wdo, byte[] xq, int xqo, short[] xd, int xdo, int blocks) {
    return BlockKernels.dotQ4_0Q8_0(wq, wqo, wd, wdo, xq, xqo, xd, xdo, blocks);
  }

  @Override
  public int quantizeQ8_0(float[] x, int xo, int n, byte[] q, int qo, short[] d, int dO) {
    return BlockKernels.quantizeQ8_0(x, xo, n, q, qo, d, dO);
  }

  @Override
  public void lowRankAddQ8_0(byte[] aq, short[] ad, byte[] bq, short[] bd, int rank, int in,
      int out, float scale, float[] x, int xo, float[] y, int yo) {
    BlockKernels.lowRankAddQ8_0(aq, ad, bq, bd, rank, in, out, scale, x, xo, y, yo);
  }

  @Override
  public void lowRankAddQ4_0(byte[] aq, short[] ad, byte[] bq, short[] bd, int rank, int in,
      int out, float scale, float[] x, int xo, float[] y, int yo) {
    BlockKernels.lowRankAddQ4_0(aq, ad, bq, bd, rank, in, out, scale, x, xo, y, yo);
  }

  @Override
  public void lowRankAddRowsQ8_0(byte[] aq, short[] ad, byte[] bq, short[] bd, int rank, int in,
      int out, float scale, float[] xs, int xo, float[] ys, int yo, int[] rows, int ro, int count) {
    for (int i = 0; i < count; i++) {
      int r = rows == null ? i : rows[ro + i];
      BlockKernels.lowRankAddQ8_0(aq, ad, bq, bd, rank, in, out, scale, xs, xo + r * in, ys, yo + r * out);
    }
  }

  @Override
  public void lowRankAddRowsQ4_0(byte[] aq, short[] ad, byte[] bq, short[] bd, int rank, int in,
      int out, float scale, float[] xs, int xo, float[] ys, int yo, int[] rows, int ro, int count) {
    for (int i = 0; i < count; i++) {
      int r = rows == null ? i : rows[ro + i];
      BlockKernels.lowRankAddQ4_0(aq, ad, bq, bd, rank, in, out, scale, xs, xo + r * in, ys, yo + r * out);
    }
  }

  @Override
  public void gemvBatchQ8_0(byte[] q, short[] d, int rows, int cols, float[] xs, int xo, int batch,
      float[] ys, int yo) {
    gemvBatch(false, q, d, rows, cols, xs, xo, batch, ys, yo);
  }

  @Override
  public void gemvBatchQ4_0(byte[] q, short[] d, int rows, int cols, float[] xs, int xo, int batch,
      float[] ys, int yo) {
    gemvBatch(true, q, d, rows, cols, xs, xo, batch, ys, yo);
  }

  @Override
  public void gemvTransposedAddBatchQ8_0(byte[] q, short[] d, int rows, int cols, float[] xs,
      int xo, int batch, float[] ys, int yo) {
    gemvTransposedAddBatch(false, q, d, rows, cols, xs, xo, batch, ys, yo);
  }

  @Override
  public void gemvTransposedAddBatchQ4_0(byte[] q, short[] d, int rows, int cols, float[] xs,
      int xo, int batch, float[] ys, int yo) {
    gemvTransposedAddBatch(true, q, d, rows, cols, xs, xo, batch, ys, yo);
  }

  /** A block dot per row and vector. */
  private static void gemvBatch(boolean q4, byte[] q, short[] d, int rows, int cols, float[] xs,
      int xo, int batch, float[] ys, int yo) {
    int blocks = BlockKernels.blocks(cols);
    int rowBytes = blocks * (q4 ? BlockKernels.Q4_0_BYTES : BlockKernels.Q8_0_BYTES);
    for (int b = 0; b < batch; b++) {
      for (int r = 0; r < rows; r++) {
        int qo = r * rowBytes, dO = r * blocks, x = xo + b * cols;
        ys[yo + b * rows + r] = q4
            ? BlockKernels.dotQ4_0(q, qo, d, dO, xs, x, cols)
            : BlockKernels.dotQ8_0(q, qo, d, dO, xs, x, cols);
      }
    }
  }

  /** A block axpy per row and vector with a non-zero coefficient. */
  private static void gemvTransposedAddBatch(boolean q4, byte[] q, short[] d, int rows, int cols,
      float[] xs, int xo, int batch, float[] ys, int yo) {
    int blocks = BlockKernels.blocks(cols);
    int rowBytes = blocks * (q4 ? BlockKernels.Q4_0_BYTES : BlockKernels.Q8_0_BYTES);
    for (int b = 0; b < batch; b++) {
      for (int r = 0; r < rows; r++) {
        float g = xs[xo + b * rows + r];
        if (g == 0f) {
          continue;
        }
        if (q4) {
          BlockKernels.axpyQ4_0(g, q, r * rowBytes, d, r * blocks, ys, yo + b * cols, cols);
        } else {
          BlockKernels.axpyQ8_0(g, q, r * rowBytes, d, r * blocks, ys, yo + b * cols, cols);
        }
      }
    }
  }
}
