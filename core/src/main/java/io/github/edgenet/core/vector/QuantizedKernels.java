package io.github.edgenet.core.vector;

import io.github.edgenet.core.internal.vector.BlockKernels;
import io.github.edgenet.core.internal.vector.KernelProvider;
import io.github.edgenet.core.internal.vector.BlockKernelSupport;
import java.util.Objects;

/**
 * Kernels on block-quantized rows in llama.cpp's {@code Q8_0} and {@code Q4_0} formats, fast with
 * the Vector API and correct without it (the same implementation choice as {@link VectorKernels}).
 *
 * <p><b>Formats.</b> A row of {@code n} weights is cut into {@link #blocks(int) ceil(n/32)} blocks
 * of {@value #BLOCK_SIZE}; the last one is padded with zero-valued weights. Each block has one
 * scale {@code d}, an IEEE half float (a {@code short} holding the binary16 bits, see
 * {@link Float#float16ToFloat}), and 32 codes:
 *
 * <ul>
 *   <li>{@code Q8_0}: 32 signed bytes {@code q[j]}, value {@code q[j] * d}; 32 quant bytes per
 *       block ({@value #Q8_0_BLOCK_BYTES}).
 *   <li>{@code Q4_0}: 16 bytes; element {@code j < 16} of the block is the low nibble of byte
 *       {@code j}, element {@code j + 16} its high nibble; value {@code (nibble - 8) * d}; 16 quant
 *       bytes per block ({@value #Q4_0_BLOCK_BYTES}).
 * </ul>
 *
 * <p>Storage is structure-of-arrays: the quants of consecutive blocks lie one after another in a
 * {@code byte[]} and the scales in a {@code short[]}, each slice given by an array and an offset.
 * Memory is exactly ggml's {@code block_q8_0} (34 bytes per 32 weights) and {@code block_q4_0} (18
 * bytes); only the interleaving differs. Quantization follows ggml's reference quantizers
 * ({@code quantize_row_q8_0_ref}, {@code quantize_row_q4_0_ref} in {@code ggml-quants.c}) bit for
 * bit.
 *
 * <p><b>Kernels.</b> The f32 kernels ({@link #dotQ8_0 dot}, {@link #axpyQ8_0 axpy} and their Q4_0
 * twins) work on the blocks directly: products are accumulated per block and the block's scale is
 * applied once, so they add only float rounding to the exact result over the dequantized weights
 * (which are exact floats: an 8-bit code times an 11-bit scale). The f32 side has exactly {@code n}
 * elements and is never read or written past {@code n}. The quantized-activation dots
 * ({@link #dotQ8_0Q8_0}, {@link #dotQ4_0Q8_0}) sum each block's products exactly in integers and
 * multiply by {@code d_w * d_x} once per block, as ggml's {@code ggml_vec_dot_q8_0_q8_0}.
 *
 * <p><b>Failures.</b> Every range is checked before any element is touched: a bad offset or
 * length throws {@link IndexOutOfBoundsException} and a negative {@code n}
 * {@link IllegalArgumentException}, and nothing is written. The quantizers reject non-finite input
 * and blocks whose scale does not fit a half float ({@code |x| > 65504 * 127} for Q8_0,
 * {@code > 65504 * 8} for Q4_0) with {@link IllegalArgumentException}; blocks before the bad one
 * have then been written.
 *
 * <p>No method allocates. Thread-safe: the class is stateless; concurrent calls that write the
 * same output array race, as plain array code would.
 */
public final class QuantizedKernels {
  /** Weights per block: 32, as ggml's {@code QK8_0} and {@code QK4_0}. */
  public static final int BLOCK_SIZE = BlockKernels.BLOCK;
  /** Quant bytes per Q8_0 block (plus one 2-byte scale: 34 bytes per 32 weights). */
  public static final int Q8_0_BLOCK_BYTES = BlockKernels.Q8_0_BYTES;
  /** Quant bytes per Q4_0 block (plus one 2-byte scale: 18 bytes per 32 weights). */
  public static final int Q4_0_BLOCK_BYTES = BlockKernels.Q4_0_BYTES;

  private static final BlockKernelSupport IMPL = KernelProvider.blocks();

  private QuantizedKernels() {}

  /**
   * The implementation in use, as {@link VectorKernels#implementationName()}.
   *
   * @return the implementation in use, as {@link VectorKernels#implementationName()}
   */
  public static String implementationName() {
    return IMPL.name();
  }

  /**
   * Blocks needed for {@code n} weights: {@code ceil(n / 32)}.
   *
   * @param n the number of weights in the row
   * @return {@code ceil(n / 32)}
   * @throws IllegalArgumentException if {@code n < 0}
   */
  public static int blocks(int n) {
    checkN(n);
    return BlockKernels.blocks(n);
  }

  // ---- f32 x quantized -----------------------------------------------------------------------

