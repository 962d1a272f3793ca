package io.github.edgenet.core.vector;

import io.github.edgenet.core.internal.vector.KernelProvider;
import io.github.edgenet.core.internal.vector.FloatKernelSupport;
import java.util.Objects;

/**
 * Float vector kernels, fast with the Vector API and correct without it.
 *
 * <p>When the JVM runs with {@code --add-modules jdk.incubator.vector} these kernels use SIMD
 * (the widest vectors the CPU has, with fused multiply-add); without it, or with
 * {@code -Dedgenet.vector.forceScalar=true}, they run plain Java loops. The choice is made once, at
 * first use, and logged once through {@link System.Logger} (logger
 * {@code io.github.edgenet.core.vector}); {@link #implementationName()} reports it. Both paths give
 * the same results up to float rounding: reductions ({@link #dot dot}, {@link #sum sum}, ...) may
 * add in a different order on the SIMD path.
 *
 * <p>Conventions: vectors are {@code float[]} slices given as (array, offset, length); matrices are
 * dense, row-major, {@code rows x cols}, starting at an offset. Results go into arrays the caller
 * supplies: no method allocates, so they are safe on hot paths. Every range is checked before any
 * element is touched: a bad offset or length throws {@link IndexOutOfBoundsException} (or
 * {@link IllegalArgumentException} for a negative dimension) and writes nothing.
 *
 * <p>Thread-safe: the class is stateless. Concurrent calls that write the same output array race,
 * as plain array code would.
 */
public final class VectorKernels {
  private static final FloatKernelSupport IMPL = KernelProvider.floats();

  private VectorKernels() {}

  /**
   * The implementation in use: {@code "scalar"} or e.g. {@code "Panama(512-bit, FMA)"}.
   *
   * @return the implementation in use
   */
  public static String implementationName() {
    return IMPL.name();
  }

  /**
   * Whether the SIMD (Vector API) path is in use.
   *
   * @return whether the SIMD (Vector API) path is in use
   */
  public static boolean isVectorized() {
    return IMPL.vectorized();
  }

  /**
   * The dot product of two equal-length vectors.
   *
   * @param a the first operand
   * @param b the second operand
   * @return the dot product of two equal-length vectors
   */
  public static float dot(float[] a, float[] b) {
    checkSameLength(a, b);
    return IMPL.dot(a, 0, b, 0, a.length);
  }

