package io.github.edgenet.core.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The public facade: llama.cpp's quantizers on hand-computed blocks (ggml-quants.c
 * {@code quantize_row_q8_0_ref}, {@code quantize_row_q4_0_ref}), and argument checking. The
 * kernels themselves are checked against exact references in {@code BlockKernelDifferentialTest}.
 */
class QuantizedKernelsTest {

  static short h(int bits) {
    return (short) bits;
  }

  @Test
  void blocksRoundUp() {
    assertEquals(0, QuantizedKernels.blocks(0));
    assertEquals(1, QuantizedKernels.blocks(1));
    assertEquals(1, QuantizedKernels.blocks(32));
    assertEquals(2, QuantizedKernels.blocks(33));
    assertEquals(67_108_864, QuantizedKernels.blocks(Integer.MAX_VALUE));
    assertThrows(IllegalArgumentException.class, () -> QuantizedKernels.blocks(-1));
  }

  @Test
  void q8_0RoundsHalvesAwayFromZeroWithTheUnroundedReciprocal() {
    // amax = 2: d = 2/127 (float), 1/d = 63.5 exactly; the half-float scale is 0x2408.
    float[] x = {-1f, 2f, 0.5f};
    byte[] q = new byte[32];
    Arrays.fill(q, (byte) 55);
    short[] d = new short[1];
    QuantizedKernels.quantizeQ8_0(x, 0, 3, q, 0, d, 0);
    assertEquals(h(0x2408), d[0]);
    byte[] expected = new byte[32];
    expected[0] = -64; // roundf(-63.5) = -64 (Java's Math.round would give -63)
    expected[1] = 127;
    expected[2] = 32; // 31.75
    assertArrayEquals(expected, q, "codes, padding zero");
    float[] back = new float[3];
    QuantizedKernels.dequantizeQ8_0(q, 0, d, 0, back, 0, 3);
    float s = Float.float16ToFloat(h(0x2408)); // 0.01574707
    assertArrayEquals(new float[] {-64 * s, 127 * s, 32 * s}, back);
  }

  @Test
  void q8_0ScaleIsRoundedToHalfPrecisionButCodesAreNot() {
    float[] x = new float[32];
    x[0] = 1f; // d = 1/127 = 0.007874016 -> half 0x2008 = 0.00787353515625
    byte[] q = new byte[32];
    short[] d = new short[1];
    QuantizedKernels.quantizeQ8_0(x, 0, 32, q, 0, d, 0);
    assertEquals(h(0x2008), d[0]);
    assertEquals(127, q[0]);
    float[] back = new float[32];
    QuantizedKernels.dequantizeQ8_0(q, 0, d, 0, back, 0, 32);
    assertEquals(0.99993896484375f, back[0]);
  }

  @Test
  void allZeroBlocksHaveZeroScaleAndZeroValues() {
    float[] x = new float[40];
    x[1] = -0f;
    byte[] q8 = new byte[64];
    Arrays.fill(q8, (byte) 1);
    short[] d8 = {7, 7};
    QuantizedKernels.quantizeQ8_0(x, 0, 40, q8, 0, d8, 0);
    assertArrayEquals(new short[] {0, 0}, d8, "Q8_0: d = 0/127 = +0");
    assertArrayEquals(new byte[64], q8);

    byte[] q4 = new byte[32];
    short[] d4 = new short[2];
    QuantizedKernels.quantizeQ4_0(x, 0, 40, q4, 0, d4, 0);
    // ggml: max = 0, d = 0 / -8 = -0.0, stored as half 0x8000; codes (int) (0 + 8.5) = 8.
    assertArrayEquals(new short[] {h(0x8000), h(0x8000)}, d4);
    byte[] eights = new byte[32];
    Arrays.fill(eights, (byte) 0x88);
    assertArrayEquals(eights, q4);
    float[] back = new float[40];
    Arrays.fill(back, 3f);
    QuantizedKernels.dequantizeQ4_0(q4, 0, d4, 0, back, 0, 40);
    for (float v : back) {
      assertEquals(0f, v, 0f);
    }
  }