  /**
   * The dot product of a Q8_0 row of {@code n} weights with {@code x[xOffset .. xOffset+n)}:
   * {@code sum_i q[i] * d[i/32] * x[i]}, one scale multiply per block.
   *
   * @param quants the row's codes from {@code quantsOffset}: {@code 32 * blocks(n)} bytes
   * @param quantsOffset the index in {@code quants} of its first element used
   * @param scales the row's half-float scales from {@code scalesOffset}: {@code blocks(n)} of them
   * @param scalesOffset the index in {@code scales} of its first element used
   * @param x the input vector (read only)
   * @param xOffset the index in {@code x} of its first element used
   * @param n the number of weights in the row
   * @return the dot product of a Q8_0 row of {@code n} weights with {@code x[xOffset .. xOffset+n)}
   */
  public static float dotQ8_0(
      byte[] quants, int quantsOffset, short[] scales, int scalesOffset, float[] x, int xOffset, int n) {
    checkRow(quants, quantsOffset, Q8_0_BLOCK_BYTES, scales, scalesOffset, n);
    Objects.checkFromIndexSize(xOffset, n, x.length);
    return IMPL.dotQ8_0(quants, quantsOffset, scales, scalesOffset, x, xOffset, n);
  }

  /**
   * The dot product of a Q4_0 row of {@code n} weights ({@code 16 * blocks(n)} quant bytes) with
   * {@code x[xOffset .. xOffset+n)}; see {@link #dotQ8_0}.
   *
   * @param quants the quantized codes, {@code 32} (Q8_0) or {@code 16} (Q4_0) bytes per block
   * @param quantsOffset the index in {@code quants} of its first element used
   * @param scales the half-float block scales, one per block
   * @param scalesOffset the index in {@code scales} of its first element used
   * @param x the input vector (read only)
   * @param xOffset the index in {@code x} of its first element used
   * @param n the number of weights in the row
   * @return the dot product of a Q4_0 row of {@code n} weights ({@code 16 * blocks(n)} quant
   *     bytes) with {@code x[xOffset .. xOffset+n)}
   */
  public static float dotQ4_0(
      byte[] quants, int quantsOffset, short[] scales, int scalesOffset, float[] x, int xOffset, int n) {
    checkRow(quants, quantsOffset, Q4_0_BLOCK_BYTES, scales, scalesOffset, n);
    Objects.checkFromIndexSize(xOffset, n, x.length);
    return IMPL.dotQ4_0(quants, quantsOffset, scales, scalesOffset, x, xOffset, n);
  }

  /**
   * Adds a scaled, dequantized Q8_0 row to {@code y}: {@code y[yOffset+i] += alpha * q[i] *
   * d[i/32]} for {@code i < n}, computed as {@code (alpha * d) * q[i]} (one multiply per block).
   *
   * @param alpha the scalar factor
   * @param quants the quantized codes, {@code 32} (Q8_0) or {@code 16} (Q4_0) bytes per block
   * @param quantsOffset the index in {@code quants} of its first element used
   * @param scales the half-float block scales, one per block
   * @param scalesOffset the index in {@code scales} of its first element used
   * @param y the output vector
   * @param yOffset the index in {@code y} of its first element used
   * @param n the number of weights in the row
   */
  public static void axpyQ8_0(
      float alpha, byte[] quants, int quantsOffset, short[] scales, int scalesOffset,
      float[] y, int yOffset, int n) {
    checkRow(quants, quantsOffset, Q8_0_BLOCK_BYTES, scales, scalesOffset, n);
    Objects.checkFromIndexSize(yOffset, n, y.length);
    IMPL.axpyQ8_0(alpha, quants, quantsOffset, scales, scalesOffset, y, yOffset, n);
  }

  /**
   * {@link #axpyQ8_0} for a Q4_0 row ({@code 16 * blocks(n)} quant bytes).
   *
   * @param alpha the scalar factor
   * @param quants the quantized codes, {@code 32} (Q8_0) or {@code 16} (Q4_0) bytes per block
   * @param quantsOffset the index in {@code quants} of its first element used
   * @param scales the half-float block scales, one per block
   * @param scalesOffset the index in {@code scales} of its first element used
   * @param y the output vector
   * @param yOffset the index in {@code y} of its first element used
   * @param n the number of weights in the row
   */
  public static void axpyQ4_0(
      float alpha, byte[] quants, int quantsOffset, short[] scales, int scalesOffset,
      float[] y, int yOffset, int n) {
    checkRow(quants, quantsOffset, Q4_0_BLOCK_BYTES, scales, scalesOffset, n);
    Objects.checkFromIndexSize(yOffset, n, y.length);
    IMPL.axpyQ4_0(alpha, quants, quantsOffset, scales, scalesOffset, y, yOffset, n);
  }

  // ---- quantized x quantized -------------------------------------------------------------------

