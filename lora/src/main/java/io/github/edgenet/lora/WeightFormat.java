package io.github.edgenet.lora;

/**
 * How an adapter's (or a layer's) weights are stored.
 *
 * <p>The quantized formats follow llama.cpp (ggml) block for block: each row is cut into blocks of
 * {@value #BLOCK_SIZE} weights with one IEEE half-precision scale per block. A row whose length is
 * not a multiple of 32 is padded with zero weights up to the next block.
 */
public enum WeightFormat {
  /** 32-bit floats: 4 bytes per weight. */
  F32,
  /** ggml {@code block_q8_0}: a half-precision scale and 32 signed bytes, 34 bytes per 32 weights. */
  Q8_0,
  /**
   * ggml {@code block_q4_0}: a half-precision scale and 16 bytes of 4-bit codes (offset by 8), 18
   * bytes per 32 weights.
   */
  Q4_0;

  /** Weights per quantization block. */
  public static final int BLOCK_SIZE = 32;

  /**
   * Bytes needed to store a {@code rows x cols} matrix in this format (each row padded to whole
   * blocks for the quantized formats).
   *
   * @param rows the number of rows, {@code >= 0}
   * @param cols the number of columns, {@code >= 0}
   * @return bytes needed to store a {@code rows x cols} matrix in this format (each row padded to
   *     whole blocks for the quantized formats)
   * @throws IllegalArgumentException if a dimension is negative
   */
  public long bytesFor(int rows, int cols) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("dimensions must be >= 0, were " + rows + " x " + cols);
    }
    long blocks = (long) rows * ((cols + BLOCK_SIZE - 1) / BLOCK_SIZE);
    return switch (this) {
      case F32 -> 4L * rows * cols;
      case Q8_0 -> blocks * (2 + BLOCK_SIZE);
      case Q4_0 -> blocks * (2 + BLOCK_SIZE / 2);
    };
  }
}
