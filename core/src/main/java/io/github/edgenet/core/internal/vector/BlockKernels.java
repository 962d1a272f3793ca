package io.github.edgenet.core.internal.vector;

/**
 * The scalar block-quantized kernels: the {@link BlockKernelSupport} that runs when the Vector API
 * is absent or disabled ({@link #INSTANCE}), the reference the SIMD block kernels are tested
 * against, the loops {@code PanamaBlockKernels} calls for partial blocks and unsupported vector
 * widths (through the same instance, so each loop is written once), and the pieces that have no
 * SIMD version (Q4_0 quantization and dequantization, run once per weight, not per call; static).
 *
 * <p>Semantics are those of llama.cpp / ggml, {@code ggml/src/ggml-quants.c}:
 * {@code quantize_row_q8_0_ref}, {@code quantize_row_q4_0_ref}, {@code dequantize_row_q8_0},
 * {@code dequantize_row_q4_0}, and {@code ggml/src/ggml-cpu/quants.c}:
 * {@code ggml_vec_dot_q8_0_q8_0_generic}, {@code ggml_vec_dot_q4_0_q8_0_generic}. The layout is
 * structure-of-arrays (see {@link BlockKernelSupport}); a row of {@code n} elements has
 * {@code ceil(n/32)} blocks, the last one padded with zero-valued weights.
 *
 * <p>The f32 kernels accumulate each block's products in order and apply the block's scale once,
 * with {@code sum += blockSum * d}. Arguments are not checked here. Thread-safe: stateless.
 */
public final class BlockKernels implements BlockKernelSupport {
  /** The single instance: the scalar block kernels. */
  public static final BlockKernels INSTANCE = new BlockKernels();

  /** Weights per block. */
  public static final int BLOCK = 32;
  /** Quant bytes per Q8_0 block. */
  public static final int Q8_0_BYTES = 32;
  /** Quant bytes per Q4_0 block (two 4-bit codes per byte). */
  public static final int Q4_0_BYTES = 16;

  private BlockKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  /** Blocks needed for {@code n} elements: {@code ceil(n / 32)}. */
  public static int blocks(int n) {
    return (n + BLOCK - 1) >>> 5;
  }

  /** The block scale at {@code d[i]} as a float. */
  static float scale(short[] d, int i) {
    return Float.float16ToFloat(d[i]);
  }

  /**
   * C's {@code roundf}: to the nearest integer, halves away from zero (Java's {@code Math.round}
   * rounds halves up, which differs for negative halves). Exact for every float: truncation and
   * the difference {@code v - trunc(v)} are exact below 2^23, and larger floats are integers.
   */
  public static float roundHalfAwayFromZero(float v) {
    if (!(Math.abs(v) < 0x1p23f)) {
      return v; // already an integer (or not finite)
    }
    float t = (float) (int) v;
    float frac = v - t;
    if (frac >= 0.5f) {
      return t + 1f;
    }
    if (frac <= -0.5f) {
      return t - 1f;
    }
    return t;
  }

  /** The Q4_0 value of element {@code j} (0..31) of the block whose quants start at {@code qb}. */
  static int q4(byte[] q, int qb, int j) {
    int b = q[qb + (j & 15)];
    return (j < 16 ? (b & 0x0F) : ((b >>> 4) & 0x0F)) - 8;
  }

  // ---- f32 x quantized -----------------------------------------------------------------------

  @Override
  public float dotQ8_0(byte[] q, int qo, short[] d, int dO, float[] x, int xo, int n) {
    float sum = 0f;
    for (int b = 0, i = 0; i < n; b++, i += BLOCK) {
      int len = Math.min(BLOCK, n - i);
      int qb = qo + b * Q8_0_BYTES;
      float s = 0f;
      for (int j = 0; j < len; j++) {
        s += q[qb + j] * x[xo + i + j];
      }
      sum += s * scale(d, dO + b);
    }
    return sum;
  }