  /**
   * The dot product of two Q8_0 rows of {@code n} weights (an 8-bit weight row and an 8-bit
   * activation): {@code sum_b (d_w[b] * d_x[b]) * sum_j w[b][j] * x[b][j]}, the inner sums exact
   * in integers (ggml {@code ggml_vec_dot_q8_0_q8_0}). Whole blocks are multiplied, padding
   * included; the quantizers write zero-valued padding, so for rows they produced this is the dot
   * product of the first {@code n} weights.
   *
   * @param wQuants the codes of the quantized weight row
   * @param wQuantsOffset the index in {@code wQuants} of its first element used
   * @param wScales the block scales of the weight row
   * @param wScalesOffset the index in {@code wScales} of its first element used
   * @param xQuants the Q8_0 codes of the quantized vector {@code x}
   * @param xQuantsOffset the index in {@code xQuants} of its first element used
   * @param xScales the block scales of {@code x}
   * @param xScalesOffset the index in {@code xScales} of its first element used
   * @param n the number of weights in the row
   * @return the dot product of two Q8_0 rows of {@code n} weights (an 8-bit weight row and an
   *     8-bit activation)
   */
  public static float dotQ8_0Q8_0(
      byte[] wQuants, int wQuantsOffset, short[] wScales, int wScalesOffset,
      byte[] xQuants, int xQuantsOffset, short[] xScales, int xScalesOffset, int n) {
    checkRow(wQuants, wQuantsOffset, Q8_0_BLOCK_BYTES, wScales, wScalesOffset, n);
    checkRow(xQuants, xQuantsOffset, Q8_0_BLOCK_BYTES, xScales, xScalesOffset, n);
    return IMPL.dotQ8_0Q8_0(wQuants, wQuantsOffset, wScales, wScalesOffset,
        xQuants, xQuantsOffset, xScales, xScalesOffset, BlockKernels.blocks(n));
  }

  /**
   * The dot product of a Q4_0 weight row with a Q8_0 activation row, both of {@code n} weights
   * (ggml {@code ggml_vec_dot_q4_0_q8_0}); see {@link #dotQ8_0Q8_0}.
   *
   * @param wQuants the codes of the quantized weight row
   * @param wQuantsOffset the index in {@code wQuants} of its first element used
   * @param wScales the block scales of the weight row
   * @param wScalesOffset the index in {@code wScales} of its first element used
   * @param xQuants the Q8_0 codes of the quantized vector {@code x}
   * @param xQuantsOffset the index in {@code xQuants} of its first element used
   * @param xScales the block scales of {@code x}
   * @param xScalesOffset the index in {@code xScales} of its first element used
   * @param n the number of weights in the row
   * @return the dot product of a Q4_0 weight row with a Q8_0 activation row, both of {@code n}
   *     weights (ggml {@code ggml_vec_dot_q4_0_q8_0})
   */
  public static float dotQ4_0Q8_0(
      byte[] wQuants, int wQuantsOffset, short[] wScales, int wScalesOffset,
      byte[] xQuants, int xQuantsOffset, short[] xScales, int xScalesOffset, int n) {
    checkRow(wQuants, wQuantsOffset, Q4_0_BLOCK_BYTES, wScales, wScalesOffset, n);
    checkRow(xQuants, xQuantsOffset, Q8_0_BLOCK_BYTES, xScales, xScalesOffset, n);
    return IMPL.dotQ4_0Q8_0(wQuants, wQuantsOffset, wScales, wScalesOffset,
        xQuants, xQuantsOffset, xScales, xScalesOffset, BlockKernels.blocks(n));
  }

  // ---- quantization ----------------------------------------------------------------------------

  /**
   * Quantizes {@code x[xOffset .. xOffset+n)} to a Q8_0 row exactly as ggml's
   * {@code quantize_row_q8_0_ref}: per block {@code amax = max|x|}, {@code d = amax / 127},
   * codes {@code roundf(x * (1/d))} (halves away from zero; all zero when {@code d == 0}), {@code d}
   * stored as a half float (round to nearest even). Padding codes are 0. SIMD where available,
   * with results identical to the scalar path: this is the activation quantizer.
   *
   * @param x the input vector (read only)
   * @param xOffset the index in {@code x} of its first element used
   * @param n the number of weights in the row
   * @param quants the quantized codes, {@code 32} (Q8_0) or {@code 16} (Q4_0) bytes per block
   * @param quantsOffset the index in {@code quants} of its first element used
   * @param scales the half-float block scales, one per block
   * @param scalesOffset the index in {@code scales} of its first element used
   * @throws IllegalArgumentException if an element is not finite or a block's scale overflows a
   *     half float ({@code amax > 65504 * 127}); blocks before it have been written
   */
  public static void quantizeQ8_0(
      float[] x, int xOffset, int n, byte[] quants, int quantsOffset, short[] scales, int scalesOffset) {
    checkRow(quants, quantsOffset, Q8_0_BLOCK_BYTES, scales, scalesOffset, n);
    Objects.checkFromIndexSize(xOffset, n, x.length);
    int bad = IMPL.quantizeQ8_0(x, xOffset, n, quants, quantsOffset, scales, scalesOffset);
    if (bad >= 0) {
      throw badBlock("Q8_0", x, xOffset, n, bad, 127);
    }
  }

