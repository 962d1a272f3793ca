package io.github.edgenet.lora;

import java.util.Objects;

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

  /**
   * Length of the input vectors {@code x}.
   *
   * @return the length of {@code x}, {@code >= 1}
   */
  int inputDim();

  /**
   * Length of the output vectors {@code y}.
   *
   * @return the length of {@code y}, {@code >= 1}
   */
  int outputDim();

  /**
   * The rank {@code r} of the update, 1 to {@value MicroLora#MAX_RANK}.
   *
   * @return the rank {@code r} of the update, 1 to {@value MicroLora#MAX_RANK}
   */
  int rank();

  /**
   * The factor applied to {@code B A x} (see {@link LoraScaling}).
   *
   * @return the factor applied to {@code B A x} (see {@link LoraScaling})
   */
  float scale();

  /**
   * How the weights are stored.
   *
   * @return how the weights are stored
   */
  WeightFormat format();

  /**
   * Bytes held by the weights (the adapter's memory cost in a pool), excluding object headers.
   *
   * @return bytes held by the weights (the adapter's memory cost in a pool), excluding object
   *     headers
   */
  long weightBytes();

  /**
   * Adds the update to one vector: {@code y[yOffset..] += scale * B A x[xOffset..]}.
   *
   * @param x the array holding the input, {@link #inputDim()} floats from {@code xOffset}; read
   *     only
   * @param xOffset the index in {@code x} of its first element used
   * @param y the array holding the output, {@link #outputDim()} floats from {@code yOffset}; the
   *     update is added to what is there
   * @param yOffset the index in {@code y} of its first element used
   * @throws IndexOutOfBoundsException if a slice does not fit its array (nothing is written)
   */
  void forward(float[] x, int xOffset, float[] y, int yOffset);

  /**
   * {@link #forward(float[], int, float[], int)} on whole arrays of exactly the adapter's dimensions.
   *
   * @param x the input, exactly {@link #inputDim()} floats; read only
   * @param y the output, exactly {@link #outputDim()} floats; the update is added to it
   * @throws IllegalArgumentException if a length differs from the adapter's dimension
   */
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
   * @param xs the inputs, row after row; read only
   * @param xsOffset the index in {@code xs} of its first element used
   * @param ys the outputs, row after row; the updates are added to them
   * @param ysOffset the index in {@code ys} of its first element used
   * @param batch the number of vectors, {@code >= 0}
   * @throws IndexOutOfBoundsException if a slice does not fit its array (nothing is written)
   * @throws IllegalArgumentException if {@code batch < 0}
   */
  void forwardBatch(float[] xs, int xsOffset, float[] ys, int ysOffset, int batch);

  /**
   * Adds the update to selected rows of a batch, in place: for each {@code r} in {@code
   * rows[rowsOffset .. rowsOffset+count)}, {@code ys[ysOffset + r*outputDim ..] += scale * B A
   * xs[xsOffset + r*inputDim ..]}. Rows must be distinct. Used by {@link MultiAdapterBatch} to run
   * each adapter over its own rows of a mixed batch without copying them; the default calls
   * {@link #forward(float[], int, float[], int)} row by row, implementations do better.
   *
   * @param xs the inputs of the whole batch, row after row; read only
   * @param xsOffset the index in {@code xs} of its first element used
   * @param ys the outputs of the whole batch, row after row; only the listed rows change
   * @param ysOffset the index in {@code ys} of its first element used
   * @param rows the indices of the rows to update, each in {@code [0, batch)} of the caller's batch
   * @param rowsOffset the index in {@code rows} of its first element used
   * @param count how many indices to take from {@code rows}, {@code >= 0}
   * @throws IndexOutOfBoundsException if a row or a slice is out of range (nothing is written)
   */
  default void forwardRows(
      float[] xs, int xsOffset, float[] ys, int ysOffset, int[] rows, int rowsOffset, int count) {
    Objects.checkFromIndexSize(rowsOffset, count, rows.length);
    for (int i = rowsOffset; i < rowsOffset + count; i++) {
      int r = rows[i];
      if (r < 0) {
        throw new IndexOutOfBoundsException("rows[" + i + "] is negative: " + r);
      }
      Objects.checkFromIndexSize(xsOffset + (long) r * inputDim(), inputDim(), xs.length);
      Objects.checkFromIndexSize(ysOffset + (long) r * outputDim(), outputDim(), ys.length);
    }
    for (int i = rowsOffset; i < rowsOffset + count; i++) {
      int r = rows[i];
      forward(xs, xsOffset + r * inputDim(), ys, ysOffset + r * outputDim());
    }
  }

  /**
   * The dense update {@code ΔW = scale * B A} as a new {@code outputDim x inputDim} row-major array.
   * For tests, merging and export; never needed on the inference path.
   *
   * @return the dense update {@code ΔW = scale * B A} as a new {@code outputDim x inputDim}
   *     row-major array
   */
  float[] deltaWeight();

  private static void checkLength(String name, float[] v, int expected) {
    if (v.length != expected) {
      throw new IllegalArgumentException(
          name + " must have length " + expected + ", had " + v.length);
    }
  }
}