  @Override
  public float dotQ4_0(byte[] q, int qo, short[] d, int dO, float[] x, int xo, int n) {
    float sum = 0f;
    for (int b = 0, i = 0; i < n; b++, i += BLOCK) {
      int len = Math.min(BLOCK, n - i);
      int qb = qo + b * Q4_0_BYTES, xb = xo + i, half = Math.min(len, 16);
      float s = 0f;
      // Elements in order, low nibbles (0..15) then high nibbles (16..31): no per-element branch.
      for (int j = 0; j < half; j++) {
        s += ((q[qb + j] & 0x0F) - 8) * x[xb + j];
      }
      for (int j = 16; j < len; j++) {
        s += (((q[qb + j - 16] >> 4) & 0x0F) - 8) * x[xb + j];
      }
      sum += s * scale(d, dO + b);
    }
    return sum;
  }

  @Override
  public void axpyQ8_0(float alpha, byte[] q, int qo, short[] d, int dO, float[] y, int yo, int n) {
    for (int b = 0, i = 0; i < n; b++, i += BLOCK) {
      int len = Math.min(BLOCK, n - i);
      int qb = qo + b * Q8_0_BYTES;
      float c = alpha * scale(d, dO + b);
      for (int j = 0; j < len; j++) {
        y[yo + i + j] += c * q[qb + j];
      }
    }
  }

  @Override
  public void axpyQ4_0(float alpha, byte[] q, int qo, short[] d, int dO, float[] y, int yo, int n) {
    for (int b = 0, i = 0; i < n; b++, i += BLOCK) {
      int len = Math.min(BLOCK, n - i);
      int qb = qo + b * Q4_0_BYTES, yb = yo + i, half = Math.min(len, 16);
      float c = alpha * scale(d, dO + b);
      for (int j = 0; j < half; j++) {
        y[yb + j] += c * ((q[qb + j] & 0x0F) - 8);
      }
      for (int j = 16; j < len; j++) {
        y[yb + j] += c * (((q[qb + j - 16] >> 4) & 0x0F) - 8);
      }
    }
  }

  // ---- quantized x quantized (integer sums per block) ------------------------------------------

  @Override
  public float dotQ8_0Q8_0(
      byte[] wq, int wqo, short[] wd, int wdo, byte[] xq, int xqo, short[] xd, int xdo, int blocks) {
    float sum = 0f;
    for (int b = 0; b < blocks; b++) {
      int wb = wqo + b * Q8_0_BYTES, xb = xqo + b * Q8_0_BYTES;
      int s = 0;
      for (int j = 0; j < BLOCK; j++) {
        s += wq[wb + j] * xq[xb + j];
      }
      sum += s * (scale(wd, wdo + b) * scale(xd, xdo + b));
    }
    return sum;
  }

  @Override
  public float dotQ4_0Q8_0(
      byte[] wq, int wqo, short[] wd, int wdo, byte[] xq, int xqo, short[] xd, int xdo, int blocks) {
    float sum = 0f;
    for (int b = 0; b < blocks; b++) {
      int wb = wqo + b * Q4_0_BYTES, xb = xqo + b * Q8_0_BYTES;
      int s = 0;
      for (int j = 0; j < 16; j++) {
        int packed = wq[wb + j];
        s += ((packed & 0x0F) - 8) * xq[xb + j] + (((packed >> 4) & 0x0F) - 8) * xq[xb + j + 16];
      }
      sum += s * (scale(wd, wdo + b) * scale(xd, xdo + b));
    }
    return sum;
  }

  // ---- quantization (ggml's reference quantizers) ----------------------------------------------