  /**
   * Quantizes {@code x[xOffset .. xOffset+n)} to a Q4_0 row exactly as ggml's
   * {@code quantize_row_q4_0_ref}: per block {@code max} is the element of largest magnitude (the
   * first on ties) with its sign, {@code d = max / -8}, codes {@code min(15, (int) (x * (1/d) +
   * 8.5))}, {@code d} stored as a half float. {@code max} maps to -8, and elements of the other
   * sign and equal magnitude clip to 7. An all-zero block stores {@code d = -0.0} (bits
   * {@code 0x8000}) and codes 8, as ggml does. Padding codes are 8 (value 0). Scalar: weights are
   * quantized once, not per call.
   *
   * @param x the input vector (read only)
   * @param xOffset the index in {@code x} of its first element used
   * @param n the number of weights in the row
   * @param quants the quantized codes, {@code 32} (Q8_0) or {@code 16} (Q4_0) bytes per block
   * @param quantsOffset the index in {@code quants} of its first element used
   * @param scales the half-float block scales, one per block
   * @param scalesOffset the index in {@code scales} of its first element used
   * @throws IllegalArgumentException if an element is not finite or a block's scale overflows a
   *     half float ({@code amax > 65504 * 8}); blocks before it have been written
   */
  public static void quantizeQ4_0(
      float[] x, int xOffset, int n, byte[] quants, int quantsOffset, short[] scales, int scalesOffset) {
    checkRow(quants, quantsOffset, Q4_0_BLOCK_BYTES, scales, scalesOffset, n);
    Objects.checkFromIndexSize(xOffset, n, x.length);
    int bad = BlockKernels.quantizeQ4_0(x, xOffset, n, quants, quantsOffset, scales, scalesOffset);
    if (bad >= 0) {
      throw badBlock("Q4_0", x, xOffset, n, bad, 8);
    }
  }

  /**
   * Writes the {@code n} dequantized weights {@code q[i] * d[i/32]} of a Q8_0 row to {@code y}.
   *
   * @param quants the quantized codes, {@code 32} (Q8_0) or {@code 16} (Q4_0) bytes per block
   * @param quantsOffset the index in {@code quants} of its first element used
   * @param scales the half-float block scales, one per block
   * @param scalesOffset the index in {@code scales} of its first element used
   * @param y the output vector
   * @param yOffset the index in {@code y} of its first element used
   * @param n the number of weights in the row
   */
  public static void dequantizeQ8_0(
      byte[] quants, int quantsOffset, short[] scales, int scalesOffset, float[] y, int yOffset, int n) {
    checkRow(quants, quantsOffset, Q8_0_BLOCK_BYTES, scales, scalesOffset, n);
    Objects.checkFromIndexSize(yOffset, n, y.length);
    BlockKernels.dequantizeQ8_0(quants, quantsOffset, scales, scalesOffset, y, yOffset, n);
  }

  /**
   * Writes the {@code n} dequantized weights {@code (nibble - 8) * d} of a Q4_0 row to {@code y}.
   *
   * @param quants the quantized codes, {@code 32} (Q8_0) or {@code 16} (Q4_0) bytes per block
   * @param quantsOffset the index in {@code quants} of its first element used
   * @param scales the half-float block scales, one per block
   * @param scalesOffset the index in {@code scales} of its first element used
   * @param y the output vector
   * @param yOffset the index in {@code y} of its first element used
   * @param n the number of weights in the row
   */
  public static void dequantizeQ4_0(
      byte[] quants, int quantsOffset, short[] scales, int scalesOffset, float[] y, int yOffset, int n) {
    checkRow(quants, quantsOffset, Q4_0_BLOCK_BYTES, scales, scalesOffset, n);
    Objects.checkFromIndexSize(yOffset, n, y.length);
    BlockKernels.dequantizeQ4_0(quants, quantsOffset, scales, scalesOffset, y, yOffset, n);
  }

  // ---- the quantized LoRA forward --------------------------------------------------------------

