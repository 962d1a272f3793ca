package io.github.edgenet.lora.quant;

import io.github.edgenet.core.vector.QuantizedKernels;
import io.github.edgenet.lora.WeightFormat;
import java.util.Objects;

/**
 * An immutable {@code rows x cols} matrix in llama.cpp's {@link WeightFormat#Q8_0 Q8_0} or
 * {@link WeightFormat#Q4_0 Q4_0} block format, quantized row by row.
 *
 * <p><b>Layout.</b> Each row is cut into {@link #blocksPerRow()} {@code = ceil(cols/32)} blocks
 * (the last one padded with zero weights) with one half-float scale per block; see
 * {@link QuantizedKernels} for the codes. The codes of all rows lie one after another in one
 * {@code byte[]} ({@code 32} or {@code 16} bytes per block) and the scales in one {@code short[]},
 * so row {@code r}'s blocks start at block {@code r * blocksPerRow()}. {@link #weightBytes()} is
 * exactly {@link WeightFormat#bytesFor(int, int)}: 34 (Q8_0) or 18 (Q4_0) bytes per 32 weights, as
 * ggml's {@code block_q8_0} and {@code block_q4_0}. {@link #toGgml()} and {@link #fromGgml} convert
 * to and from ggml's interleaved block layout.
 *
 * <p><b>Accuracy.</b> Quantization is bit-exact with ggml's reference quantizers. The row kernels
 * ({@link #dotRow}, {@link #addRowTo}) work on the blocks directly and add only float rounding to
 * the exact result over the {@link #dequantize() dequantized} weights.
 *
 * <p><b>Thread-safety.</b> Immutable: the arrays never escape. Freely shared between threads.
 */
public final class QuantizedMatrix {
  private final WeightFormat format;
  private final int rows;
  private final int cols;
  private final int blocksPerRow;
  private final int bytesPerBlock;
  private final byte[] quants;
  private final short[] scales;

  private QuantizedMatrix(WeightFormat format, int rows, int cols, byte[] quants, short[] scales) {
    this.format = format;
    this.rows = rows;
    this.cols = cols;
    this.blocksPerRow = QuantizedKernels.blocks(cols);
    this.bytesPerBlock = bytesPerBlock(format);
    this.quants = quants;
    this.scales = scales;
  }

  /**
   * Quantizes the {@code rows x cols} row-major matrix at {@code values[offset..]}.
   *
   * @param values the array holding the matrix; read only
   * @param offset the index of the first element used
   * @param rows the number of rows, {@code >= 0}
   * @param cols the number of columns, {@code >= 0}; each row is padded to whole 32-value blocks
   * @param format {@link WeightFormat#Q8_0} or {@link WeightFormat#Q4_0}
   * @return the quantized matrix, independent of {@code values}
   * @throws IllegalArgumentException if the format is not a block format, a dimension is negative,
   *     a value is not finite or too large for a half-float block scale
   * @throws IndexOutOfBoundsException if the matrix does not fit in {@code values}
   */
  public static QuantizedMatrix quantize(
      float[] values, int offset, int rows, int cols, WeightFormat format) {
    checkShape(format, rows, cols);
    Objects.checkFromIndexSize(offset, Math.multiplyExact(rows, cols), values.length);
    int blocks = Math.multiplyExact(rows, QuantizedKernels.blocks(cols));
    byte[] q = new byte[Math.multiplyExact(blocks, bytesPerBlock(format))];
    short[] d = new short[blocks];
    int bpr = QuantizedKernels.blocks(cols);
    for (int r = 0; r < rows; r++) {
      int src = offset + r * cols;
      if (format == WeightFormat.Q8_0) {
        QuantizedKernels.quantizeQ8_0(values, src, cols, q, r * bpr * 32, d, r * bpr);
      } else {
        QuantizedKernels.quantizeQ4_0(values, src, cols, q, r * bpr * 16, d, r * bpr);
      }
    }
    return new QuantizedMatrix(format, rows, cols, q, d);
  }

