package io.github.edgenet.lora.model;

import io.github.edgenet.core.vector.VectorKernels;
import io.github.edgenet.lora.WeightFormat;
import io.github.edgenet.lora.quant.QuantizedMatrix;
import java.lang.foreign.MemorySegment;
import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * The frozen affine part of a layer, {@code z = W x + b}: a weight matrix {@code W} of
 * {@code outputDim x inputDim} stored as 32-bit floats or in llama.cpp's
 * {@link WeightFormat#Q8_0 Q8_0}/{@link WeightFormat#Q4_0 Q4_0} blocks, and a float bias {@code b}
 * of {@code outputDim}.
 *
 * <p><b>Layout.</b> {@code W} is row-major: {@code W[o][i]} is element {@code o * inputDim + i};
 * row {@code o} holds the input weights of output {@code o} (PyTorch's {@code nn.Linear.weight}).
 * A quantized {@code W} is a {@link QuantizedMatrix} quantized along the rows.
 *
 * <p><b>Frozen.</b> A layer never changes after construction: the factories copy their arguments,
 * and the views ({@link #viewWeights()}, {@link #segmentWeights()}, ...) are read-only, zero-copy
 * windows on the internal arrays, for hosts that hand the weights to a native runtime. Learning
 * happens in a {@link io.github.edgenet.lora.LoraAdapter} attached in a {@link Model}, or, for a
 * base trained from scratch, in a {@link DenseTrainer} that hands out frozen copies.
 *
 * <p><b>Thread-safety.</b> Immutable: freely shared between threads and models.
 */
public final class DenseLayer {
  private final int inputDim;
  private final int outputDim;
  private final float[] weights; // null when quantized
  private final QuantizedMatrix quantized; // null when f32
  private final float[] bias;

  private DenseLayer(
      int inputDim, int outputDim, float[] weights, QuantizedMatrix quantized, float[] bias) {
    this.inputDim = inputDim;
    this.outputDim = outputDim;
    this.weights = weights;
    this.quantized = quantized;
    this.bias = bias;
  }

  /**
   * A layer with f32 weights (copied): {@code weights} is {@code outputDim x inputDim} row-major,
   * {@code bias} has {@code outputDim} elements.
   *
   * @param inputDim the length of {@code x}, {@code >= 1}
   * @param outputDim the length of {@code z}, {@code >= 1}
   * @param weights {@code W}, {@code outputDim * inputDim} finite floats; copied
   * @param bias {@code b}, {@code outputDim} finite floats; copied
   * @return a layer with f32 weights (copied)
   * @throws IllegalArgumentException if a dimension is less than 1, a length is wrong or a value
   *     is not finite
   */
  public static DenseLayer of(int inputDim, int outputDim, float[] weights, float[] bias) {
    checkDims(inputDim, outputDim);
    checkValues("weights", weights, (long) inputDim * outputDim);
    checkValues("bias", bias, outputDim);
    return new DenseLayer(inputDim, outputDim, weights.clone(), null, bias.clone());
  }

  /**
   * {@link #of(int, int, float[], float[])} with a zero bias.
   *
   * @param inputDim the length of {@code x}, {@code >= 1}
   * @param outputDim the length of {@code z}, {@code >= 1}
   * @param weights {@code W}, {@code outputDim * inputDim} finite floats; copied
   * @return a layer with f32 weights and a zero bias
   * @throws IllegalArgumentException as {@link #of(int, int, float[], float[])}
   */
  public static DenseLayer of(int inputDim, int outputDim, float[] weights) {
    checkDims(inputDim, outputDim);
    return of(inputDim, outputDim, weights, new float[outputDim]);
  }

  /**
   * A layer with quantized weights: {@code weights} ({@code rows = outputDim}, {@code cols =
   * inputDim}; immutable, so shared, not copied) and {@code bias} ({@code outputDim} floats,
   * copied).
   *
   * @param weights {@code W} in a block format, {@code outputDim x inputDim}; shared
   * @param bias {@code b}, {@code weights.rows()} finite floats; copied
   * @return a layer with quantized weights
   * @throws IllegalArgumentException if the matrix has a zero dimension, the bias length is wrong
   *     or a bias value is not finite
   */
  public static DenseLayer of(QuantizedMatrix weights, float[] bias) {
    Objects.requireNonNull(weights, "weights");
    checkDims(weights.cols(), weights.rows());
    checkValues("bias", bias, weights.rows());
    return new DenseLayer(weights.cols(), weights.rows(), null, weights, bias.clone());
  }

  /** Wraps arrays without copying: only for {@link DenseTrainer}, which owns and mutates them. */
  static DenseLayer wrap(int inputDim, int outputDim, float[] weights, float[] bias) {
    return new DenseLayer(inputDim, outputDim, weights, null, bias);
  }

  /**
   * Length of the input vectors {@code x}.
   *
   * @return the length of {@code x}, {@code >= 1}
   */
  public int inputDim() {
    return inputDim;
  }

  /**
   * Length of the output vectors {@code z}.
   *
   * @return the length of {@code z}, {@code >= 1}
   */
  public int outputDim() {
    return outputDim;
  }

  /**
   * How {@code W} is stored; the bias is always f32.
   *
   * @return how {@code W} is stored
   */
  public WeightFormat format() {
    return quantized == null ? WeightFormat.F32 : quantized.format();
  }

  /**
   * Bytes held by {@code W} (exactly {@code format().bytesFor(outputDim, inputDim)}) and the bias.
   *
   * @return bytes held by {@code W} (exactly {@code format().bytesFor(outputDim, inputDim)}) and
   *     the bias
   */
  public long weightBytes() {
    return format().bytesFor(outputDim, inputDim) + 4L * outputDim;
  }

  /**
   * This layer with {@code W} in {@code format} and the same bias. From f32 to {@link
   * WeightFormat#Q8_0}/{@link WeightFormat#Q4_0} it quantizes (bit-exact with ggml); to the format
   * the layer already has it returns this layer; from a quantized format to {@link WeightFormat#F32}
   * it dequantizes.
   *
   * @param format the format of the new layer's {@code W}
   * @return this layer with {@code W} in {@code format} and the same bias
   * @throws IllegalArgumentException if asked to convert between two block formats (quantize the
   *     f32 original instead: requantizing compounds the error), or a weight is too large for a
   *     half-float block scale
   */
  public DenseLayer withFormat(WeightFormat format) {
    Objects.requireNonNull(format, "format");
    if (format == format()) {
      return this;
    }
    if (format == WeightFormat.F32) {
      return new DenseLayer(inputDim, outputDim, quantized.dequantize(), null, bias);
    }
    if (quantized != null) {
      throw new IllegalArgumentException(
          "cannot convert " + format() + " to " + format + ": quantize the f32 layer instead");
    }
    return new DenseLayer(
        inputDim, outputDim, null, QuantizedMatrix.quantize(weights, outputDim, inputDim, format),
        bias);
  }

  /**
   * A new {@code outputDim x inputDim} row-major copy of {@code W}, dequantized if quantized.
   *
   * @return a new {@code outputDim x inputDim} row-major copy of {@code W}, dequantized if
   *     quantized
   */
  public float[] copyWeights() {
    return quantized == null ? weights.clone() : quantized.dequantize();
  }

  /**
   * A new copy of the bias ({@code outputDim} floats).
   *
   * @return a new copy of the bias ({@code outputDim} floats)
   */
  public float[] copyBias() {
    return bias.clone();
  }

  /**
   * A read-only, zero-copy view of f32 {@code W} ({@code outputDim x inputDim}, row-major).
   *
   * @return a read-only, zero-copy view of f32 {@code W} ({@code outputDim x inputDim}, row-major)
   * @throws IllegalStateException if the weights are quantized (see {@link #quantizedWeights()})
   */
  public FloatBuffer viewWeights() {
    return FloatBuffer.wrap(f32Weights()).asReadOnlyBuffer();
  }

  /**
   * A read-only, zero-copy {@link MemorySegment} over f32 {@code W} (heap memory, floats in native
   * byte order), for hosts that hand weights to a native runtime.
   *
   * @return a read-only, zero-copy {@link MemorySegment} over f32 {@code W} (heap memory, floats
   *     in native byte order), for hosts that hand weights to a native runtime
   * @throws IllegalStateException if the weights are quantized (see {@link #quantizedWeights()})
   */
  public MemorySegment segmentWeights() {
    return MemorySegment.ofArray(f32Weights()).asReadOnly();
  }

  /**
   * The quantized {@code W} (immutable; {@link QuantizedMatrix#toGgml()} gives ggml's block bytes).
   *
   * @return the quantized {@code W}
   * @throws IllegalStateException if the weights are f32 (see {@link #viewWeights()})
   */
  public QuantizedMatrix quantizedWeights() {
    if (quantized == null) {
      throw new IllegalStateException("weights are F32, not quantized: use viewWeights()");
    }
    return quantized;
  }

  /**
   * A read-only, zero-copy view of the bias ({@code outputDim} floats).
   *
   * @return a read-only, zero-copy view of the bias ({@code outputDim} floats)
   */
  public FloatBuffer viewBias() {
    return FloatBuffer.wrap(bias).asReadOnlyBuffer();
  }

  /**
   * A read-only, zero-copy {@link MemorySegment} over the bias.
   *
   * @return a read-only, zero-copy {@link MemorySegment} over the bias
   */
  public MemorySegment segmentBias() {
    return MemorySegment.ofArray(bias).asReadOnly();
  }

  private float[] f32Weights() {
    if (weights == null) {
      throw new IllegalStateException(
          "weights are " + quantized.format() + ": use quantizedWeights()");
    }
    return weights;
  }

  // ---------------------------------------------------------------------------------------------
  // Kernels for the plan and the trainer. Ranges are checked by the callers; nothing allocates.

  /** {@code zs[b] = W xs[b] + bias} for {@code b < batch} (both batch-major, from offset 0). */
  void forwardBatch(float[] xs, float[] zs, int batch) {
    if (quantized == null) {
      VectorKernels.gemvBatch(weights, 0, outputDim, inputDim, xs, 0, batch, zs, 0);
    } else {
      quantized.multiplyBatch(xs, 0, batch, zs, 0);
    }
    for (int b = 0; b < batch; b++) {
      VectorKernels.axpy(1f, bias, 0, zs, b * outputDim, outputDim);
    }
  }

  /** {@code dxs[b] += W^T dzs[b]} for {@code b < batch}: the backward pass of the matrix product. */
  void backwardAddBatch(float[] dzs, float[] dxs, int batch) {
    if (quantized != null) {
      quantized.multiplyTransposedAddBatch(dzs, 0, batch, dxs, 0);
      return;
    }
    for (int b = 0; b < batch; b++) {
      VectorKernels.gemvTransposedAdd(
          weights, 0, outputDim, inputDim, dzs, b * outputDim, dxs, b * inputDim);
    }
  }

  @Override
  public String toString() {
    return "DenseLayer[" + inputDim + "->" + outputDim + ", " + format() + "]";
  }

  static void checkDims(int inputDim, int outputDim) {
    if (inputDim < 1 || outputDim < 1) {
      throw new IllegalArgumentException(
          "inputDim and outputDim must be >= 1, were " + inputDim + " and " + outputDim);
    }
  }

  private static void checkValues(String name, float[] values, long expectedLength) {
    Objects.requireNonNull(values, name);
    if (values.length != expectedLength) {
      throw new IllegalArgumentException(
          name + " must have " + expectedLength + " elements, had " + values.length);
    }
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] is not finite: " + values[i]);
      }
    }
  }
}