  /**
   * The forward pass of a LoRA adapter with Q8_0 factors: {@code y[yOffset..] += scale * B A
   * x[xOffset..]}. {@code A} is {@code rank} rows of {@code inDim} weights, each row
   * {@code blocks(inDim)} blocks, from the start of {@code aQuants}/{@code aScales}; {@code B} is
   * given transposed, as {@code rank} rows of {@code outDim} weights from the start of
   * {@code btQuants}/{@code btScales}. The same as, for each rank {@code k}, {@code h =}
   * {@link #dotQ8_0 dotQ8_0}{@code (A_k, x)} then {@link #axpyQ8_0 axpyQ8_0}{@code (scale * h, Bt_k,
   * y)}, up to float rounding; the SIMD path treats two ranks per pass over {@code y}. No scratch,
   * no allocation. {@code y} must not overlap {@code x}.
   *
   * @param aQuants the codes of the quantized factor {@code A} ({@code rank x inDim})
   * @param aScales the block scales of {@code A}
   * @param btQuants the codes of the quantized factor {@code Bt} ({@code B} transposed, {@code
   *     rank x outDim})
   * @param btScales the block scales of {@code Bt}
   * @param rank the rank of the two factors
   * @param inDim the input dimension (length of {@code x})
   * @param outDim the output dimension (length of {@code y})
   * @param scale the factor the low-rank product is multiplied by
   * @param x the input vector (read only)
   * @param xOffset the index in {@code x} of its first element used
   * @param y the output vector
   * @param yOffset the index in {@code y} of its first element used
   * @throws IllegalArgumentException if {@code rank}, {@code inDim} or {@code outDim} is negative
   * @throws IndexOutOfBoundsException if a factor or a slice does not fit its array (nothing
   *     written)
   */
  public static void lowRankAddQ8_0(
      byte[] aQuants, short[] aScales, byte[] btQuants, short[] btScales, int rank, int inDim,
      int outDim, float scale, float[] x, int xOffset, float[] y, int yOffset) {
    checkFactors(aQuants, aScales, btQuants, btScales, Q8_0_BLOCK_BYTES, rank, inDim, outDim);
    Objects.checkFromIndexSize(xOffset, inDim, x.length);
    Objects.checkFromIndexSize(yOffset, outDim, y.length);
    IMPL.lowRankAddQ8_0(
        aQuants, aScales, btQuants, btScales, rank, inDim, outDim, scale, x, xOffset, y, yOffset);
  }

  /**
   * {@link #lowRankAddQ8_0} with Q4_0 factors ({@code 16} quant bytes per block).
   *
   * @param aQuants the codes of the quantized factor {@code A} ({@code rank x inDim})
   * @param aScales the block scales of {@code A}
   * @param btQuants the codes of the quantized factor {@code Bt} ({@code B} transposed, {@code
   *     rank x outDim})
   * @param btScales the block scales of {@code Bt}
   * @param rank the rank of the two factors
   * @param inDim the input dimension (length of {@code x})
   * @param outDim the output dimension (length of {@code y})
   * @param scale the factor the low-rank product is multiplied by
   * @param x the input vector (read only)
   * @param xOffset the index in {@code x} of its first element used
   * @param y the output vector
   * @param yOffset the index in {@code y} of its first element used
   */
  public static void lowRankAddQ4_0(
      byte[] aQuants, short[] aScales, byte[] btQuants, short[] btScales, int rank, int inDim,
      int outDim, float scale, float[] x, int xOffset, float[] y, int yOffset) {
    checkFactors(aQuants, aScales, btQuants, btScales, Q4_0_BLOCK_BYTES, rank, inDim, outDim);
    Objects.checkFromIndexSize(xOffset, inDim, x.length);
    Objects.checkFromIndexSize(yOffset, outDim, y.length);
    IMPL.lowRankAddQ4_0(
        aQuants, aScales, btQuants, btScales, rank, inDim, outDim, scale, x, xOffset, y, yOffset);
  }

  /**
   * {@link #lowRankAddQ8_0} for {@code batch} vectors stored one after another: {@code xs} is a
   * {@code batch x inDim} row-major matrix from {@code xsOffset}, {@code ys} a {@code batch x
   * outDim} one from {@code ysOffset}. When both dimensions are whole blocks the SIMD path runs four
   * vectors per pass over the factors, widening and scaling each chunk of quants once for the four;
   * otherwise, and on the scalar path, it runs vector by vector. Equal to {@code batch} single calls
   * up to float rounding. No allocation.
   *
   * @param aQuants the codes of the quantized factor {@code A} ({@code rank x inDim})
   * @param aScales the block scales of {@code A}
   * @param btQuants the codes of the quantized factor {@code Bt} ({@code B} transposed, {@code
   *     rank x outDim})
   * @param btScales the block scales of {@code Bt}
   * @param rank the rank of the two factors
   * @param inDim the input dimension (length of {@code x})
   * @param outDim the output dimension (length of {@code y})
   * @param scale the factor the low-rank product is multiplied by
   * @param xs the input vectors, one after another (read only)
   * @param xsOffset the index in {@code xs} of its first element used
   * @param ys the output vectors, one after another
   * @param ysOffset the index in {@code ys} of its first element used
   * @param batch the number of vectors in the batch
   * @throws IllegalArgumentException if {@code rank}, {@code inDim}, {@code outDim} or {@code
   *     batch}
   *     is negative
   * @throws IndexOutOfBoundsException if a factor or a slice does not fit its array (nothing
   *     written)
   */
  public static void lowRankAddBatchQ8_0(
      byte[] aQuants, short[] aScales, byte[] btQuants, short[] btScales, int rank, int inDim,
      int outDim, float scale, float[] xs, int xsOffset, float[] ys, int ysOffset, int batch) {
    checkFactors(aQuants, aScales, btQuants, btScales, Q8_0_BLOCK_BYTES, rank, inDim, outDim);
    checkBatch(inDim, outDim, xs, xsOffset, ys, ysOffset, batch);
    IMPL.lowRankAddRowsQ8_0(aQuants, aScales, btQuants, btScales, rank, inDim, outDim, scale,
        xs, xsOffset, ys, ysOffset, null, 0, batch);
  }