  /**
   * The dot product {@code sum(a[aOffset+i] * b[bOffset+i])} for {@code i < length}.
   *
   * @param a the first operand
   * @param aOffset the index in {@code a} of its first element used
   * @param b the second operand
   * @param bOffset the index in {@code b} of its first element used
   * @param length the number of elements
   * @return the dot product {@code sum(a[aOffset+i] * b[bOffset+i])} for {@code i < length}
   */
  public static float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
    Objects.checkFromIndexSize(aOffset, length, a.length);
    Objects.checkFromIndexSize(bOffset, length, b.length);
    return IMPL.dot(a, aOffset, b, bOffset, length);
  }

  /**
   * {@code y += alpha * x} for two equal-length vectors.
   *
   * @param alpha the scalar factor
   * @param x the input vector (read only)
   * @param y the output vector
   */
  public static void axpy(float alpha, float[] x, float[] y) {
    checkSameLength(x, y);
    IMPL.axpy(alpha, x, 0, y, 0, x.length);
  }

  /**
   * {@code y[yOffset+i] += alpha * x[xOffset+i]} for {@code i < length}.
   *
   * @param alpha the scalar factor
   * @param x the input vector (read only)
   * @param xOffset the index in {@code x} of its first element used
   * @param y the output vector
   * @param yOffset the index in {@code y} of its first element used
   * @param length the number of elements
   */
  public static void axpy(float alpha, float[] x, int xOffset, float[] y, int yOffset, int length) {
    Objects.checkFromIndexSize(xOffset, length, x.length);
    Objects.checkFromIndexSize(yOffset, length, y.length);
    IMPL.axpy(alpha, x, xOffset, y, yOffset, length);
  }

  /**
   * {@code x *= alpha}, in place.
   *
   * @param alpha the scalar factor
   * @param x the input vector (read only)
   */
  public static void scale(float alpha, float[] x) {
    IMPL.scale(alpha, x, 0, x.length);
  }

  /**
   * {@code x[offset+i] *= alpha} for {@code i < length}, in place.
   *
   * @param alpha the scalar factor
   * @param x the input vector (read only)
   * @param offset the index of the first element used
   * @param length the number of elements
   */
  public static void scale(float alpha, float[] x, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, x.length);
    IMPL.scale(alpha, x, offset, length);
  }

  /**
   * {@code out = a + b} element-wise; {@code out} may be {@code a} or {@code b}.
   *
   * @param a the first operand
   * @param b the second operand
   * @param out where the result is written
   */
  public static void add(float[] a, float[] b, float[] out) {
    checkSameLength(a, b);
    checkSameLength(a, out);
    IMPL.add(a, 0, b, 0, out, 0, a.length);
  }

  /**
   * {@code out[outOffset+i] = a[aOffset+i] + b[bOffset+i]} for {@code i < length}.
   *
   * @param a the first operand
   * @param aOffset the index in {@code a} of its first element used
   * @param b the second operand
   * @param bOffset the index in {@code b} of its first element used
   * @param out where the result is written
   * @param outOffset the index in {@code out} of its first element used
   * @param length the number of elements
   */
  public static void add(
      float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int length) {
    Objects.checkFromIndexSize(aOffset, length, a.length);
    Objects.checkFromIndexSize(bOffset, length, b.length);
    Objects.checkFromIndexSize(outOffset, length, out.length);
    IMPL.add(a, aOffset, b, bOffset, out, outOffset, length);
  }

  /**
   * The sum of the elements.
   *
   * @param x the input vector (read only)
   * @return the sum of the elements
   */
  public static float sum(float[] x) {
    return IMPL.sum(x, 0, x.length);
  }

  /**
   * The sum of {@code x[offset .. offset+length)}.
   *
   * @param x the input vector (read only)
   * @param offset the index of the first element used
   * @param length the number of elements
   * @return the sum of {@code x[offset .. offset+length)}
   */
  public static float sum(float[] x, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, x.length);
    return IMPL.sum(x, offset, length);
  }

  /**
   * The squared Euclidean distance {@code sum((a[i] - b[i])^2)} of two equal-length vectors.
   *
   * @param a the first operand
   * @param b the second operand
   * @return the squared Euclidean distance {@code sum((a[i] - b[i])^2)} of two equal-length vectors
   */
  public static float squaredDistance(float[] a, float[] b) {
    checkSameLength(a, b);
    return IMPL.squaredDistance(a, 0, b, 0, a.length);
  }

  /**
   * The squared Euclidean distance of two slices of equal length.
   *
   * @param a the first operand
   * @param aOffset the index in {@code a} of its first element used
   * @param b the second operand
   * @param bOffset the index in {@code b} of its first element used
   * @param length the number of elements
   * @return the squared Euclidean distance of two slices of equal length
   */
  public static float squaredDistance(float[] a, int aOffset, float[] b, int bOffset, int length) {
    Objects.checkFromIndexSize(aOffset, length, a.length);
    Objects.checkFromIndexSize(bOffset, length, b.length);
    return IMPL.squaredDistance(a, aOffset, b, bOffset, length);
  }

  /**
   * The cosine similarity {@code dot(a,b) / (|a| |b|)} in [-1, 1] (up to rounding) of two
   * equal-length vectors; 0 when either is all zeros (a zero vector has no direction).
   *
   * @param a the first operand
   * @param b the second operand
   * @return the cosine similarity {@code dot(a,b) / (|a| |b|)} in [-1, 1] (up to rounding) of two
   *     equal-length vectors
   */
  public static float cosine(float[] a, float[] b) {
    checkSameLength(a, b);
    return IMPL.cosine(a, 0, b, 0, a.length);
  }

  /**
   * The cosine similarity of two slices of equal length; 0 when either is all zeros.
   *
   * @param a the first operand
   * @param aOffset the index in {@code a} of its first element used
   * @param b the second operand
   * @param bOffset the index in {@code b} of its first element used
   * @param length the number of elements
   * @return the cosine similarity of two slices of equal length
   */
  public static float cosine(float[] a, int aOffset, float[] b, int bOffset, int length) {
    Objects.checkFromIndexSize(aOffset, length, a.length);
    Objects.checkFromIndexSize(bOffset, length, b.length);
    return IMPL.cosine(a, aOffset, b, bOffset, length);
  }

  /**
   * {@link #gemv(float[], int, int, int, float[], int, float[], int) gemv}, returning also the
   * squared Euclidean norm of {@code x} ({@code sum_c x[xOffset+c]^2}), computed in the same pass
   * over {@code x} where the implementation can (one or two rows). A training step needs both: the
   * gradient of a factored layer is an outer product, and {@code |u x^T|_F = |u| |x|}. Rows = 0
   * still returns the norm.
   *
   * @param matrix the matrix, dense and row-major
   * @param matrixOffset the index in {@code matrix} of its first element used
   * @param rows the number of rows
   * @param cols the number of columns
   * @param x the input vector (read only)
   * @param xOffset the index in {@code x} of its first element used
   * @param y the output vector
   * @param yOffset the index in {@code y} of its first element used
   * @return the squared Euclidean norm of {@code x[xOffset .. xOffset+cols)}
   */
  public static float gemvAndSquaredNorm(
      float[] matrix, int matrixOffset, int rows, int cols, float[] x, int xOffset, float[] y, int yOffset) {
    checkMatrix(matrix, matrixOffset, rows, cols);
    Objects.checkFromIndexSize(xOffset, cols, x.length);
    Objects.checkFromIndexSize(yOffset, rows, y.length);
    return IMPL.gemvAndSquaredNorm(matrix, matrixOffset, rows, cols, x, xOffset, y, yOffset);
  }

  /**
   * Matrix times vector: {@code y = M x}, with {@code M} the {@code rows x cols} row-major matrix at
   * the start of {@code matrix}, {@code x} the first {@code cols} elements of {@code x} and the
   * result in the first {@code rows} elements of {@code y} (overwritten).
   *
   * @param matrix the matrix, dense and row-major
   * @param rows the number of rows
   * @param cols the number of columns
   * @param x the input vector (read only)
   * @param y the output vector
   */
  public static void gemv(float[] matrix, int rows, int cols, float[] x, float[] y) {
    gemv(matrix, 0, rows, cols, x, 0, y, 0);
  }

  /**
   * Matrix times vector with offsets: {@code y[yOffset+r] = sum_c M[r][c] * x[xOffset+c]}, where
   * {@code M[r][c] = matrix[matrixOffset + r*cols + c]}. {@code y} must not overlap {@code x}.
   *
   * @param matrix the matrix, dense and row-major
   * @param matrixOffset the index in {@code matrix} of its first element used
   * @param rows the number of rows
   * @param cols the number of columns
   * @param x the input vector (read only)
   * @param xOffset the index in {@code x} of its first element used
   * @param y the output vector
   * @param yOffset the index in {@code y} of its first element used
   */
  public static void gemv(
      float[] matrix, int matrixOffset, int rows, int cols, float[] x, int xOffset, float[] y, int yOffset) {
    checkMatrix(matrix, matrixOffset, rows, cols);
    Objects.checkFromIndexSize(xOffset, cols, x.length);
    Objects.checkFromIndexSize(yOffset, rows, y.length);
    IMPL.gemv(matrix, matrixOffset, rows, cols, x, xOffset, y, yOffset);
  }

  /**
   * Matrix times a batch of vectors: for each {@code b < batch}, {@code ys[b*rows ..] = M xs[b*cols ..]}.
   * The vectors lie one after another in {@code xs} (a {@code batch x cols} row-major matrix) and
   * the results one after another in {@code ys} ({@code batch x rows}). Faster than {@code batch}
   * calls of {@link #gemv} because each matrix row is loaded once for several vectors.
   *
   * @param matrix the matrix, dense and row-major
   * @param rows the number of rows
   * @param cols the number of columns
   * @param xs the input vectors, one after another (read only)
   * @param batch the number of vectors in the batch
   * @param ys the output vectors, one after another
   */
  public static void gemvBatch(float[] matrix, int rows, int cols, float[] xs, int batch, float[] ys) {
    gemvBatch(matrix, 0, rows, cols, xs, 0, batch, ys, 0);
  }

  /**
   * {@link #gemvBatch(float[], int, int, float[], int, float[])} with offsets.
   *
   * @param matrix the matrix, dense and row-major
   * @param matrixOffset the index in {@code matrix} of its first element used
   * @param rows the number of rows
   * @param cols the number of columns
   * @param xs the input vectors, one after another (read only)
   * @param xsOffset the index in {@code xs} of its first element used
   * @param batch the number of vectors in the batch
   * @param ys the output vectors, one after another
   * @param ysOffset the index in {@code ys} of its first element used
   */
  public static void gemvBatch(
      float[] matrix,
      int matrixOffset,
      int rows,
      int cols,
      float[] xs,
      int xsOffset,
      int batch,
      float[] ys,
      int ysOffset) {
    checkMatrix(matrix, matrixOffset, rows, cols);
    if (batch < 0) {
      throw new IllegalArgumentException("batch must be >= 0, was " + batch);
    }
    Objects.checkFromIndexSize(xsOffset, Math.multiplyExact(batch, cols), xs.length);
    Objects.checkFromIndexSize(ysOffset, Math.multiplyExact(batch, rows), ys.length);
    IMPL.gemvBatch(matrix, matrixOffset, rows, cols, xs, xsOffset, batch, ys, ysOffset);
  }

  /**
   * Transposed matrix times vector, accumulated: {@code y += M^T x}, that is
   * {@code y[yOffset+c] += sum_r M[r][c] * x[xOffset+r]}. This is the backward pass of
   * {@link #gemv} and the second half of a low-rank product; {@code y} must not overlap {@code x}.
   *
   * @param matrix the matrix, dense and row-major
   * @param matrixOffset the index in {@code matrix} of its first element used
   * @param rows the number of rows
   * @param cols the number of columns
   * @param x the input vector, {@code rows} long (read only)
   * @param xOffset the index in {@code x} of its first element used
   * @param y the vector accumulated into, {@code cols} long
   * @param yOffset the index in {@code y} of its first element used
   */
  public static void gemvTransposedAdd(
      float[] matrix, int matrixOffset, int rows, int cols, float[] x, int xOffset, float[] y, int yOffset) {
    checkMatrix(matrix, matrixOffset, rows, cols);
    Objects.checkFromIndexSize(xOffset, rows, x.length);
    Objects.checkFromIndexSize(yOffset, cols, y.length);
    IMPL.gemvTransposedAdd(matrix, matrixOffset, rows, cols, x, xOffset, y, yOffset);
  }

  /**
   * Adds an outer product to a matrix: {@code M += u x^T}, that is {@code M[r][c] += u[uOffset+r] *
   * x[xOffset+c]} for the {@code rows x cols} row-major matrix at {@code matrix[matrixOffset..]}.
   * The weight gradient of a linear layer for one sample, and the rank-1 update of an SGD step on
   * it. {@code matrix} must not overlap {@code u} or {@code x}.
   *
   * @param matrix the matrix, dense and row-major
   * @param matrixOffset the index in {@code matrix} of its first element used
   * @param rows the number of rows
   * @param cols the number of columns
   * @param u the column factor, {@code rows} long (read only)
   * @param uOffset the index in {@code u} of its first element used
   * @param x the row factor, {@code cols} long (read only)
   * @param xOffset the index in {@code x} of its first element used
   */
  public static void addOuterProduct(
      float[] matrix, int matrixOffset, int rows, int cols, float[] u, int uOffset, float[] x, int xOffset) {
    checkMatrix(matrix, matrixOffset, rows, cols);
    Objects.checkFromIndexSize(uOffset, rows, u.length);
    Objects.checkFromIndexSize(xOffset, cols, x.length);
    IMPL.addOuterProduct(matrix, matrixOffset, rows, cols, u, uOffset, x, xOffset);
  }

  /**
   * Adds a low-rank product to {@code y}: {@code y += scale * B (A x)}, the forward pass of a LoRA
   * adapter. {@code A} is the {@code rank x inDim} row-major matrix at {@code a[aOffset..]};
   * {@code B} ({@code outDim x rank}) is given transposed, as the {@code rank x outDim} row-major
   * matrix {@code Bt} at {@code bt[btOffset..]}, so that both factors are read along rows. The
   * {@code rank} intermediate values stay in registers: no scratch array is needed or allocated.
   * {@code y} must not overlap {@code x}.
   *
   * @param a the factor {@code A}, {@code rank x inDim} row-major
   * @param aOffset the index in {@code a} of its first element used
   * @param bt the factor {@code Bt} ({@code B} transposed), {@code rank x outDim} row-major
   * @param btOffset the index in {@code bt} of its first element used
   * @param rank the rank of the two factors
   * @param inDim the input dimension (length of {@code x})
   * @param outDim the output dimension (length of {@code y})
   * @param scale the factor the low-rank product is multiplied by
   * @param x the input vector (read only)
   * @param xOffset the index in {@code x} of its first element used
   * @param y the output vector
   * @param yOffset the index in {@code y} of its first element used
   */
  public static void lowRankAdd(
      float[] a,
      int aOffset,
      float[] bt,
      int btOffset,
      int rank,
      int inDim,
      int outDim,
      float scale,
      float[] x,
      int xOffset,
      float[] y,
      int yOffset) {
    checkMatrix(a, aOffset, rank, inDim);
    checkMatrix(bt, btOffset, rank, outDim);
    Objects.checkFromIndexSize(xOffset, inDim, x.length);
    Objects.checkFromIndexSize(yOffset, outDim, y.length);
    IMPL.lowRankAdd(a, aOffset, bt, btOffset, rank, inDim, outDim, scale, x, xOffset, y, yOffset);
  }

  /**
   * {@link #lowRankAdd} for {@code batch} vectors stored one after another: {@code xs} is a
   * {@code batch x inDim} row-major matrix, {@code ys} a {@code batch x outDim} one. Faster per
   * vector than single calls because each chunk of {@code A} and {@code Bt} is loaded once for
   * several vectors.
   *
   * @param a the factor {@code A}, {@code rank x inDim} row-major
   * @param aOffset the index in {@code a} of its first element used
   * @param bt the factor {@code Bt} ({@code B} transposed), {@code rank x outDim} row-major
   * @param btOffset the index in {@code bt} of its first element used
   * @param rank the rank of the two factors
   * @param inDim the input dimension (length of {@code x})
   * @param batch the number of vectors in the batch
   * @param outDim the output dimension (length of {@code y})
   * @param scale the factor the low-rank product is multiplied by
   * @param xs the input vectors, one after another (read only)
   * @param xsOffset the index in {@code xs} of its first element used
   * @param ys the output vectors, one after another
   * @param ysOffset the index in {@code ys} of its first element used
   */
  public static void lowRankAddBatch(
      float[] a,
      int aOffset,
      float[] bt,
      int btOffset,
      int rank,
      int inDim,
      int outDim,
      float scale,
      float[] xs,
      int xsOffset,
      float[] ys,
      int ysOffset,
      int batch) {
    checkMatrix(a, aOffset, rank, inDim);
    checkMatrix(bt, btOffset, rank, outDim);
    if (batch < 0) {
      throw new IllegalArgumentException("batch must be >= 0, was " + batch);
    }
    Objects.checkFromIndexSize(xsOffset, Math.multiplyExact(batch, inDim), xs.length);
    Objects.checkFromIndexSize(ysOffset, Math.multiplyExact(batch, outDim), ys.length);
    IMPL.lowRankAddBatch(
        a, aOffset, bt, btOffset, rank, inDim, outDim, scale, xs, xsOffset, ys, ysOffset, batch);
  }

  /**
   * {@link #lowRankAdd} for selected rows of a batch: for each {@code r} in
   * {@code rows[rowsOffset .. rowsOffset+count)}, {@code ys[ysOffset + r*outDim ..] += scale * B (A
   * xs[xsOffset + r*inDim ..])}. The rows are processed several at a time, as in
   * {@link #lowRankAddBatch}, without being copied: this is how a batch that mixes adapters runs
   * each adapter over its own rows. Row indices must be distinct (a repeated row would be updated
   * from a stale value); every index is range-checked before anything is written.
   *
   * @param a the factor {@code A}, {@code rank x inDim} row-major
   * @param aOffset the index in {@code a} of its first element used
   * @param bt the factor {@code Bt} ({@code B} transposed), {@code rank x outDim} row-major
   * @param btOffset the index in {@code bt} of its first element used
   * @param rank the rank of the two factors
   * @param inDim the input dimension (length of {@code x})
   * @param count the number of rows to process
   * @param outDim the output dimension (length of {@code y})
   * @param rows the number of rows
   * @param rowsOffset the index in {@code rows} of its first element used
   * @param scale the factor the low-rank product is multiplied by
   * @param xs the input vectors, one after another (read only)
   * @param xsOffset the index in {@code xs} of its first element used
   * @param ys the output vectors, one after another
   * @param ysOffset the index in {@code ys} of its first element used
   */
  public static void lowRankAddRows(
      float[] a,
      int aOffset,
      float[] bt,
      int btOffset,
      int rank,
      int inDim,
      int outDim,
      float scale,
      float[] xs,
      int xsOffset,
      float[] ys,
      int ysOffset,
      int[] rows,
      int rowsOffset,
      int count) {
    checkMatrix(a, aOffset, rank, inDim);
    checkMatrix(bt, btOffset, rank, outDim);
    checkRows(inDim, outDim, xs, xsOffset, ys, ysOffset, rows, rowsOffset, count);
    IMPL.lowRankAddRows(
        a, aOffset, bt, btOffset, rank, inDim, outDim, scale, xs, xsOffset, ys, ysOffset, rows,
        rowsOffset, count);
  }

  /**
   * Checks a row list against a batch ({@code rows[rowsOffset..+count)} in range, every listed row's
   * slices of {@code xs} and {@code ys} in range) before a kernel writes anything. Shared with
   * {@link QuantizedKernels}.
   */
  static void checkRows(int inDim, int outDim, float[] xs, int xsOffset, float[] ys, int ysOffset,
      int[] rows, int rowsOffset, int count) {
    Objects.checkFromIndexSize(rowsOffset, count, rows.length);
    if (count == 0) {
      return;
    }
    // A row's slices grow with its index: checking the smallest and largest row covers all.
    int minRow = Integer.MAX_VALUE;
    int maxRow = Integer.MIN_VALUE;
    for (int i = rowsOffset; i < rowsOffset + count; i++) {
      minRow = Math.min(minRow, rows[i]);
      maxRow = Math.max(maxRow, rows[i]);
    }
    if (minRow < 0) {
      throw new IndexOutOfBoundsException("rows holds a negative row index: " + minRow);
    }
    Objects.checkFromIndexSize(xsOffset, inDim, xs.length);
    Objects.checkFromIndexSize(ysOffset, outDim, ys.length);
    Objects.checkFromIndexSize(xsOffset + (long) maxRow * inDim, inDim, xs.length);
    Objects.checkFromIndexSize(ysOffset + (long) maxRow * outDim, outDim, ys.length);
  }

  private static void checkMatrix(float[] matrix, int offset, int rows, int cols) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("matrix dimensions must be >= 0, were " + rows + " x " + cols);
    }
    Objects.checkFromIndexSize(offset, Math.multiplyExact(rows, cols), matrix.length);
  }

  private static void checkSameLength(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "vectors must have the same length, were " + a.length + " and " + b.length);
    }
  }
}
