package io.github.edgenet.lora.quant;

import io.github.edgenet.core.vector.QuantizedKernels;
import io.github.edgenet.lora.LoraAdapter;
import io.github.edgenet.lora.LoraScaling;
import io.github.edgenet.lora.MicroLora;
import io.github.edgenet.lora.WeightFormat;
import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * A low-rank adapter whose factors are stored in llama.cpp's {@link WeightFormat#Q8_0 Q8_0} or
 * {@link WeightFormat#Q4_0 Q4_0} blocks: {@code y += scale * B A x} at 34 or 18 bytes per 32
 * weights instead of 128.
 *
 * <p>Built from a trained {@link MicroLora} by {@link #quantize(MicroLora, WeightFormat)}: {@code A}
 * ({@code rank x inputDim}) is quantized row by row along {@code inputDim}, {@code Bt} ({@code B}
 * transposed, {@code rank x outputDim}, the layout {@code MicroLora} keeps) row by row along
 * {@code outputDim}. The forward pass works on the blocks directly, rank by rank:
 * {@code h_k = A_k . x} by the block dot kernel, then {@code y += (scale * h_k) * Bt_k} by the
 * block axpy kernel (two ranks per pass over {@code y} on the SIMD path, see
 * {@link QuantizedKernels#lowRankAddQ8_0}); batches and row lists run four vectors per pass over
 * the factors. Nothing is dequantized and nothing allocated per call.
 *
 * <p><b>Accuracy.</b> The kernels add only float rounding to the f32 forward over the dequantized
 * weights ({@link #dequantize()}); the error is the format's own, measured on Gaussian weights at
 * about 0.5% (Q8_0) and 9% (Q4_0) relative L2 per factor (see the module docs). The 8-bit
 * activation path {@link #forward(QuantizedVector, float[], int)} adds the Q8_0 error of the input.
 *
 * <p><b>Thread-safety.</b> Immutable: freely shared between threads, forward calls never lock.
 */
public final class QuantizedLora implements LoraAdapter {
  private final int inputDim;
  private final int outputDim;
  private final int rank;
  private final float alpha;
  private final LoraScaling scaling;
  private final float scale;
  private final QuantizedMatrix a;
  private final QuantizedMatrix bt;

  private QuantizedLora(
      int inputDim, int outputDim, int rank, float alpha, LoraScaling scaling, float scale,
      QuantizedMatrix a, QuantizedMatrix bt) {
    this.inputDim = inputDim;
    this.outputDim = outputDim;
    this.rank = rank;
    this.alpha = alpha;
    this.scaling = scaling;
    this.scale = scale;
    this.a = a;
    this.bt = bt;
  }

  /**
   * Quantizes one consistent version ({@link MicroLora#snapshot()}) of {@code source}.
   *
   * @param source the f32 adapter; read once, under its lock, so a trainer may be stepping it
   * @param format {@link WeightFormat#Q8_0} or {@link WeightFormat#Q4_0}
   * @return an immutable quantized copy with the same dimensions, rank, alpha and scaling
   * @throws IllegalArgumentException if the format is not a block format, or a weight is too large
   *     for a half-float block scale ({@code > 65504 * 127} for Q8_0, {@code * 8} for Q4_0)
   */
  public static QuantizedLora quantize(MicroLora source, WeightFormat format) {
    Objects.requireNonNull(source, "source");
    QuantizedMatrix.checkShape(format, 0, 0);
    MicroLora s = source.snapshot();
    float[] aw = copy(s.viewA());
    float[] btw = copy(s.viewBTransposed());
    return new QuantizedLora(
        s.inputDim(), s.outputDim(), s.rank(), s.alpha(), s.scaling(), s.scale(),
        QuantizedMatrix.quantize(aw, s.rank(), s.inputDim(), format),
        QuantizedMatrix.quantize(btw, s.rank(), s.outputDim(), format));
  }

  /**
   * An adapter over factors that are already quantized, e.g. read back from storage: {@code a} is
   * {@code A} ({@code rank x inputDim}), {@code bt} is {@code B} transposed ({@code rank x
   * outputDim}), both in the same block format. The scale is {@code scaling.scale(alpha, rank)},
   * exactly as for the {@link MicroLora} the factors were quantized from. The matrices are
   * immutable and are shared, not copied.
   *
   * @param a {@code A}, {@code rank x inputDim}
   * @param bt {@code B} transposed, {@code rank x outputDim}, in the format of {@code a}
   * @param alpha {@code alpha}, finite and {@code > 0}
   * @param scaling how {@code alpha} and the rank give the scale
   * @return the adapter over {@code a} and {@code bt}, which it shares, not copies
   * @throws IllegalArgumentException if the formats differ, the row counts differ or are not a
   *     rank in 1..{@value MicroLora#MAX_RANK}, a column count is 0, or {@code alpha} is not finite
   *     and positive
   */
  public static QuantizedLora of(
      QuantizedMatrix a, QuantizedMatrix bt, float alpha, LoraScaling scaling) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(bt, "bt");
    Objects.requireNonNull(scaling, "scaling");
    if (a.format() != bt.format()) {
      throw new IllegalArgumentException(
          "a and bt must have the same format, were " + a.format() + " and " + bt.format());
    }
    if (a.rows() != bt.rows() || a.rows() < 1 || a.rows() > MicroLora.MAX_RANK) {
      throw new IllegalArgumentException("a and bt must have the same rank in 1.."
          + MicroLora.MAX_RANK + " rows, had " + a.rows() + " and " + bt.rows());
    }
    if (a.cols() < 1 || bt.cols() < 1) {
      throw new IllegalArgumentException(
          "inputDim and outputDim must be >= 1, were " + a.cols() + " and " + bt.cols());
    }
    if (!(Float.isFinite(alpha) && alpha > 0f)) {
      throw new IllegalArgumentException("alpha must be finite and > 0, was " + alpha);
    }
    int rank = a.rows();
    return new QuantizedLora(
        a.cols(), bt.cols(), rank, alpha, scaling, scaling.scale(alpha, rank), a, bt);
  }

  private static float[] copy(FloatBuffer view) {
    float[] out = new float[view.remaining()];
    view.get(out);
    return out;
  }

  @Override
  public int inputDim() {
    return inputDim;
  }

  @Override
  public int outputDim() {
    return outputDim;
  }

  @Override
  public int rank() {
    return rank;
  }

  /**
   * The {@code alpha} of the adapter this was quantized from.
   *
   * @return the {@code alpha} of the adapter this was quantized from
   */
  public float alpha() {
    return alpha;
  }

  /**
   * The scaling rule of the adapter this was quantized from.
   *
   * @return the scaling rule of the adapter this was quantized from
   */
  public LoraScaling scaling() {
    return scaling;
  }

  @Override
  public float scale() {
    return scale;
  }

  @Override
  public WeightFormat format() {
    return a.format();
  }

  /**
   * Exact bytes of codes and scales of both factors:
   * {@code format().bytesFor(rank, inputDim) + format().bytesFor(rank, outputDim)}.
   */
  @Override
  public long weightBytes() {
    return a.weightBytes() + bt.weightBytes();
  }

  /**
   * {@code A}, {@code rank x inputDim}, quantized along {@code inputDim}.
   *
   * @return the quantized {@code A}, shared (immutable)
   */
  public QuantizedMatrix a() {
    return a;
  }

  /**
   * {@code Bt} ({@code B} transposed), {@code rank x outputDim}, quantized along {@code outputDim}.
   *
   * @return the quantized {@code Bt}, shared (immutable)
   */
  public QuantizedMatrix bTransposed() {
    return bt;
  }

  @Override
  public void forward(float[] x, int xOffset, float[] y, int yOffset) {
    Objects.checkFromIndexSize(xOffset, inputDim, x.length);
    Objects.checkFromIndexSize(yOffset, outputDim, y.length);
    if (a.format() == WeightFormat.Q8_0) {
      QuantizedKernels.lowRankAddQ8_0(a.quants(), a.scales(), bt.quants(), bt.scales(),
          rank, inputDim, outputDim, scale, x, xOffset, y, yOffset);
    } else {
      QuantizedKernels.lowRankAddQ4_0(a.quants(), a.scales(), bt.quants(), bt.scales(),
          rank, inputDim, outputDim, scale, x, xOffset, y, yOffset);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>When both dimensions are whole blocks (multiples of 32) the SIMD path runs four vectors per
   * pass over the factors, widening and scaling each chunk of quants once for the four
   * ({@link QuantizedKernels#lowRankAddBatchQ8_0}); otherwise vector by vector.
   */
  @Override
  public void forwardBatch(float[] xs, int xsOffset, float[] ys, int ysOffset, int batch) {
    if (a.format() == WeightFormat.Q8_0) {
      QuantizedKernels.lowRankAddBatchQ8_0(a.quants(), a.scales(), bt.quants(), bt.scales(),
          rank, inputDim, outputDim, scale, xs, xsOffset, ys, ysOffset, batch);
    } else {
      QuantizedKernels.lowRankAddBatchQ4_0(a.quants(), a.scales(), bt.quants(), bt.scales(),
          rank, inputDim, outputDim, scale, xs, xsOffset, ys, ysOffset, batch);
    }
  }

  /** {@inheritDoc} Four rows per pass over the factors, as {@link #forwardBatch}. */
  @Override
  public void forwardRows(
      float[] xs, int xsOffset, float[] ys, int ysOffset, int[] rows, int rowsOffset, int count) {
    if (a.format() == WeightFormat.Q8_0) {
      QuantizedKernels.lowRankAddRowsQ8_0(a.quants(), a.scales(), bt.quants(), bt.scales(),
          rank, inputDim, outputDim, scale, xs, xsOffset, ys, ysOffset, rows, rowsOffset, count);
    } else {
      QuantizedKernels.lowRankAddRowsQ4_0(a.quants(), a.scales(), bt.quants(), bt.scales(),
          rank, inputDim, outputDim, scale, xs, xsOffset, ys, ysOffset, rows, rowsOffset, count);
    }
  }

  /**
   * The 8-bit activation path: {@code y[yOffset..] += scale * B A x} with {@code x} already
   * quantized to Q8_0. {@code A x} runs on integer block sums ({@code ggml_vec_dot_q8_0_q8_0} or
   * {@code ggml_vec_dot_q4_0_q8_0} semantics); the result goes through {@code Bt} in float as in
   * {@link #forward(float[], int, float[], int)}. Allocates nothing.
   *
   * @param x the quantized input, {@link #inputDim()} elements
   * @param y the array holding the output, {@link #outputDim()} floats from {@code yOffset}; the
   *     update is added to it
   * @param yOffset the index in {@code y} of its first element used
   * @throws IllegalArgumentException if {@code x.length() != inputDim()}
   * @throws IndexOutOfBoundsException if the {@code y} slice does not fit (nothing written)
   */
  public void forward(QuantizedVector x, float[] y, int yOffset) {
    a.checkVector(x);
    Objects.checkFromIndexSize(yOffset, outputDim, y.length);
    for (int k = 0; k < rank; k++) {
      float h = a.dotRow(k, x);
      bt.addRowTo(k, scale * h, y, yOffset);
    }
  }

  /**
   * A new f32 {@link MicroLora} with the dequantized weights and the same {@code alpha} and
   * scaling: the exact adapter whose forward this one computes (up to float rounding).
   *
   * @return a new f32 {@link MicroLora} with the dequantized weights and the same {@code alpha}
   *     and scaling
   */
  public MicroLora dequantize() {
    return MicroLora.ofWeights(
        inputDim, outputDim, rank, alpha, scaling, a.dequantize(), bt.dequantize());
  }

  /** The dense update {@code scale * B A} over the dequantized weights; see {@link #dequantize()}. */
  @Override
  public float[] deltaWeight() {
    return dequantize().deltaWeight();
  }

  @Override
  public String toString() {
    return "QuantizedLora[" + inputDim + "->" + outputDim + " rank " + rank + ", " + format()
        + ", scale " + scale + ", " + weightBytes() + " bytes]";
  }
}