  /**
   * {@link #lowRankAddBatchQ8_0} with Q4_0 factors.
   *
   * @param aQuants the codes of the quantized factor {@code A} ({@code rank x inDim})
   * @param aScales the block scales of {@code A}
   * @param btQuants the codes of the quantized factor {@code Bt} ({@code B} transposed, {@code
   *     rank x outDim})
   * @param btScales the block scales of {@code Bt}
   * @param rank the rank of the two factors
   * @param inDim the input dimension (length of {@code x})
   * @param outDim the output dimension (length of {@code y})
   * @param scale the factor the low-rank product is multiplied by
   * @param xs the input vectors, one after another (read only)
   * @param xsOffset the index in {@code xs} of its first element used
   * @param ys the output vectors, one after another
   * @param ysOffset the index in {@code ys} of its first element used
   * @param batch the number of vectors in the batch
   */
  public static void lowRankAddBatchQ4_0(
      byte[] aQuants, short[] aScales, byte[] btQuants, short[] btScales, int rank, int inDim,
      int outDim, float scale, float[] xs, int xsOffset, float[] ys, int ysOffset, int batch) {
    checkFactors(aQuants, aScales, btQuants, btScales, Q4_0_BLOCK_BYTES, rank, inDim, outDim);
    checkBatch(inDim, outDim, xs, xsOffset, ys, ysOffset, batch);
    IMPL.lowRankAddRowsQ4_0(aQuants, aScales, btQuants, btScales, rank, inDim, outDim, scale,
        xs, xsOffset, ys, ysOffset, null, 0, batch);
  }

  /**
   * {@link #lowRankAddBatchQ8_0} for selected rows of a batch, read and written in place: for each
   * {@code r} in {@code rows[rowsOffset .. rowsOffset+count)}, {@code ys[ysOffset + r*outDim ..] +=
   * scale * B A xs[xsOffset + r*inDim ..]} (what {@code VectorKernels.lowRankAddRows} is for f32).
   * Row indices must be distinct; every index is range-checked before anything is written.
   *
   * @param aQuants the codes of the quantized factor {@code A} ({@code rank x inDim})
   * @param aScales the block scales of {@code A}
   * @param btQuants the codes of the quantized factor {@code Bt} ({@code B} transposed, {@code
   *     rank x outDim})
   * @param btScales the block scales of {@code Bt}
   * @param rank the rank of the two factors
   * @param inDim the input dimension (length of {@code x})
   * @param outDim the output dimension (length of {@code y})
   * @param scale the factor the low-rank product is multiplied by
   * @param xs the input vectors, one after another (read only)
   * @param xsOffset the index in {@code xs} of its first element used
   * @param ys the output vectors, one after another
   * @param ysOffset the index in {@code ys} of its first element used
   * @param rows the number of rows
   * @param rowsOffset the index in {@code rows} of its first element used
   * @param count the number of rows to process
   * @throws IllegalArgumentException if {@code rank}, {@code inDim} or {@code outDim} is negative
   * @throws IndexOutOfBoundsException if a factor, a row or the row list is out of range (nothing
   *     written)
   */
  public static void lowRankAddRowsQ8_0(
      byte[] aQuants, short[] aScales, byte[] btQuants, short[] btScales, int rank, int inDim,
      int outDim, float scale, float[] xs, int xsOffset, float[] ys, int ysOffset, int[] rows,
      int rowsOffset, int count) {
    checkFactors(aQuants, aScales, btQuants, btScales, Q8_0_BLOCK_BYTES, rank, inDim, outDim);
    VectorKernels.checkRows(inDim, outDim, xs, xsOffset, ys, ysOffset, rows, rowsOffset, count);
    IMPL.lowRankAddRowsQ8_0(aQuants, aScales, btQuants, btScales, rank, inDim, outDim, scale,
        xs, xsOffset, ys, ysOffset, rows, rowsOffset, count);
  }