  /**
   * ggml {@code quantize_row_q8_0_ref}: {@code amax = max|x|}, {@code d = amax / 127}, codes
   * {@code roundf(x * (1/d))} (0 when {@code d == 0}), {@code d} stored as a half float. Elements
   * past {@code n} in the last block are zero.
   *
   * @return -1, or the first block whose half-float scale is not finite (nothing written for it)
   */
  @Override
  public int quantizeQ8_0(float[] x, int xo, int n, byte[] q, int qo, short[] d, int dO) {
    for (int b = 0, i = 0; i < n; b++, i += BLOCK) {
      int len = Math.min(BLOCK, n - i);
      float amax = 0f;
      for (int j = 0; j < len; j++) {
        amax = Math.max(amax, Math.abs(x[xo + i + j]));
      }
      float dd = amax / 127f;
      float id = dd != 0f ? 1f / dd : 0f;
      short h = Float.floatToFloat16(dd);
      if (!Float.isFinite(Float.float16ToFloat(h))) {
        return b;
      }
      d[dO + b] = h;
      int qb = qo + b * Q8_0_BYTES;
      for (int j = 0; j < len; j++) {
        q[qb + j] = (byte) roundHalfAwayFromZero(x[xo + i + j] * id);
      }
      for (int j = len; j < BLOCK; j++) {
        q[qb + j] = 0;
      }
    }
    return -1;
  }

  /**
   * ggml {@code quantize_row_q4_0_ref}: {@code max} is the element of largest magnitude (the first
   * one on ties) with its sign, {@code d = max / -8}, codes {@code min(15, (int) (x * (1/d) +
   * 8.5))} (so {@code max} itself maps to code 0, value -8), {@code d} stored as a half float.
   * Element {@code j} goes to the low nibble of byte {@code j}, element {@code j+16} to its high
   * nibble. Elements past {@code n} in the last block are zero (code 8). An all-zero block stores
   * {@code d = -0.0} (half bits {@code 0x8000}), exactly as ggml does.
   *
   * @return -1, or the first block with a non-finite element or a scale too large for a half float
   *     (nothing written for it)
   */
  public static int quantizeQ4_0(float[] x, int xo, int n, byte[] q, int qo, short[] d, int dO) {
    for (int b = 0, i = 0; i < n; b++, i += BLOCK) {
      int len = Math.min(BLOCK, n - i);
      float amax = 0f, max = 0f;
      for (int j = 0; j < len; j++) {
        float v = x[xo + i + j];
        if (!Float.isFinite(v)) {
          return b;
        }
        if (amax < Math.abs(v)) {
          amax = Math.abs(v);
          max = v;
        }
      }
      float dd = max / -8f;
      float id = dd != 0f ? 1f / dd : 0f;
      short h = Float.floatToFloat16(dd);
      if (!Float.isFinite(Float.float16ToFloat(h))) {
        return b;
      }
      d[dO + b] = h;
      int qb = qo + b * Q4_0_BYTES;
      for (int j = 0; j < 16; j++) {
        int lo = code4(j < len ? x[xo + i + j] : 0f, id);
        int hi = code4(j + 16 < len ? x[xo + i + j + 16] : 0f, id);
        q[qb + j] = (byte) (lo | (hi << 4));
      }
    }
    return -1;
  }

  private static int code4(float v, float id) {
    return Math.min(15, (int) (v * id + 8.5f));
  }

  /** ggml {@code dequantize_row_q8_0}: {@code y[i] = q[i] * d}, for the first {@code n} elements. */
  public static void dequantizeQ8_0(byte[] q, int qo, short[] d, int dO, float[] y, int yo, int n) {
    for (int b = 0, i = 0; i < n; b++, i += BLOCK) {
      int len = Math.min(BLOCK, n - i);
      int qb = qo + b * Q8_0_BYTES;
      float s = scale(d, dO + b);
      for (int j = 0; j < len; j++) {
        y[yo + i + j] = q[qb + j] * s;
      }
    }
  }

  /** ggml {@code dequantize_row_q4_0}: {@code y[i] = (nibble - 8) * d}, for the first {@code n}. */
  public static void dequantizeQ4_0(byte[] q, int qo, short[] d, int dO, float[] y, int yo, int n) {
    for (int b = 0, i = 0; i < n; b++, i += BLOCK) {
      int len = Math.min(BLOCK, n - i);
      int qb = qo + b * Q4_0_BYTES;
      float s = scale(d, dO + b);
      for (int j = 0; j < len; j++) {
        y[yo + i + j] = q4(q, qb, j) * s;
      }
    }
  }