  /**
   * {@link #quantize(float[], int, int, int, WeightFormat)} of a whole array ({@code rows * cols}).
   *
   * @param values the matrix, exactly {@code rows * cols} floats, row-major; read only
   * @param rows the number of rows, {@code >= 0}
   * @param cols the number of columns, {@code >= 0}
   * @param format {@link WeightFormat#Q8_0} or {@link WeightFormat#Q4_0}
   * @return the quantized matrix, independent of {@code values}
   * @throws IllegalArgumentException as {@link #quantize(float[], int, int, int, WeightFormat)}, or
   *     if {@code values.length != rows * cols}
   */
  public static QuantizedMatrix quantize(float[] values, int rows, int cols, WeightFormat format) {
    checkShape(format, rows, cols);
    if (values.length != (long) rows * cols) {
      throw new IllegalArgumentException(
          "values must have rows * cols = " + ((long) rows * cols) + " elements, had " + values.length);
    }
    return quantize(values, 0, rows, cols, format);
  }

  /**
   * The block format: {@link WeightFormat#Q8_0} or {@link WeightFormat#Q4_0}.
   *
   * @return the block format
   */
  public WeightFormat format() {
    return format;
  }

  /**
   * Number of rows.
   *
   * @return number of rows
   */
  public int rows() {
    return rows;
  }

  /**
   * Number of weights per row (before padding).
   *
   * @return number of weights per row (before padding)
   */
  public int cols() {
    return cols;
  }

  /**
   * Blocks per row: {@code ceil(cols / 32)}.
   *
   * @return the number of 32-value blocks per row, {@code ceil(cols / 32)}
   */
  public int blocksPerRow() {
    return blocksPerRow;
  }

  /**
   * Bytes of codes and scales: exactly {@code format().bytesFor(rows, cols)}.
   *
   * @return bytes of codes and scales
   */
  public long weightBytes() {
    return quants.length + 2L * scales.length;
  }

  /**
   * The dot product of row {@code row} with {@code x[xOffset .. xOffset+cols)}, on the blocks.
   *
   * @param row the row, in {@code [0, rows)}
   * @param x the array holding the vector, {@code cols} floats from {@code xOffset}; read only
   * @param xOffset the index in {@code x} of its first element used
   * @return the dot product of row {@code row} with {@code x[xOffset .. xOffset+cols)}, on the
   *     blocks
   * @throws IndexOutOfBoundsException if {@code row} or the slice is out of range
   */
  public float dotRow(int row, float[] x, int xOffset) {
    Objects.checkIndex(row, rows);
    int b = row * blocksPerRow;
    return format == WeightFormat.Q8_0
        ? QuantizedKernels.dotQ8_0(quants, b * 32, scales, b, x, xOffset, cols)
        : QuantizedKernels.dotQ4_0(quants, b * 16, scales, b, x, xOffset, cols);
  }

  /**
   * This matrix times a batch of vectors: {@code ys[ysOffset + b*rows + r] = } row {@code r} dot
   * {@code xs[xsOffset + b*cols ..]} for {@code b < batch} (both batch-major), on the blocks; the
   * same as {@link #dotRow(int, float[], int)} per row and vector up to float rounding, and faster
   * for a batch (each widened block serves several vectors, one call in all).
   *
   * @param xs the vectors, {@code batch} rows of {@code cols} floats; read only
   * @param xsOffset the index in {@code xs} of its first element used
   * @param batch the number of vectors, {@code >= 0}
   * @param ys the products, {@code batch} rows of {@code rows} floats; overwritten
   * @param ysOffset the index in {@code ys} of its first element used
   * @throws IllegalArgumentException if {@code batch < 0}
   * @throws IndexOutOfBoundsException if a slice is out of range (nothing is written)
   */
  public void multiplyBatch(float[] xs, int xsOffset, int batch, float[] ys, int ysOffset) {
    if (format == WeightFormat.Q8_0) {
      QuantizedKernels.gemvBatchQ8_0(quants, scales, rows, cols, xs, xsOffset, batch, ys, ysOffset);
    } else {
      QuantizedKernels.gemvBatchQ4_0(quants, scales, rows, cols, xs, xsOffset, batch, ys, ysOffset);
    }
  }