  /**
   * {@link #lowRankAddRowsQ8_0} with Q4_0 factors.
   *
   * @param aQuants the codes of the quantized factor {@code A} ({@code rank x inDim})
   * @param aScales the block scales of {@code A}
   * @param btQuants the codes of the quantized factor {@code Bt} ({@code B} transposed, {@code
   *     rank x outDim})
   * @param btScales the block scales of {@code Bt}
   * @param rank the rank of the two factors
   * @param inDim the input dimension (length of {@code x})
   * @param outDim the output dimension (length of {@code y})
   * @param scale the factor the low-rank product is multiplied by
   * @param xs the input vectors, one after another (read only)
   * @param xsOffset the index in {@code xs} of its first element used
   * @param ys the output vectors, one after another
   * @param ysOffset the index in {@code ys} of its first element used
   * @param rows the number of rows
   * @param rowsOffset the index in {@code rows} of its first element used
   * @param count the number of rows to process
   */
  public static void lowRankAddRowsQ4_0(
      byte[] aQuants, short[] aScales, byte[] btQuants, short[] btScales, int rank, int inDim,
      int outDim, float scale, float[] xs, int xsOffset, float[] ys, int ysOffset, int[] rows,
      int rowsOffset, int count) {
    checkFactors(aQuants, aScales, btQuants, btScales, Q4_0_BLOCK_BYTES, rank, inDim, outDim);
    VectorKernels.checkRows(inDim, outDim, xs, xsOffset, ys, ysOffset, rows, rowsOffset, count);
    IMPL.lowRankAddRowsQ4_0(aQuants, aScales, btQuants, btScales, rank, inDim, outDim, scale,
        xs, xsOffset, ys, ysOffset, rows, rowsOffset, count);
  }

  // ---- quantized matrix x batch ------------------------------------------------------------------

  /**
   * A Q8_0 matrix times a batch of vectors: {@code ys[ysOffset + b*rows + r] = } row {@code r} dot
   * {@code xs[xsOffset + b*cols ..]} for {@code b < batch}, {@code r < rows}, where the matrix is
   * {@code rows} rows of {@code cols} weights, {@code blocks(cols)} blocks each, from index 0 of
   * {@code quants} and {@code scales} ({@code xs} and {@code ys} are batch-major). Equal to a
   * {@link #dotQ8_0} per row and vector up to float rounding; faster for a batch, because each
   * widened block serves several vectors and there is one call instead of {@code rows * batch}.
   *
   * @param quants the quantized codes, {@code 32} (Q8_0) or {@code 16} (Q4_0) bytes per block
   * @param scales the half-float block scales, one per block
   * @param rows the number of rows
   * @param cols the number of columns
   * @param xs the input vectors, one after another (read only)
   * @param xsOffset the index in {@code xs} of its first element used
   * @param batch the number of vectors in the batch
   * @param ys the output vectors, one after another
   * @param ysOffset the index in {@code ys} of its first element used
   * @throws IllegalArgumentException if a dimension or the batch is negative
   * @throws IndexOutOfBoundsException if an array is too short (nothing is written)
   */
  public static void gemvBatchQ8_0(byte[] quants, short[] scales, int rows, int cols, float[] xs,
      int xsOffset, int batch, float[] ys, int ysOffset) {
    checkMatrix(quants, Q8_0_BLOCK_BYTES, scales, rows, cols);
    checkBatch(cols, rows, xs, xsOffset, ys, ysOffset, batch);
    IMPL.gemvBatchQ8_0(quants, scales, rows, cols, xs, xsOffset, batch, ys, ysOffset);
  }

  /**
   * {@link #gemvBatchQ8_0} for a Q4_0 matrix ({@code 16 * blocks(cols)} quant bytes per row).
   *
   * @param quants the quantized codes, {@code 32} (Q8_0) or {@code 16} (Q4_0) bytes per block
   * @param scales the half-float block scales, one per block
   * @param rows the number of rows
   * @param cols the number of columns
   * @param xs the input vectors, one after another (read only)
   * @param xsOffset the index in {@code xs} of its first element used
   * @param batch the number of vectors in the batch
   * @param ys the output vectors, one after another
   * @param ysOffset the index in {@code ys} of its first element used
   */
  public static void gemvBatchQ4_0(byte[] quants, short[] scales, int rows, int cols, float[] xs,
      int xsOffset, int batch, float[] ys, int ysOffset) {
    checkMatrix(quants, Q4_0_BLOCK_BYTES, scales, rows, cols);
    checkBatch(cols, rows, xs, xsOffset, ys, ysOffset, batch);
    IMPL.gemvBatchQ4_0(quants, scales, rows, cols, xs, xsOffset, batch, ys, ysOffset);
  }

