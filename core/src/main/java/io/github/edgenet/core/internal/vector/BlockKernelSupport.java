package io.github.edgenet.core.internal.vector;

/**
 * The block-quantized kernels behind {@link io.github.edgenet.core.vector.QuantizedKernels},
 * implemented twice: by {@link BlockKernels} (the scalar reference loops, always available) and
 * by {@code PanamaBlockKernels} (the Vector API, used when {@code jdk.incubator.vector} is in the
 * boot layer). {@link KernelProvider} chooses this family separately from the float one
 * ({@link FloatKernelSupport}).
 *
 * <p>Arguments are not checked here: the facade checks every range once, before delegating. No
 * method allocates.
 */
public interface BlockKernelSupport {

  /** A short name for logs and benchmarks, as {@link FloatKernelSupport#name()}. */
  String name();

  // ---- Block-quantized kernels (llama.cpp Q8_0 / Q4_0) ----------------------------------------
  //
  // A row of n logical elements is stored as ceil(n/32) blocks, structure-of-arrays: quants in a
  // byte[] (Q8_0: 32 signed bytes per block; Q4_0: 16 bytes per block, element j of a block in the
  // low nibble of byte j and element j+16 in the high nibble, value = nibble - 8) and one IEEE
  // half-precision scale per block in a short[]. The f32 side of a kernel has exactly n elements:
  // a partial last block is read only up to n. See BlockKernels for the shared scalar pieces.

  /** {@code sum_i deq(q)[i] * x[xo+i]} for {@code i < n}: one scale multiply per block. */
  float dotQ8_0(byte[] q, int qo, short[] d, int dO, float[] x, int xo, int n);

  /** {@link #dotQ8_0} for a Q4_0 row. */
  float dotQ4_0(byte[] q, int qo, short[] d, int dO, float[] x, int xo, int n);

  /** {@code y[yo+i] += alpha * deq(q)[i]} for {@code i < n}. */
  void axpyQ8_0(float alpha, byte[] q, int qo, short[] d, int dO, float[] y, int yo, int n);

  /** {@link #axpyQ8_0} for a Q4_0 row. */
  void axpyQ4_0(float alpha, byte[] q, int qo, short[] d, int dO, float[] y, int yo, int n);

  /**
   * {@code sum_b d_w[b] * d_x[b] * sum_j w[b][j] * x[b][j]} over {@code blocks} whole Q8_0 blocks:
   * exact integer sums per block, one float multiply-add per block (ggml_vec_dot_q8_0_q8_0).
   */
  float dotQ8_0Q8_0(
      byte[] wq, int wqo, short[] wd, int wdo, byte[] xq, int xqo, short[] xd, int xdo, int blocks);

  /** {@link #dotQ8_0Q8_0} with a Q4_0 row on the left (ggml_vec_dot_q4_0_q8_0). */
  float dotQ4_0Q8_0(
      byte[] wq, int wqo, short[] wd, int wdo, byte[] xq, int xqo, short[] xd, int xdo, int blocks);

  /**
   * Quantizes {@code x[xo .. xo+n)} to {@code ceil(n/32)} Q8_0 blocks exactly as ggml's
   * {@code quantize_row_q8_0_ref} (the row padded with zeros to whole blocks).
   *
   * @return -1, or the index of the first block whose scale is not a finite half float (a
   *     non-finite input, or one too large); blocks before it are written, it and later ones not
   */
  int quantizeQ8_0(float[] x, int xo, int n, byte[] q, int qo, short[] d, int dO);

  /**
   * The quantized LoRA forward {@code y += scale * Bt^T (A x)} on Q8_0 blocks: {@code A} is
   * {@code rank} rows of {@code in} weights ({@code ceil(in/32)} blocks each) from block 0 of
   * {@code aq}/{@code ad}, {@code Bt} is {@code rank} rows of {@code out} weights from block 0 of
   * {@code bq}/{@code bd}. Same result as {@code rank} calls of {@link #dotQ8_0} then
   * {@link #axpyQ8_0}, up to float rounding; SIMD implementations may fuse ranks.
   */
  void lowRankAddQ8_0(byte[] aq, short[] ad, byte[] bq, short[] bd, int rank, int in, int out,
      float scale, float[] x, int xo, float[] y, int yo);

  /** {@link #lowRankAddQ8_0} on Q4_0 blocks. */
  void lowRankAddQ4_0(byte[] aq, short[] ad, byte[] bq, short[] bd, int rank, int in, int out,
      float scale, float[] x, int xo, float[] y, int yo);

  /**
   * {@link #lowRankAddQ8_0} for {@code count} rows of a batch: row {@code r} reads
   * {@code xs[xo + r*in ..]} and adds into {@code ys[yo + r*out ..]}, where {@code r} is
   * {@code rows[ro + i]}, or {@code i} itself when {@code rows} is null (a contiguous batch). SIMD
   * implementations may process several rows per pass over the factors.
   */
  void lowRankAddRowsQ8_0(byte[] aq, short[] ad, byte[] bq, short[] bd, int rank, int in, int out,
      float scale, float[] xs, int xo, float[] ys, int yo, int[] rows, int ro, int count);

  /** {@link #lowRankAddRowsQ8_0} on Q4_0 blocks. */
  void lowRankAddRowsQ4_0(byte[] aq, short[] ad, byte[] bq, short[] bd, int rank, int in, int out,
      float scale, float[] xs, int xo, float[] ys, int yo, int[] rows, int ro, int count);

  /**
   * A Q8_0 matrix times a batch of vectors: {@code ys[yo + b*rows + r] = } row {@code r} (of
   * {@code cols} weights, {@code ceil(cols/32)} blocks, from block 0 of {@code q}/{@code d}) dot
   * {@code xs[xo + b*cols ..]}, for {@code b < batch}. Same result as {@link #dotQ8_0} per row and
   * vector, up to float rounding; SIMD implementations may share each widened block among several
   * vectors.
   */
  void gemvBatchQ8_0(byte[] q, short[] d, int rows, int cols, float[] xs, int xo, int batch,
      float[] ys, int yo);

  /** {@link #gemvBatchQ8_0} on Q4_0 blocks. */
  void gemvBatchQ4_0(byte[] q, short[] d, int rows, int cols, float[] xs, int xo, int batch,
      float[] ys, int yo);

  /**
   * The transposed product added into a batch: {@code ys[yo + b*cols + c] += sum_r W[r][c] *
   * xs[xo + b*rows + r]} for {@code b < batch}, {@code c < cols}, with {@code W} the Q8_0 matrix of
   * {@link #gemvBatchQ8_0}. Same result as an {@link #axpyQ8_0} of each row scaled by its
   * coefficient, up to float rounding; SIMD implementations may keep a chunk of four outputs in
   * registers over all rows.
   */
  void gemvTransposedAddBatchQ8_0(byte[] q, short[] d, int rows, int cols, float[] xs, int xo,
      int batch, float[] ys, int yo);

  /** {@link #gemvTransposedAddBatchQ8_0} on Q4_0 blocks. */
  void gemvTransposedAddBatchQ4_0(byte[] q, short[] d, int rows, int cols, float[] xs, int xo,
      int batch, float[] ys, int yo);
}
