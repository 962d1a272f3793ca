package io.github.edgenet.lora.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.lora.WeightFormat;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Block quantization of whole matrices against llama.cpp: ggml's own acceptance test on its
 * reference data ({@code tests/test-quantize-fns.cpp}), the measured error of each format on
 * Gaussian weights, and ggml's byte layout.
 */
class QuantizedMatrixTest {

  /**
   * ggml's {@code generate_data}: {@code dst[i] = 0.1 + amplitude * cosf(i + offset)}, the sum
   * formed in double (0.1 is a double literal) and stored as float.
   */
  static float[] ggmlData(float offset, int n, float amplitude) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      float c = (float) Math.cos((float) i + offset);
      v[i] = (float) (0.1 + (double) (amplitude * c));
    }
    return v;
  }

  /** ggml's {@code array_rmse}, which despite its name is {@code sqrt(sum diff^2) / n}. */
  static double ggmlTotalError(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      sum += d * d;
    }
    return Math.sqrt(sum) / a.length;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = WeightFormat.class, names = {"Q8_0", "Q4_0"})
  void ggmlReferenceDataQuantizationAndDotProductErrors(WeightFormat format) {
    // test-quantize-fns.cpp: test_size = 32 * 128; MAX_QUANTIZATION_TOTAL_ERROR = 0.002;
    // MAX_DOT_PRODUCT_ERROR = 0.02 for |vec_dot(q(data1), q8_0(data2)) - dot(data1, data2)| / n.
    int n = 32 * 128;
    float[] data = ggmlData(0f, n, 2f);
    float[] data2 = ggmlData(1f, n, 2f);
    QuantizedMatrix q = QuantizedMatrix.quantize(data, 1, n, format);
    double total = ggmlTotalError(data, q.dequantize());
    System.out.printf("%s ggml reference data: total quantization error %.6f (ggml limit 0.002)%n", format, total);
    assertTrue(total < 0.002, format + " total error " + total);

    double ref = 0;
    for (int i = 0; i < n; i++) {
      ref += data[i] * data2[i]; // float products summed in double, as ggml's dot_product
    }
    QuantizedVector x = new QuantizedVector(n).quantize(data2, 0);
    double intDotError = Math.abs(q.dotRow(0, x) - ref) / n;
    double f32DotError = Math.abs(q.dotRow(0, data2, 0) - ref) / n;
    System.out.printf("%s ggml reference data: dot error int8 path %.6f, f32 path %.6f (ggml limit 0.02)%n",
        format, intDotError, f32DotError);
    assertTrue(intDotError < 0.02, format + " int8 dot error " + intDotError);
    assertTrue(f32DotError < 0.02, format + " f32 dot error " + f32DotError);
    // The integer path's result is exactly what ggml_vec_dot_*_q8_0 defines over the same codes.
    float[] xd = new float[n];
    x.dequantize(xd, 0);
    assertEquals(q.dotRow(0, xd, 0), q.dotRow(0, x), 1e-5 * n * 4);
  }

  @ParameterizedTest(name = "{0} seed={1}")
  @CsvSource({"Q8_0, 11", "Q8_0, 12", "Q4_0, 11", "Q4_0, 12"})
  void formatErrorOnGaussianWeightsIsWhatTheFormatCosts(WeightFormat format, long seed) {
    RandomSource r = RandomSource.seeded(seed);
    int rows = 16, cols = 4096;
    float[] w = new float[rows * cols];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (0.02 * r.nextGaussian());
    }
    float[] back = QuantizedMatrix.quantize(w, rows, cols, format).dequantize();
    double err = 0, norm = 0;
    for (int i = 0; i < w.length; i++) {
      double d = w[i] - back[i];
      err += d * d;
      norm += (double) w[i] * w[i];
    }
    double rel = Math.sqrt(err / norm);
    System.out.printf("%s on Gaussian weights (seed %d): relative L2 error %.4f%%%n", format, seed, 100 * rel);
    // Expected: uniform rounding error d/sqrt(12) with d = amax/127 (Q8_0) or amax/8 (Q4_0) and
    // amax of 32 Gaussians about 2.1 sigma: ~0.5% and ~8%, plus Q4_0's clipping at +7d.
    if (format == WeightFormat.Q8_0) {
      assertTrue(rel > 0.003 && rel < 0.007, "seed " + seed + ": " + rel);
    } else {
      assertTrue(rel > 0.06 && rel < 0.12, "seed " + seed + ": " + rel);
    }
  }

  @ParameterizedTest(name = "{0} {1}x{2}")
  @CsvSource({"Q8_0, 3, 1", "Q8_0, 2, 33", "Q8_0, 5, 100", "Q4_0, 3, 1", "Q4_0, 2, 33", "Q4_0, 4, 257", "Q8_0, 0, 7"})
  void memoryIsExactlyGgmlsAndTheGgmlBytesRoundTrip(WeightFormat format, int rows, int cols) {
    RandomSource r = RandomSource.seeded(rows * 1000L + cols);
    float[] w = new float[rows * cols];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) r.nextGaussian();
    }
    QuantizedMatrix q = QuantizedMatrix.quantize(w, rows, cols, format);
    assertEquals(format.bytesFor(rows, cols), q.weightBytes());
    assertEquals(rows * ((cols + 31) / 32) * (format == WeightFormat.Q8_0 ? 34 : 18), q.weightBytes());
    byte[] ggml = q.toGgml();
    assertEquals(q.weightBytes(), ggml.length);
    QuantizedMatrix back = QuantizedMatrix.fromGgml(ggml, rows, cols, format);
    assertArrayEquals(ggml, back.toGgml());
    assertArrayEquals(q.dequantize(), back.dequantize());
    // Re-quantizing dequantized weights reproduces the same blocks: the codes span the full range.
    assertArrayEquals(ggml, QuantizedMatrix.quantize(q.dequantize(), rows, cols, format).toGgml());
  }

  /**
   * A batch times the matrix equals each row's dot with each vector (to float rounding: the batch
   * kernel multiplies dequantized weights, the dot scales block sums), outputs batch-major from an
   * offset, nothing else written; a short output is refused before anything is written.
   */
  @ParameterizedTest(name = "{0} {1}x{2}")
  @CsvSource({"Q8_0, 10, 64", "Q4_0, 10, 64", "Q8_0, 3, 33", "Q4_0, 7, 256", "Q8_0, 0, 32"})
  void multiplyBatchEqualsRowDots(WeightFormat format, int rows, int cols) {
    RandomSource r = RandomSource.seeded(rows * 31L + cols);
    QuantizedMatrix q = gaussianMatrix(r, rows, cols, format);
    int batch = 6;
    float[] xs = new float[batch * cols];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = (float) r.nextGaussian();
    }
    float[] ys = new float[2 + batch * rows + 2];
    Arrays.fill(ys, 99f);
    q.multiplyBatch(xs, 0, batch, ys, 2);
    for (int b = 0; b < batch; b++) {
      for (int row = 0; row < rows; row++) {
        float dot = q.dotRow(row, xs, b * cols);
        assertEquals(dot, ys[2 + b * rows + row], 1e-5f * (1 + Math.abs(dot)) * Math.sqrt(cols),
            format + " vector " + b + " row " + row);
      }
    }
    assertEquals(99f, ys[0]);
    assertEquals(99f, ys[1]);
    assertEquals(99f, ys[ys.length - 1]);
    assertEquals(99f, ys[ys.length - 2]);
    if (rows > 0) {
      float[] shortYs = new float[batch * rows - 1];
      assertThrows(IndexOutOfBoundsException.class, () -> q.multiplyBatch(xs, 0, batch, shortYs, 0));
      assertTrue(allZero(shortYs), "nothing written");
      assertThrows(IllegalArgumentException.class, () -> q.multiplyBatch(xs, 0, -1, ys, 0));
    }
  }

  /** The transposed batch product equals addRowTo of every row by its coefficient. */
  @ParameterizedTest(name = "{0} {1}x{2}")
  @CsvSource({"Q8_0, 10, 64", "Q4_0, 10, 64", "Q8_0, 3, 33", "Q4_0, 7, 256", "Q8_0, 0, 32"})
  void multiplyTransposedAddBatchEqualsRowAxpys(WeightFormat format, int rows, int cols) {
    RandomSource r = RandomSource.seeded(rows * 37L + cols);
    QuantizedMatrix q = gaussianMatrix(r, rows, cols, format);
    int batch = 6;
    float[] gs = new float[batch * rows];
    for (int i = 0; i < gs.length; i++) {
      gs[i] = r.nextInt(4) == 0 ? 0f : (float) r.nextGaussian();
    }
    float[] start = new float[2 + batch * cols + 2];
    for (int i = 0; i < start.length; i++) {
      start[i] = (float) r.nextGaussian();
    }
    float[] expected = start.clone();
    for (int b = 0; b < batch; b++) {
      for (int row = 0; row < rows; row++) {
        q.addRowTo(row, gs[b * rows + row], expected, 2 + b * cols);
      }
    }
    float[] ys = start.clone();
    q.multiplyTransposedAddBatch(gs, 0, batch, ys, 2);
    for (int i = 0; i < ys.length; i++) {
      assertEquals(expected[i], ys[i], 1e-5f * (1 + Math.abs(expected[i])) * Math.max(1, rows),
          format + " element " + i);
    }
    assertEquals(start[0], ys[0]);
    assertEquals(start[ys.length - 1], ys[ys.length - 1]);
    if (rows > 0) {
      float[] shortYs = new float[batch * cols - 1];
      assertThrows(IndexOutOfBoundsException.class,
          () -> q.multiplyTransposedAddBatch(gs, 0, batch, shortYs, 0));
      assertTrue(allZero(shortYs), "nothing written");
    }
  }

  private static QuantizedMatrix gaussianMatrix(
      RandomSource r, int rows, int cols, WeightFormat format) {
    float[] w = new float[rows * cols];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) r.nextGaussian();
    }
    return QuantizedMatrix.quantize(w, rows, cols, format);
  }

  private static boolean allZero(float[] v) {
    for (float f : v) {
      if (f != 0f) {
        return false;
      }
    }
    return true;
  }

  @Test
  void ggmlBlockLayoutOfAHandComputedBlock() {
    float[] w = new float[32];
    w[0] = -4f; // Q4_0: d = 0.5 (half 0x3800), codes: x*2 + 8.5
    w[1] = 2f;
    w[16] = 4f;
    byte[] ggml = QuantizedMatrix.quantize(w, 1, 32, WeightFormat.Q4_0).toGgml();
    byte[] expected = new byte[18];
    expected[0] = 0x00; // scale, little-endian half 0x3800
    expected[1] = 0x38;
    Arrays.fill(expected, 2, 18, (byte) 0x88);
    expected[2] = (byte) 0xF0; // element 0 (code 0) low, element 16 (code 16 -> 15) high
    expected[3] = (byte) 0x8C; // element 1 (code 12) low, element 17 (code 8) high
    assertArrayEquals(expected, ggml);

    w[0] = 127f; // Q8_0: d = 1 (half 0x3C00), codes = values
    byte[] q8 = QuantizedMatrix.quantize(w, 1, 32, WeightFormat.Q8_0).toGgml();
    assertEquals(34, q8.length);
    assertEquals(0x00, q8[0]);
    assertEquals(0x3C, q8[1]);
    assertEquals(127, q8[2]);
    assertEquals(2, q8[3]);
    assertEquals(4, q8[2 + 16]);
  }

  @Test
  void badArgumentsAreRejectedWithTheirValues() {
    float[] w = new float[64];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> QuantizedMatrix.quantize(w, 2, 32, WeightFormat.F32));
    assertTrue(e.getMessage().contains("F32"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> QuantizedMatrix.quantize(w, 3, 32, WeightFormat.Q8_0));
    assertTrue(e.getMessage().contains("96"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> QuantizedMatrix.quantize(w, -1, 32, WeightFormat.Q8_0));
    assertThrows(IndexOutOfBoundsException.class, () -> QuantizedMatrix.quantize(w, 1, 2, 32, WeightFormat.Q4_0));
    float[] nan = w.clone();
    nan[40] = Float.NaN;
    e = assertThrows(IllegalArgumentException.class, () -> QuantizedMatrix.quantize(nan, 2, 32, WeightFormat.Q4_0));
    assertTrue(e.getMessage().contains("x[40]"), e.getMessage());

    QuantizedMatrix q = QuantizedMatrix.quantize(w, 2, 32, WeightFormat.Q8_0);
    assertThrows(IndexOutOfBoundsException.class, () -> q.dotRow(2, w, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> q.dotRow(0, w, 40));
    assertThrows(IndexOutOfBoundsException.class, () -> q.addRowTo(-1, 1f, w, 0));
    e = assertThrows(IllegalArgumentException.class, () -> q.dotRow(0, new QuantizedVector(31)));
    assertTrue(e.getMessage().contains("31"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> QuantizedMatrix.fromGgml(new byte[67], 2, 32, WeightFormat.Q8_0));
    assertTrue(e.getMessage().contains("68"), e.getMessage());
    byte[] infScale = new byte[18];
    infScale[1] = 0x7C; // half 0x7C00 = +infinity
    assertThrows(IllegalArgumentException.class, () -> QuantizedMatrix.fromGgml(infScale, 1, 32, WeightFormat.Q4_0));
    assertThrows(IllegalArgumentException.class, () -> new QuantizedVector(-1));
  }
}