  @Test
  void q4_0NibbleLayoutSignedMaxAndClipping() {
    float[] x = new float[32];
    x[0] = -4f; // largest magnitude, negative: d = -4 / -8 = 0.5, 1/d = 2
    x[1] = 2f; // 2*2 + 8.5 = 12.5 -> 12
    x[2] = 1f; // 10.5 -> 10
    x[3] = 3.9f; // 16.3 -> 16 -> clipped to 15 (value 3.5)
    x[16] = 4f; // same magnitude as x[0] but later: not the max; 16.5 -> 15 (value 3.5)
    x[31] = -1f; // -2 + 8.5 = 6.5 -> 6
    byte[] q = new byte[16];
    short[] d = new short[1];
    QuantizedKernels.quantizeQ4_0(x, 0, 32, q, 0, d, 0);
    assertEquals(h(0x3800), d[0], "half 0.5");
    byte[] expected = new byte[16];
    Arrays.fill(expected, (byte) 0x88);
    expected[0] = (byte) 0xF0; // element 0 low (code 0), element 16 high (code 15)
    expected[1] = (byte) 0x8C;
    expected[2] = (byte) 0x8A;
    expected[3] = (byte) 0x8F;
    expected[15] = (byte) 0x68; // element 15 low (8), element 31 high (6)
    assertArrayEquals(expected, q);
    float[] back = new float[32];
    QuantizedKernels.dequantizeQ4_0(q, 0, d, 0, back, 0, 32);
    assertEquals(-4f, back[0]);
    assertEquals(2f, back[1]);
    assertEquals(1f, back[2]);
    assertEquals(3.5f, back[3]);
    assertEquals(3.5f, back[16]);
    assertEquals(-1f, back[31]);
  }

  @Test
  void q4_0PositiveMaxGivesNegativeScale() {
    float[] x = {4f, 0f, 0f, 0f, 0f, -4f, 1f};
    byte[] q = new byte[16];
    short[] d = new short[1];
    QuantizedKernels.quantizeQ4_0(x, 0, x.length, q, 0, d, 0);
    assertEquals(h(0xB800), d[0], "d = 4 / -8 = -0.5");
    assertEquals(0, q[0] & 0x0F, "max maps to code 0, value -8 * -0.5 = 4");
    assertEquals(15, q[5] & 0x0F, "-4 * -2 + 8.5 = 16.5 clips to 15, value -3.5");
    assertEquals(6, q[6] & 0x0F, "1 * -2 + 8.5 = 6.5 -> 6, value 1");
    assertEquals(8, (q[6] >>> 4) & 0x0F, "padding element 22 is zero: code 8");
    float[] back = new float[x.length];
    QuantizedKernels.dequantizeQ4_0(q, 0, d, 0, back, 0, x.length);
    // Zeros come back as (8 - 8) * -0.5 = -0.0, as in ggml.
    assertArrayEquals(new float[] {4f, -0f, -0f, -0f, -0f, -3.5f, 1f}, back);
  }

