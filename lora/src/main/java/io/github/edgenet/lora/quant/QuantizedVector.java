package io.github.edgenet.lora.quant;

import io.github.edgenet.core.vector.QuantizedKernels;
import java.util.Objects;

/**
 * A reusable buffer holding one activation vector quantized to llama.cpp's 8-bit
 * {@link io.github.edgenet.lora.WeightFormat#Q8_0 Q8_0} blocks: the input side of the integer
 * (int8 x int8) forward path, {@link QuantizedLora#forward(QuantizedVector, float[], int)}.
 *
 * <p>Allocate one per thread and dimension, then {@link #quantize(float[], int) quantize} each new
 * input into it: quantizing allocates nothing (SIMD where available, results identical to ggml's
 * {@code quantize_row_q8_0_ref}). A vector quantized once can feed several adapters with the same
 * input dimension. Storage: {@code 32 * ceil(length/32)} code bytes and {@code ceil(length/32)}
 * half-float scales; the padding codes are zero.
 *
 * <p>The format costs accuracy of its own (about 0.5% relative L2 on Gaussian inputs, the same as
 * Q8_0 weights); use the f32 forward when that matters.
 *
 * <p><b>Not thread-safe</b>: it is mutable scratch. Do not quantize into it while another thread
 * reads it.
 */
public final class QuantizedVector {
  private final int length;
  private final byte[] quants;
  private final short[] scales;

  /**
   * An all-zero vector of {@code length} elements.
   *
   * @param length the number of elements
   * @throws IllegalArgumentException if {@code length < 0}
   */
  public QuantizedVector(int length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0, was " + length);
    }
    this.length = length;
    int blocks = QuantizedKernels.blocks(length);
    this.quants = new byte[Math.multiplyExact(blocks, QuantizedKernels.Q8_0_BLOCK_BYTES)];
    this.scales = new short[blocks];
  }

  /**
   * Number of elements.
   *
   * @return number of elements
   */
  public int length() {
    return length;
  }

  /**
   * Replaces the contents with {@code x[offset .. offset+length)} quantized to Q8_0.
   *
   * @param x the array holding the {@link #length()} floats to quantize; read only
   * @param offset the index of the first element used
   * @return this vector
   * @throws IndexOutOfBoundsException if the slice does not fit in {@code x} (nothing written)
   * @throws IllegalArgumentException if an element is not finite or a block's scale overflows a
   *     half float ({@code |x| > 65504 * 127}); the contents are then unspecified
   */
  public QuantizedVector quantize(float[] x, int offset) {
    Objects.checkFromIndexSize(offset, length, x.length);
    QuantizedKernels.quantizeQ8_0(x, offset, length, quants, 0, scales, 0);
    return this;
  }

  /**
   * Writes the dequantized elements to {@code y[offset .. offset+length)}.
   *
   * @param y the array written, {@link #length()} floats from {@code offset}
   * @param offset the index of the first element used
   * @throws IndexOutOfBoundsException if the slice does not fit in {@code y} (nothing written)
   */
  public void dequantize(float[] y, int offset) {
    QuantizedKernels.dequantizeQ8_0(quants, 0, scales, 0, y, offset, length);
  }

  byte[] quants() {
    return quants;
  }

  short[] scales() {
    return scales;
  }

  @Override
  public String toString() {
    return "QuantizedVector[" + length + ", Q8_0]";
  }
}
