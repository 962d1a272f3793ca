package io.github.edgenet.core.internal.vector;

/**
 * The block-quantized kernels in plain Java: the reference loops of {@link BlockKernels} (which the
 * SIMD kernels also use for partial blocks), and the path that runs when the Vector API is absent
 * or disabled.
 */
public final class ScalarBlockKernels implements BlockKernelSupport {
  /** The single instance. */
  public static final ScalarBlockKernels INSTANCE = new ScalarBlockKernels();

  private ScalarBlockKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

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