  /**
   * The transposed product added into a batch: {@code ys[ysOffset + b*cols + c] += sum_r W[r][c] *
   * xs[xsOffset + b*rows + r]} for {@code b < batch} (the backward pass of {@link #multiplyBatch}),
   * on the blocks; the same as {@link #addRowTo} of every row by its coefficient up to float
   * rounding, and faster for a batch.
   *
   * @param xs the coefficients, {@code batch} rows of {@code rows} floats; read only
   * @param xsOffset the index in {@code xs} of its first element used
   * @param batch the number of vectors, {@code >= 0}
   * @param ys the sums, {@code batch} rows of {@code cols} floats; added to
   * @param ysOffset the index in {@code ys} of its first element used
   * @throws IllegalArgumentException if {@code batch < 0}
   * @throws IndexOutOfBoundsException if a slice is out of range (nothing is written)
   */
  public void multiplyTransposedAddBatch(
      float[] xs, int xsOffset, int batch, float[] ys, int ysOffset) {
    if (format == WeightFormat.Q8_0) {
      QuantizedKernels.gemvTransposedAddBatchQ8_0(
          quants, scales, rows, cols, xs, xsOffset, batch, ys, ysOffset);
    } else {
      QuantizedKernels.gemvTransposedAddBatchQ4_0(
          quants, scales, rows, cols, xs, xsOffset, batch, ys, ysOffset);
    }
  }

  /**
   * The dot product of row {@code row} with an 8-bit quantized vector of length {@code cols}:
   * integer sums per block, one {@code d_w * d_x} multiply per block.
   *
   * @param row the row, in {@code [0, rows)}
   * @param x a Q8_0 vector of exactly {@code cols} elements
   * @return the dot product of row {@code row} with an 8-bit quantized vector of length {@code
   *     cols}
   * @throws IllegalArgumentException if {@code x.length() != cols}
   * @throws IndexOutOfBoundsException if {@code row} is out of range
   */
  public float dotRow(int row, QuantizedVector x) {
    Objects.checkIndex(row, rows);
    checkVector(x);
    int b = row * blocksPerRow;
    return format == WeightFormat.Q8_0
        ? QuantizedKernels.dotQ8_0Q8_0(quants, b * 32, scales, b, x.quants(), 0, x.scales(), 0, cols)
        : QuantizedKernels.dotQ4_0Q8_0(quants, b * 16, scales, b, x.quants(), 0, x.scales(), 0, cols);
  }

  /**
   * Adds {@code alpha} times dequantized row {@code row} to {@code y[yOffset .. yOffset+cols)},
   * on the blocks ({@code alpha * d} once per block).
   *
   * @param row the row, in {@code [0, rows)}
   * @param alpha the factor the dequantized row is multiplied by
   * @param y the array added to, {@code cols} floats from {@code yOffset}
   * @param yOffset the index in {@code y} of its first element used
   * @throws IndexOutOfBoundsException if {@code row} or the slice is out of range
   */
  public void addRowTo(int row, float alpha, float[] y, int yOffset) {
    Objects.checkIndex(row, rows);
    int b = row * blocksPerRow;
    if (format == WeightFormat.Q8_0) {
      QuantizedKernels.axpyQ8_0(alpha, quants, b * 32, scales, b, y, yOffset, cols);
    } else {
      QuantizedKernels.axpyQ4_0(alpha, quants, b * 16, scales, b, y, yOffset, cols);
    }
  }

  /**
   * Writes dequantized row {@code row} to {@code y[yOffset .. yOffset+cols)}.
   *
   * @param row the row, in {@code [0, rows)}
   * @param y the array written, {@code cols} floats from {@code yOffset}
   * @param yOffset the index in {@code y} of its first element used
   * @throws IndexOutOfBoundsException if {@code row} or the slice is out of range
   */
  public void dequantizeRow(int row, float[] y, int yOffset) {
    Objects.checkIndex(row, rows);
    int b = row * blocksPerRow;
    if (format == WeightFormat.Q8_0) {
      QuantizedKernels.dequantizeQ8_0(quants, b * 32, scales, b, y, yOffset, cols);
    } else {
      QuantizedKernels.dequantizeQ4_0(quants, b * 16, scales, b, y, yOffset, cols);
    }
  }

  /**
   * The dequantized matrix as a new {@code rows x cols} row-major array (ggml's
   * {@code dequantize_row_*} semantics). Not for the inference path.
   *
   * @return the dequantized matrix as a new {@code rows x cols} row-major array (ggml's {@code
   *     dequantize_row_*} semantics)
   */
  public float[] dequantize() {
    float[] out = new float[Math.multiplyExact(rows, cols)];
    for (int r = 0; r < rows; r++) {
      dequantizeRow(r, out, r * cols);
    }
    return out;
  }

