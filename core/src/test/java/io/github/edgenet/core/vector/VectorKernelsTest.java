package io.github.edgenet.core.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The facade: results on small known cases, and that bad ranges fail before anything is written. */
class VectorKernelsTest {

  @Test
  void knownValues() {
    float[] a = {1, 2, 3}, b = {4, -5, 6};
    assertEquals(12f, VectorKernels.dot(a, b));
    assertEquals(6f, VectorKernels.sum(a));
    assertEquals(9f + 49f + 9f, VectorKernels.squaredDistance(a, b));
    assertEquals(12f / (float) Math.sqrt(14.0 * 77.0), VectorKernels.cosine(a, b), 1e-7f);
    assertEquals(-1f, VectorKernels.cosine(new float[] {1, 0}, new float[] {-3, 0}), 1e-7f);

    float[] y = {1, 1, 1};
    VectorKernels.axpy(2f, a, y);
    assertArrayEquals(new float[] {3, 5, 7}, y);
    VectorKernels.scale(0.5f, y);
    assertArrayEquals(new float[] {1.5f, 2.5f, 3.5f}, y);
    float[] out = new float[3];
    VectorKernels.add(a, b, out);
    assertArrayEquals(new float[] {5, -3, 9}, out);

    // [[1 2 3] [4 5 6]] x [1 0 -1] = [-2 -2]
    float[] m = {1, 2, 3, 4, 5, 6};
    float[] r = new float[2];
    VectorKernels.gemv(m, 2, 3, new float[] {1, 0, -1}, r);
    assertArrayEquals(new float[] {-2, -2}, r);
    // M^T [1 1] = [5 7 9], added to [1 1 1]
    float[] t = {1, 1, 1};
    VectorKernels.gemvTransposedAdd(m, 0, 2, 3, new float[] {1, 1}, 0, t, 0);
    assertArrayEquals(new float[] {6, 8, 10}, t);
    float[] yn = new float[2];
    assertEquals(2f, VectorKernels.gemvAndSquaredNorm(m, 0, 2, 3, new float[] {1, 0, -1}, 0, yn, 0));
    assertArrayEquals(new float[] {-2, -2}, yn);
    float[] ys = new float[4];
    VectorKernels.gemvBatch(m, 2, 3, new float[] {1, 0, -1, 0, 1, 0}, 2, ys);
    assertArrayEquals(new float[] {-2, -2, 2, 5}, ys);
  }

  @Test
  void badRangesThrowAndWriteNothing() {
    float[] x = {1, 2, 3, 4};
    float[] y = {9, 9, 9, 9};
    assertThrows(IndexOutOfBoundsException.class, () -> VectorKernels.axpy(1f, x, 1, y, 0, 4));
    assertThrows(IndexOutOfBoundsException.class, () -> VectorKernels.axpy(1f, x, 0, y, 1, 4));
    assertThrows(IndexOutOfBoundsException.class, () -> VectorKernels.axpy(1f, x, -1, y, 0, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> VectorKernels.scale(2f, y, 3, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> VectorKernels.add(x, 0, x, 0, y, 2, 3));
    assertArrayEquals(new float[] {9, 9, 9, 9}, y);

    assertThrows(IllegalArgumentException.class, () -> VectorKernels.dot(x, new float[3]));
    assertThrows(IndexOutOfBoundsException.class, () -> VectorKernels.dot(x, 2, x, 0, 3));
    assertThrows(IllegalArgumentException.class, () -> VectorKernels.gemv(x, -1, 2, x, y));
    // 2 x 3 needs 6 matrix elements; x has 4.
    assertThrows(IndexOutOfBoundsException.class, () -> VectorKernels.gemv(x, 2, 3, x, y));
    // Output too short for the rows.
    assertThrows(
        IndexOutOfBoundsException.class, () -> VectorKernels.gemv(new float[8], 0, 4, 2, x, 0, y, 1));
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> VectorKernels.gemvAndSquaredNorm(new float[8], 0, 4, 2, x, 0, y, 1));
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> VectorKernels.gemvAndSquaredNorm(new float[8], 0, 2, 4, x, 1, y, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> VectorKernels.gemvBatch(new float[4], 2, 2, x, -1, y));
    assertThrows(
        IndexOutOfBoundsException.class, () -> VectorKernels.gemvBatch(new float[4], 2, 2, x, 3, y));
    // rows * cols overflowing an int is reported, not wrapped.
    assertThrows(
        ArithmeticException.class,
        () -> VectorKernels.gemv(x, 0, 1 << 16, 1 << 16, x, 0, y, 0));
    assertArrayEquals(new float[] {9, 9, 9, 9}, y);
  }

  @Test
  void lowRankAddRowsChecksEveryListedRowBeforeWriting() {
    // rank 1, 2 -> 2: A = [1 1], Bt = [1 2]; rows of xs/ys are 2 floats wide.
    float[] a = {1, 1}, bt = {1, 2};
    float[] xs = {1, 2, 3, 4, 5, 6};
    float[] ys = new float[6];
    VectorKernels.lowRankAddRows(a, 0, bt, 0, 1, 2, 2, 1f, xs, 0, ys, 0, new int[] {2, 0}, 0, 2);
    // row 0: A x = 3 -> [3 6]; row 2: A x = 11 -> [11 22]; row 1 untouched
    assertArrayEquals(new float[] {3, 6, 0, 0, 11, 22}, ys);

    float[] before = ys.clone();
    // A negative row, a row past the end of xs, or of ys, anywhere in the list.
    assertThrows(IndexOutOfBoundsException.class,
        () -> VectorKernels.lowRankAddRows(a, 0, bt, 0, 1, 2, 2, 1f, xs, 0, ys, 0, new int[] {0, -1, 1}, 0, 3));
    assertThrows(IndexOutOfBoundsException.class,
        () -> VectorKernels.lowRankAddRows(a, 0, bt, 0, 1, 2, 2, 1f, xs, 0, ys, 0, new int[] {1, 3, 0}, 0, 3));
    assertThrows(IndexOutOfBoundsException.class,
        () -> VectorKernels.lowRankAddRows(a, 0, bt, 0, 1, 2, 2, 1f, xs, 0, new float[5], 0, new int[] {0, 2}, 0, 2));
    assertThrows(IndexOutOfBoundsException.class,
        () -> VectorKernels.lowRankAddRows(a, 0, bt, 0, 1, 2, 2, 1f, xs, 2, ys, 0, new int[] {0, 2}, 0, 2));
    assertThrows(IndexOutOfBoundsException.class,
        () -> VectorKernels.lowRankAddRows(a, 0, bt, 0, 1, 2, 2, 1f, xs, -1, ys, 0, new int[] {1}, 0, 1));
    assertArrayEquals(before, ys);
  }
}
