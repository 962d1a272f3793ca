package io.github.edgenet.lora;

/**
 * A low-rank adapter: a learned update {@code ΔW = scale * B A} to a frozen {@code outputDim x
 * inputDim} weight matrix, applied as {@code y += ΔW x} without ever forming {@code ΔW}.
 *
 * <p>{@code A} is {@code rank x inputDim}, {@code B} is {@code outputDim x rank}. Implementations
 * store them as 32-bit floats ({@link MicroLora}, trainable) or in quantized blocks.
 *
 * <p>The forward methods add into caller arrays and allocate nothing. They are safe to call from
 * many threads at once; see each implementation for what happens when its weights change during
 * a call.
 */
public interface LoraAdapter {

  /** Length of the input vectors {@code x}. */
  int inputDim();

  /** Length of the output vectors {@code y}. */
  int outputDim();

  /** The rank {@code r} of the update, 1 to {@value MicroLora#MAX_RANK}. */
  int rank();

  /** The factor applied to {@code B A x} (see {@link LoraScaling}). */
  float scale();

  /** How the weights are stored. */
  WeightFormat format();

  /** Bytes held by the weights (the adapter's memory cost in a pool), excluding object headers. */
  long weightBytes();

  /**
   * Adds the update to one vector: {@code y[yOffset..] += scale * B A x[xOffset..]}.
   *
   * @throws IndexOutOfBoundsException if a slice does not fit its array (nothing is written)
   */
  void forward(float[] x, int xOffset, float[] y, int yOffset);

  /** {@link #forward(float[], int, float[], int)} on whole arrays of exactly the adapter's dimensions. */
  default void forward(float[] x, float[] y) {
    checkLength("x", x, inputDim());
    checkLength("y", y, outputDim());
    forward(x, 0, y, 0);
  }

  /**
   * Adds the update to {@code batch} vectors stored one after another: {@code xs} is {@code batch x
   * inputDim} from {@code xsOffset}, {@code ys} is {@code batch x outputDim} from {@code ysOffset},
   * both row-major. Faster per vector than single calls.
   *
   * @throws IndexOutOfBoundsException if a slice does not fit its array (nothing is written)
   * @throws IllegalArgumentException if {@code batch < 0}
   */
  void forwardBatch(float[] xs, int xsOffset, float[] ys, int ysOffset, int batch);

  /**
   * The dense update {@code ΔW = scale * B A} as a new {@code outputDim x inputDim} row-major array.
   * For tests, merging and export; never needed on the inference path.
   */
  float[] deltaWeight();

  private static void checkLength(String name, float[] v, int expected) {
    if (v.length != expected) {
      throw new IllegalArgumentException(
          name + " must have length " + expected + ", had " + v.length);
    }
  }
}