  /**
   * The matrix in ggml's own memory layout: for each row, its blocks in order, each block the
   * half-float scale (2 bytes, little-endian) followed by the codes (32 bytes for
   * {@code block_q8_0}, 16 for {@code block_q4_0}); {@link #weightBytes()} bytes in all. This is
   * the tensor data llama.cpp reads from a GGUF file for a row-padded {@code rows x cols} tensor.
   *
   * @return the matrix in ggml's own memory layout
   */
  public byte[] toGgml() {
    int blockBytes = 2 + bytesPerBlock;
    byte[] out = new byte[Math.toIntExact(weightBytes())];
    for (int b = 0; b < scales.length; b++) {
      int o = b * blockBytes;
      out[o] = (byte) scales[b];
      out[o + 1] = (byte) (scales[b] >>> 8);
      System.arraycopy(quants, b * bytesPerBlock, out, o + 2, bytesPerBlock);
    }
    return out;
  }

  /**
   * Reads a matrix from ggml's block layout (see {@link #toGgml()}). The input is copied and
   * validated: its length must be exactly {@code format.bytesFor(rows, cols)} and every scale a
   * finite half float. Padding codes are taken as given.
   *
   * @param ggml the rows' blocks, each a 2-byte little-endian half-float scale then the codes;
   *     copied
   * @param rows the number of rows, {@code >= 0}
   * @param cols the number of columns, {@code >= 0}
   * @param format {@link WeightFormat#Q8_0} or {@link WeightFormat#Q4_0}
   * @return the matrix those blocks encode
   * @throws IllegalArgumentException if the format is not a block format, a dimension is
   *     negative, the length is wrong or a scale is not finite
   */
  public static QuantizedMatrix fromGgml(byte[] ggml, int rows, int cols, WeightFormat format) {
    checkShape(format, rows, cols);
    long expected = format.bytesFor(rows, cols);
    if (ggml.length != expected) {
      throw new IllegalArgumentException(
          "a " + rows + " x " + cols + " " + format + " matrix has " + expected + " bytes, got " + ggml.length);
    }
    int bytesPerBlock = bytesPerBlock(format);
    int blockBytes = 2 + bytesPerBlock;
    int blocks = ggml.length / blockBytes;
    byte[] q = new byte[blocks * bytesPerBlock];
    short[] d = new short[blocks];
    for (int b = 0; b < blocks; b++) {
      int o = b * blockBytes;
      d[b] = (short) ((ggml[o] & 0xFF) | (ggml[o + 1] << 8));
      if (!Float.isFinite(Float.float16ToFloat(d[b]))) {
        throw new IllegalArgumentException(
            "block " + b + " has a non-finite scale (half bits 0x" + Integer.toHexString(d[b] & 0xFFFF) + ")");
      }
      System.arraycopy(ggml, o + 2, q, b * bytesPerBlock, bytesPerBlock);
    }
    return new QuantizedMatrix(format, rows, cols, q, d);
  }

  /** The codes, for this package's kernels' callers; never exposed. */
  byte[] quants() {
    return quants;
  }

  /** The half-float scales, for this package; never exposed. */
  short[] scales() {
    return scales;
  }

  void checkVector(QuantizedVector x) {
    if (x.length() != cols) {
      throw new IllegalArgumentException(
          "quantized vector must have length " + cols + ", had " + x.length());
    }
  }

  private static int bytesPerBlock(WeightFormat format) {
    return format == WeightFormat.Q8_0
        ? QuantizedKernels.Q8_0_BLOCK_BYTES
        : QuantizedKernels.Q4_0_BLOCK_BYTES;
  }

  static void checkShape(WeightFormat format, int rows, int cols) {
    Objects.requireNonNull(format, "format");
    if (format != WeightFormat.Q8_0 && format != WeightFormat.Q4_0) {
      throw new IllegalArgumentException("format must be Q8_0 or Q4_0, was " + format);
    }
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("dimensions must be >= 0, were " + rows + " x " + cols);
    }
  }

  @Override
  public String toString() {
    return "QuantizedMatrix[" + rows + " x " + cols + ", " + format + ", " + weightBytes() + " bytes]";
  }
}