  @Test
  void quantizersRejectNonFiniteAndOverflowingInputNamingTheElement() {
    byte[] q = new byte[64];
    short[] d = new short[2];
    float[] x = new float[40];
    x[35] = Float.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> QuantizedKernels.quantizeQ8_0(x, 0, 40, q, 0, d, 0));
    assertTrue(e.getMessage().contains("x[35]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> QuantizedKernels.quantizeQ4_0(x, 0, 40, q, 0, d, 0));
    assertTrue(e.getMessage().contains("x[35]"), e.getMessage());
    float[] big = new float[32];
    big[3] = 1e7f; // 1e7 / 127 > 65504: the half-float scale overflows
    e = assertThrows(IllegalArgumentException.class,
        () -> QuantizedKernels.quantizeQ8_0(big, 0, 32, q, 0, d, 0));
    assertTrue(e.getMessage().contains("half-float"), e.getMessage());
    big[3] = 6e5f; // fits Q8_0 (6e5 / 127), not Q4_0 (6e5 / 8)
    QuantizedKernels.quantizeQ8_0(big, 0, 32, q, 0, d, 0);
    assertThrows(IllegalArgumentException.class,
        () -> QuantizedKernels.quantizeQ4_0(big, 0, 32, q, 0, d, 0));
  }

  @Test
  void rangesAreCheckedBeforeAnythingIsWritten() {
    byte[] q8 = new byte[64];
    byte[] q4 = new byte[32];
    short[] d = new short[2];
    float[] x = new float[64];
    float[] y = new float[64];
    Arrays.fill(y, 1f);
    // n = 33 needs two blocks: 64 quant bytes for Q8_0, 32 for Q4_0, two scales.
    assertThrows(IndexOutOfBoundsException.class, () -> QuantizedKernels.dotQ8_0(q8, 1, d, 0, x, 0, 33));
    assertThrows(IndexOutOfBoundsException.class, () -> QuantizedKernels.dotQ4_0(q4, 0, d, 1, x, 0, 33));
    assertThrows(IndexOutOfBoundsException.class, () -> QuantizedKernels.dotQ8_0(q8, 0, d, 0, x, 32, 33));
    assertThrows(IndexOutOfBoundsException.class,
        () -> QuantizedKernels.axpyQ8_0(1f, q8, 0, d, 0, y, 40, 33));
    assertThrows(IndexOutOfBoundsException.class,
        () -> QuantizedKernels.axpyQ4_0(1f, q8, 0, new short[1], 0, y, 0, 33));
    assertThrows(IndexOutOfBoundsException.class,
        () -> QuantizedKernels.dotQ8_0Q8_0(q8, 0, d, 0, q4, 0, d, 0, 33));
    assertThrows(IndexOutOfBoundsException.class,
        () -> QuantizedKernels.dotQ4_0Q8_0(q4, 0, d, 0, q8, 1, d, 0, 33));
    assertThrows(IndexOutOfBoundsException.class,
        () -> QuantizedKernels.quantizeQ8_0(x, 0, 33, q4, 0, d, 0));
    assertThrows(IndexOutOfBoundsException.class,
        () -> QuantizedKernels.quantizeQ4_0(x, 0, 65, q8, 0, new short[3], 0));
    assertThrows(IndexOutOfBoundsException.class,
        () -> QuantizedKernels.dequantizeQ8_0(q8, 0, d, 0, y, 63, 2));
    assertThrows(IndexOutOfBoundsException.class,
        () -> QuantizedKernels.dequantizeQ4_0(q4, -1, d, 0, y, 0, 2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> QuantizedKernels.dotQ8_0(q8, 0, d, 0, x, 0, -1));
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
    float[] ones = new float[64];
    Arrays.fill(ones, 1f);
    assertArrayEquals(ones, y, "nothing written");
    assertArrayEquals(new byte[64], q8);
    assertArrayEquals(new short[2], d);
  }

  @Test
  void emptyRowsAreFine() {
    assertEquals(0f, QuantizedKernels.dotQ8_0(new byte[0], 0, new short[0], 0, new float[0], 0, 0));
    assertEquals(0f, QuantizedKernels.dotQ4_0Q8_0(new byte[0], 0, new short[0], 0, new byte[0], 0, new short[0], 0, 0));
    QuantizedKernels.quantizeQ8_0(new float[0], 0, 0, new byte[0], 0, new short[0], 0);
  }
  @Test
  void fusedLowRankAddChecksItsFactorsAndSlices() {
    // rank 2, 40 -> 33: A has 2 x 2 blocks, Bt 2 x 2 blocks.
    byte[] aq = new byte[4 * 32];
    short[] ad = new short[4];
    byte[] bq = new byte[4 * 32];
    short[] bd = new short[4];
    float[] x = new float[40];
    float[] y = new float[33];
    QuantizedKernels.lowRankAddQ8_0(aq, ad, bq, bd, 2, 40, 33, 1f, x, 0, y, 0);
    assertThrows(IndexOutOfBoundsException.class,
        () -> QuantizedKernels.lowRankAddQ8_0(aq, ad, bq, bd, 3, 40, 33, 1f, x, 0, y, 0));
    assertThrows(IndexOutOfBoundsException.class,
        () -> QuantizedKernels.lowRankAddQ8_0(aq, new short[3], bq, bd, 2, 40, 33, 1f, x, 0, y, 0));
    assertThrows(IndexOutOfBoundsException.class,
        () -> QuantizedKernels.lowRankAddQ4_0(aq, ad, new byte[63], bd, 2, 40, 33, 1f, x, 0, y, 0));
    assertThrows(IndexOutOfBoundsException.class,
        () -> QuantizedKernels.lowRankAddQ4_0(aq, ad, bq, bd, 2, 40, 33, 1f, x, 1, y, 0));
    assertThrows(IndexOutOfBoundsException.class,
        () -> QuantizedKernels.lowRankAddQ8_0(aq, ad, bq, bd, 2, 40, 33, 1f, x, 0, y, 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> QuantizedKernels.lowRankAddQ8_0(aq, ad, bq, bd, -2, 40, 33, 1f, x, 0, y, 0));
    assertTrue(e.getMessage().contains("-2"), e.getMessage());
  }

  @Test
  void matrixTimesBatchChecksItsMatrixAndSlicesBeforeWriting() {
    // 3 rows of 40 weights (2 blocks each), Q8_0 codes 1 with scale 1: every output is the sum of
    // its vector; two vectors, the second all 2s.
    byte[] q8 = new byte[3 * 2 * 32];
    byte[] q4 = new byte[3 * 2 * 16];
    Arrays.fill(q8, (byte) 1);
    short[] d = new short[6];
    Arrays.fill(d, Float.floatToFloat16(1f));
    float[] xs = new float[80];
    Arrays.fill(xs, 40, 80, 2f);
    float[] ys = new float[6];
    QuantizedKernels.gemvBatchQ8_0(q8, d, 3, 40, xs, 0, 2, ys, 0);
    assertArrayEquals(new float[] {0, 0, 0, 80, 80, 80}, ys);
    float[] before = ys.clone();
    assertThrows(IndexOutOfBoundsException.class,
        () -> QuantizedKernels.gemvBatchQ8_0(new byte[191], d, 3, 40, xs, 0, 2, ys, 0));
    assertThrows(IndexOutOfBoundsException.class,
        () -> QuantizedKernels.gemvBatchQ4_0(q4, new short[5], 3, 40, xs, 0, 2, ys, 0));
    assertThrows(IndexOutOfBoundsException.class,
        () -> QuantizedKernels.gemvBatchQ8_0(q8, d, 3, 40, xs, 1, 2, ys, 0));
    assertThrows(IndexOutOfBoundsException.class,
        () -> QuantizedKernels.gemvBatchQ4_0(q4, d, 3, 40, xs, 0, 2, ys, 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> QuantizedKernels.gemvBatchQ8_0(q8, d, 3, 40, xs, 0, -1, ys, 0));
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> QuantizedKernels.gemvBatchQ4_0(q4, d, -3, 40, xs, 0, 2, ys, 0));
    assertTrue(e.getMessage().contains("-3"), e.getMessage());
    assertArrayEquals(before, ys);
  }

  @Test
  void transposedProductIntoBatchChecksEverythingBeforeWriting() {
    // 3 rows of 40 weights (2 blocks each), Q8_0 codes 1 with scale 1: output c of vector b gains
    // the sum of vector b's three coefficients; two vectors with coefficients (1, 2, 3) and 0s.
    byte[] q8 = new byte[3 * 2 * 32];
    byte[] q4 = new byte[3 * 2 * 16];
    Arrays.fill(q8, (byte) 1);
    short[] d = new short[6];
    Arrays.fill(d, Float.floatToFloat16(1f));
    float[] gs = {1, 2, 3, 0, 0, 0};
    float[] ys = new float[80];
    Arrays.fill(ys, 1f);
    QuantizedKernels.gemvTransposedAddBatchQ8_0(q8, d, 3, 40, gs, 0, 2, ys, 0);
    for (int c = 0; c < 80; c++) {
      assertEquals(c < 40 ? 7f : 1f, ys[c], "output " + c);
    }
    float[] before = ys.clone();
    assertThrows(IndexOutOfBoundsException.class,
        () -> QuantizedKernels.gemvTransposedAddBatchQ8_0(new byte[191], d, 3, 40, gs, 0, 2, ys, 0));
    assertThrows(IndexOutOfBoundsException.class,
        () -> QuantizedKernels.gemvTransposedAddBatchQ4_0(q4, new short[5], 3, 40, gs, 0, 2, ys, 0));
    assertThrows(IndexOutOfBoundsException.class,
        () -> QuantizedKernels.gemvTransposedAddBatchQ8_0(q8, d, 3, 40, gs, 1, 2, ys, 0));
    assertThrows(IndexOutOfBoundsException.class,
        () -> QuantizedKernels.gemvTransposedAddBatchQ4_0(q4, d, 3, 40, gs, 0, 2, ys, 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> QuantizedKernels.gemvTransposedAddBatchQ8_0(q8, d, 3, 40, gs, 0, -1, ys, 0));
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
    assertArrayEquals(before, ys);
  }

  @Test
  void batchesAndRowListsCheckEverythingBeforeWriting() {
    // rank 1, 32 -> 32, Q8_0: A = all ones (scale 1), Bt = all twos (scale 1); rows of xs and ys
    // are 32 floats wide. Row r of xs holds r + 1 everywhere, so A x = 32 (r + 1).
    byte[] aq = new byte[32];
    byte[] bq = new byte[32];
    Arrays.fill(aq, (byte) 1);
    Arrays.fill(bq, (byte) 2);
    short[] ad = {Float.floatToFloat16(1f)};
    short[] bd = {Float.floatToFloat16(1f)};
    float[] xs = new float[5 * 32];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = i / 32 + 1;
    }
    float[] ys = new float[5 * 32];
    QuantizedKernels.lowRankAddRowsQ8_0(aq, ad, bq, bd, 1, 32, 32, 0.5f, xs, 0, ys, 0, new int[] {4, 0, 2}, 0, 3);
    for (int r = 0; r < 5; r++) {
      float expected = r % 2 == 0 ? 0.5f * 32 * (r + 1) * 2 : 0f; // rows 0, 2, 4 listed
      assertEquals(expected, ys[r * 32], "row " + r);
      assertEquals(expected, ys[r * 32 + 31], "row " + r);
    }
    float[] batch = new float[5 * 32];
    QuantizedKernels.lowRankAddBatchQ8_0(aq, ad, bq, bd, 1, 32, 32, 0.5f, xs, 32, batch, 0, 4);
    assertEquals(0.5f * 32 * 2 * 2, batch[0], "batch row 0 reads xs row 1");
    assertEquals(0.5f * 32 * 5 * 2, batch[3 * 32], "batch row 3 reads xs row 4");
    assertEquals(0f, batch[4 * 32], "past the batch");

    float[] before = ys.clone();
    assertThrows(IndexOutOfBoundsException.class, () -> QuantizedKernels.lowRankAddRowsQ8_0(
        aq, ad, bq, bd, 1, 32, 32, 1f, xs, 0, ys, 0, new int[] {0, -1, 1}, 0, 3));
    assertThrows(IndexOutOfBoundsException.class, () -> QuantizedKernels.lowRankAddRowsQ4_0(
        aq, ad, bq, bd, 1, 32, 32, 1f, xs, 0, ys, 0, new int[] {1, 5, 0}, 0, 3));
    assertThrows(IndexOutOfBoundsException.class, () -> QuantizedKernels.lowRankAddRowsQ8_0(
        aq, ad, bq, bd, 1, 32, 32, 1f, xs, 0, new float[4 * 32], 0, new int[] {0, 4}, 0, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> QuantizedKernels.lowRankAddRowsQ8_0(
        aq, ad, bq, bd, 1, 32, 32, 1f, xs, 0, ys, 0, new int[] {0}, 1, 1));
    assertThrows(IndexOutOfBoundsException.class, () -> QuantizedKernels.lowRankAddBatchQ8_0(
        aq, ad, bq, bd, 1, 32, 32, 1f, xs, 32, ys, 0, 5));
    assertThrows(IndexOutOfBoundsException.class, () -> QuantizedKernels.lowRankAddBatchQ4_0(
        aq, ad, bq, bd, 2, 32, 32, 1f, xs, 0, ys, 0, 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        QuantizedKernels.lowRankAddBatchQ8_0(aq, ad, bq, bd, 1, 32, 32, 1f, xs, 0, ys, 0, -3));
    assertTrue(e.getMessage().contains("-3"), e.getMessage());
    assertArrayEquals(before, ys);
  }
}