  /**
   * The transposed product of a Q8_0 matrix added into a batch: {@code ys[ysOffset + b*cols + c] +=
   * sum_r W[r][c] * xs[xsOffset + b*rows + r]} for {@code b < batch} (the backward pass of
   * {@link #gemvBatchQ8_0}: {@code xs} holds {@code dL/dz}, {@code ys} receives {@code dL/dx}).
   * Equal to an {@link #axpyQ8_0} of each row by its coefficient up to float rounding.
   *
   * @param quants the quantized codes, {@code 32} (Q8_0) or {@code 16} (Q4_0) bytes per block
   * @param scales the half-float block scales, one per block
   * @param rows the number of rows
   * @param cols the number of columns
   * @param xs the input vectors, one after another (read only)
   * @param xsOffset the index in {@code xs} of its first element used
   * @param batch the number of vectors in the batch
   * @param ys the output vectors, one after another
   * @param ysOffset the index in {@code ys} of its first element used
   * @throws IllegalArgumentException if a dimension or the batch is negative
   * @throws IndexOutOfBoundsException if an array is too short (nothing is written)
   */
  public static void gemvTransposedAddBatchQ8_0(byte[] quants, short[] scales, int rows, int cols,
      float[] xs, int xsOffset, int batch, float[] ys, int ysOffset) {
    checkMatrix(quants, Q8_0_BLOCK_BYTES, scales, rows, cols);
    checkBatch(rows, cols, xs, xsOffset, ys, ysOffset, batch);
    IMPL.gemvTransposedAddBatchQ8_0(quants, scales, rows, cols, xs, xsOffset, batch, ys, ysOffset);
  }

  /**
   * {@link #gemvTransposedAddBatchQ8_0} for a Q4_0 matrix.
   *
   * @param quants the quantized codes, {@code 32} (Q8_0) or {@code 16} (Q4_0) bytes per block
   * @param scales the half-float block scales, one per block
   * @param rows the number of rows
   * @param cols the number of columns
   * @param xs the input vectors, one after another (read only)
   * @param xsOffset the index in {@code xs} of its first element used
   * @param batch the number of vectors in the batch
   * @param ys the output vectors, one after another
   * @param ysOffset the index in {@code ys} of its first element used
   */
  public static void gemvTransposedAddBatchQ4_0(byte[] quants, short[] scales, int rows, int cols,
      float[] xs, int xsOffset, int batch, float[] ys, int ysOffset) {
    checkMatrix(quants, Q4_0_BLOCK_BYTES, scales, rows, cols);
    checkBatch(rows, cols, xs, xsOffset, ys, ysOffset, batch);
    IMPL.gemvTransposedAddBatchQ4_0(quants, scales, rows, cols, xs, xsOffset, batch, ys, ysOffset);
  }

  private static void checkMatrix(
      byte[] quants, int bytesPerBlock, short[] scales, int rows, int cols) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("rows and cols must be >= 0, were " + rows + ", " + cols);
    }
    int blocks = Math.multiplyExact(rows, BlockKernels.blocks(cols));
    Objects.checkFromIndexSize(0, Math.multiplyExact(blocks, bytesPerBlock), quants.length);
    Objects.checkFromIndexSize(0, blocks, scales.length);
  }

  private static void checkBatch(
      int inDim, int outDim, float[] xs, int xsOffset, float[] ys, int ysOffset, int batch) {
    if (batch < 0) {
      throw new IllegalArgumentException("batch must be >= 0, was " + batch);
    }
    Objects.checkFromIndexSize(xsOffset, Math.multiplyExact(batch, inDim), xs.length);
    Objects.checkFromIndexSize(ysOffset, Math.multiplyExact(batch, outDim), ys.length);
  }

  private static void checkFactors(byte[] aq, short[] ad, byte[] bq, short[] bd, int bytesPerBlock,
      int rank, int inDim, int outDim) {
    if (rank < 0 || inDim < 0 || outDim < 0) {
      throw new IllegalArgumentException(
          "rank, inDim and outDim must be >= 0, were " + rank + ", " + inDim + ", " + outDim);
    }
    checkMatrix(aq, bytesPerBlock, ad, rank, inDim);
    checkMatrix(bq, bytesPerBlock, bd, rank, outDim);
  }

  private static void checkN(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, was " + n);
    }
  }

  private static void checkRow(
      byte[] quants, int quantsOffset, int bytesPerBlock, short[] scales, int scalesOffset, int n) {
    checkN(n);
    int blocks = BlockKernels.blocks(n);
    Objects.checkFromIndexSize(quantsOffset, Math.multiplyExact(blocks, bytesPerBlock), quants.length);
    Objects.checkFromIndexSize(scalesOffset, blocks, scales.length);
  }

  private static IllegalArgumentException badBlock(
      String format, float[] x, int xOffset, int n, int block, int levels) {
    int from = block * BLOCK_SIZE;
    int to = Math.min(n, from + BLOCK_SIZE);
    float worst = 0f;
    for (int i = from; i < to; i++) {
      float v = x[xOffset + i];
      if (!Float.isFinite(v)) {
        return new IllegalArgumentException(
            "cannot quantize to " + format + ": x[" + (xOffset + i) + "] is not finite: " + v);
      }
      worst = Math.max(worst, Math.abs(v));
    }
    return new IllegalArgumentException(
        "cannot quantize to " + format + ": block " + block + " (x[" + (xOffset + from) + ".."
            + (xOffset + to) + ")) has |x| up to " + worst + ", its scale exceeds the half-float range"
            + " (|x| <= " + (65504f * levels) + ")");
  }
}