  // ---- the quantized LoRA forward, rank by rank ------------------------------------------------

  @Override
  public void lowRankAddQ8_0(byte[] aq, short[] ad, byte[] bq, short[] bd, int rank, int in,
      int out, float scale, float[] x, int xo, float[] y, int yo) {
    int ab = blocks(in), bb = blocks(out);
    for (int k = 0; k < rank; k++) {
      float h = dotQ8_0(aq, k * ab * Q8_0_BYTES, ad, k * ab, x, xo, in);
      axpyQ8_0(scale * h, bq, k * bb * Q8_0_BYTES, bd, k * bb, y, yo, out);
    }
  }

  @Override
  public void lowRankAddQ4_0(byte[] aq, short[] ad, byte[] bq, short[] bd, int rank, int in,
      int out, float scale, float[] x, int xo, float[] y, int yo) {
    int ab = blocks(in), bb = blocks(out);
    for (int k = 0; k < rank; k++) {
      float h = dotQ4_0(aq, k * ab * Q4_0_BYTES, ad, k * ab, x, xo, in);
      axpyQ4_0(scale * h, bq, k * bb * Q4_0_BYTES, bd, k * bb, y, yo, out);
    }
  }

  // ---- rows and batches: the per-row kernels above, row by row ---------------------------------

  @Override
  public void lowRankAddRowsQ8_0(byte[] aq, short[] ad, byte[] bq, short[] bd, int rank, int in,
      int out, float scale, float[] xs, int xo, float[] ys, int yo, int[] rows, int ro, int count) {
    for (int i = 0; i < count; i++) {
      int r = rows == null ? i : rows[ro + i];
      lowRankAddQ8_0(aq, ad, bq, bd, rank, in, out, scale, xs, xo + r * in, ys, yo + r * out);
    }
  }

  @Override
  public void lowRankAddRowsQ4_0(byte[] aq, short[] ad, byte[] bq, short[] bd, int rank, int in,
      int out, float scale, float[] xs, int xo, float[] ys, int yo, int[] rows, int ro, int count) {
    for (int i = 0; i < count; i++) {
      int r = rows == null ? i : rows[ro + i];
      lowRankAddQ4_0(aq, ad, bq, bd, rank, in, out, scale, xs, xo + r * in, ys, yo + r * out);
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
  private void gemvBatch(boolean q4, byte[] q, short[] d, int rows, int cols, float[] xs, int xo,
      int batch, float[] ys, int yo) {
    int blocks = blocks(cols);
    int rowBytes = blocks * (q4 ? Q4_0_BYTES : Q8_0_BYTES);
    for (int b = 0; b < batch; b++) {
      for (int r = 0; r < rows; r++) {
        int qo = r * rowBytes, dO = r * blocks, x = xo + b * cols;
        ys[yo + b * rows + r] = q4
            ? dotQ4_0(q, qo, d, dO, xs, x, cols)
            : dotQ8_0(q, qo, d, dO, xs, x, cols);
      }
    }
  }

  /** A block axpy per row and vector with a non-zero coefficient. */
  private void gemvTransposedAddBatch(boolean q4, byte[] q, short[] d, int rows, int cols,
      float[] xs, int xo, int batch, float[] ys, int yo) {
    int blocks = blocks(cols);
    int rowBytes = blocks * (q4 ? Q4_0_BYTES : Q8_0_BYTES);
    for (int b = 0; b < batch; b++) {
      for (int r = 0; r < rows; r++) {
        float g = xs[xo + b * rows + r];
        if (g == 0f) {
          continue;
        }
        if (q4) {
          axpyQ4_0(g, q, r * rowBytes, d, r * blocks, ys, yo + b * cols, cols);
        } else {
          axpyQ8_0(g, q, r * rowBytes, d, r * blocks, ys, yo + b * cols, cols);
        }
      }
    }
  }
}
