package io.github.edgenet.lora.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.lora.LoraScaling;
import io.github.edgenet.lora.MicroLora;
import io.github.edgenet.lora.WeightFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link QuantizedLora}: the block kernels add no error of their own (forward equals the f32
 * forward over the dequantized weights to relative 1e-5), the integer path equals exact integer
 * math, the format's own error is measured and reported, and bad arguments are rejected. Every
 * case is seeded; the seed is in the test name and in every failure message.
 */
class QuantizedLoraTest {

  static Stream<Arguments> shapes() {
    int[][] dims = {{1, 1}, {17, 5}, {31, 33}, {32, 32}, {64, 100}, {100, 257}, {257, 64}, {1000, 31}, {4097, 17},
        {64, 96}, {256, 32}};
    int[] ranks = {1, 2, 3, 16};
    List<Arguments> args = new ArrayList<>();
    long seed = 100;
    for (WeightFormat f : new WeightFormat[] {WeightFormat.Q8_0, WeightFormat.Q4_0}) {
      for (int[] d : dims) {
        args.add(Arguments.of(f, d[0], d[1], ranks[(int) (seed % ranks.length)], seed++));
      }
    }
    return args.stream();
  }

  static float[] gaussian(RandomSource r, int n, double sigma) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (sigma * r.nextGaussian());
    }
    return v;
  }

  /** A trained-looking adapter: Gaussian A at Kaiming scale and a non-zero Gaussian B. */
  static MicroLora trained(RandomSource r, int in, int out, int rank) {
    return MicroLora.ofWeights(in, out, rank, 2f * rank, LoraScaling.STANDARD,
        gaussian(r, rank * in, 1 / Math.sqrt(in)), gaussian(r, rank * out, 0.05));
  }

  @ParameterizedTest(name = "{0} {1}->{2} rank {3} seed={4}")
  @MethodSource("shapes")
  void blockForwardEqualsF32ForwardOverDequantizedWeights(
      WeightFormat format, int in, int out, int rank, long seed) {
    RandomSource r = RandomSource.seeded(seed);
    MicroLora source = trained(r, in, out, rank);
    QuantizedLora q = QuantizedLora.quantize(source, format);
    MicroLora deq = q.dequantize();
    assertEquals(format, q.format());
    assertEquals(source.scale(), q.scale());
    assertEquals(format.bytesFor(rank, in) + format.bytesFor(rank, out), q.weightBytes());

    float[] aw = new float[rank * in];
    float[] btw = new float[rank * out];
    deq.viewA().get(aw);
    deq.viewBTransposed().get(btw);
    // 6 vectors: one pass of the four-vector kernel (whole-block shapes) and two single ones.
    int batch = 6;
    float[] xs = gaussian(r, batch * in, 1);
    float[] y0 = gaussian(r, batch * out, 1);
    float[] single = y0.clone();
    float[] batched = y0.clone();
    float[] listed = y0.clone();
    for (int b = 0; b < batch; b++) {
      q.forward(xs, b * in, single, b * out);
    }
    q.forwardBatch(xs, 0, batched, 0, batch);
    q.forwardRows(xs, 0, listed, 0, new int[] {-7, 5, 0, 3, 1, 4, 2}, 1, batch); // any order
    for (float[] got : new float[][] {single, batched, listed}) {
      assertKernelErrorIsRounding(q, aw, btw, xs, y0, got, in, out, rank, batch, seed);
    }
  }

  /** {@code got} = {@code y0} + the f32 forward over the dequantized weights, to float rounding. */
  private static void assertKernelErrorIsRounding(QuantizedLora q, float[] aw, float[] btw,
      float[] xs, float[] y0, float[] got, int in, int out, int rank, int batch, long seed) {
    double errSq = 0, refSq = 0;
    for (int b = 0; b < batch; b++) {
      double[] h = new double[rank];
      double[] hAbs = new double[rank];
      for (int k = 0; k < rank; k++) {
        for (int i = 0; i < in; i++) {
          double p = (double) aw[k * in + i] * xs[b * in + i];
          h[k] += p;
          hAbs[k] += Math.abs(p);
        }
      }
      for (int o = 0; o < out; o++) {
        double ref = y0[b * out + o], abs = Math.abs(ref);
        for (int k = 0; k < rank; k++) {
          ref += q.scale() * h[k] * btw[k * out + o];
          abs += Math.abs(q.scale() * hAbs[k] * btw[k * out + o]);
        }
        double value = got[b * out + o];
        assertEquals(ref, value, 1e-5 * abs + 1e-30, "seed " + seed + " vector " + b + " output " + o);
        errSq += (value - ref) * (value - ref);
        refSq += ref * ref;
      }
    }
    assertTrue(refSq == 0 || Math.sqrt(errSq / refSq) < 1e-5,
        "seed " + seed + ": relative L2 of the kernels' own error " + Math.sqrt(errSq / refSq));
  }

  @ParameterizedTest(name = "{0} {1}->{2} rank {3} seed={4}")
  @MethodSource("shapes")
  void integerPathEqualsExactIntegerMath(WeightFormat format, int in, int out, int rank, long seed) {
    RandomSource r = RandomSource.seeded(seed).derive("int8");
    QuantizedLora q = QuantizedLora.quantize(trained(r, in, out, rank), format);
    float[] x = gaussian(r, in, 1);
    QuantizedVector xq = new QuantizedVector(in);
    assertSame(xq, xq.quantize(x, 0));
    // The activation quantizer is ggml's quantize_row_q8_0_ref, block for block.
    byte[] ggml = QuantizedMatrix.quantize(x, 1, in, WeightFormat.Q8_0).toGgml();
    int blocks = (in + 31) / 32;
    for (int b = 0; b < blocks; b++) {
      assertEquals((short) ((ggml[b * 34] & 0xFF) | (ggml[b * 34 + 1] << 8)), xq.scales()[b]);
      for (int j = 0; j < 32; j++) {
        assertEquals(ggml[b * 34 + 2 + j], xq.quants()[b * 32 + j], "seed " + seed);
      }
    }

    float[] y0 = gaussian(r, out + 2, 1);
    float[] y = y0.clone();
    q.forward(xq, y, 1);
    // Exact reference: integer block sums, d_w * d_x (exact in float), then Bt in double.
    QuantizedMatrix a = q.a();
    float[] bt = q.bTransposed().dequantize();
    double[] h = new double[rank];
    double[] hAbs = new double[rank];
    for (int k = 0; k < rank; k++) {
      for (int b = 0; b < blocks; b++) {
        long s = 0, sAbs = 0;
        for (int j = 0; j < 32; j++) {
          long p = (long) weightCode(a, k, b, j) * xq.quants()[b * 32 + j];
          s += p;
          sAbs += Math.abs(p);
        }
        double c = Float.float16ToFloat(a.scales()[k * a.blocksPerRow() + b]) * Float.float16ToFloat(xq.scales()[b]);
        h[k] += s * c;
        hAbs[k] += sAbs * Math.abs(c);
      }
    }
    for (int o = 0; o < out; o++) {
      double ref = y0[1 + o], abs = Math.abs(ref);
      for (int k = 0; k < rank; k++) {
        ref += q.scale() * h[k] * bt[k * out + o];
        abs += Math.abs(q.scale() * hAbs[k] * bt[k * out + o]);
      }
      assertEquals(ref, y[1 + o], 1e-5 * abs + 1e-30, "seed " + seed + " output " + o);
    }
    assertEquals(y0[0], y[0]);
    assertEquals(y0[out + 1], y[out + 1]);
  }

  static int weightCode(QuantizedMatrix m, int row, int block, int j) {
    int blockIndex = row * m.blocksPerRow() + block;
    if (m.format() == WeightFormat.Q8_0) {
      return m.quants()[blockIndex * 32 + j];
    }
    int packed = m.quants()[blockIndex * 16 + (j & 15)];
    return (j < 16 ? packed & 0x0F : (packed >>> 4) & 0x0F) - 8;
  }

  @Test
  void formatErrorOfTheAdapterIsMeasuredAndReported() {
    // The error a host sees: the quantized adapter's update against the f32 adapter's, on random
    // inputs, relative L2. Per factor the format costs ~0.5% (Q8_0) and ~9% (Q4_0); the product
    // of two quantized factors and, on the integer path, a quantized input add up.
    RandomSource r = RandomSource.seeded(2024);
    int in = 1024, out = 1024, rank = 8;
    MicroLora f32 = trained(r, in, out, rank);
    float[] x = gaussian(r, in, 1);
    float[] ref = new float[out];
    f32.forward(x, ref);
    for (WeightFormat format : new WeightFormat[] {WeightFormat.Q8_0, WeightFormat.Q4_0}) {
      QuantizedLora q = QuantizedLora.quantize(f32, format);
      float[] y = new float[out];
      q.forward(x, y);
      float[] yi = new float[out];
      q.forward(new QuantizedVector(in).quantize(x, 0), yi, 0);
      double rel = relativeL2(ref, y), relInt = relativeL2(ref, yi);
      System.out.printf("%s adapter (%d->%d rank %d): update error %.3f%% (f32 input), %.3f%% (8-bit input); "
              + "%d bytes vs %d f32 (%.2fx less)%n",
          format, in, out, rank, 100 * rel, 100 * relInt, q.weightBytes(), f32.weightBytes(),
          (double) f32.weightBytes() / q.weightBytes());
      if (format == WeightFormat.Q8_0) {
        assertTrue(rel > 0.002 && rel < 0.015, "Q8_0 " + rel);
        assertTrue(relInt > 0.002 && relInt < 0.02, "Q8_0 int8 " + relInt);
      } else {
        assertTrue(rel > 0.03 && rel < 0.2, "Q4_0 " + rel);
        assertTrue(relInt > 0.03 && relInt < 0.2, "Q4_0 int8 " + relInt);
      }
    }
  }

  static double relativeL2(float[] ref, float[] got) {
    double e = 0, n = 0;
    for (int i = 0; i < ref.length; i++) {
      e += (got[i] - ref[i]) * (double) (got[i] - ref[i]);
      n += (double) ref[i] * ref[i];
    }
    return Math.sqrt(e / n);
  }

  @Test
  void dequantizeRoundTripsAndKeepsTheConfiguration() {
    RandomSource r = RandomSource.seeded(7);
    MicroLora source = MicroLora.ofWeights(100, 70, 3, 5f, LoraScaling.RANK_STABILIZED,
        gaussian(r, 300, 0.1), gaussian(r, 210, 0.1));
    for (WeightFormat f : new WeightFormat[] {WeightFormat.Q8_0, WeightFormat.Q4_0}) {
      QuantizedLora q = QuantizedLora.quantize(source, f);
      MicroLora back = q.dequantize();
      assertEquals(source.alpha(), back.alpha());
      assertEquals(source.scaling(), back.scaling());
      assertEquals(source.scale(), back.scale());
      assertArrayEquals(back.deltaWeight(), q.deltaWeight());
      // Quantizing the dequantized adapter gives the same blocks again.
      QuantizedLora again = QuantizedLora.quantize(back, f);
      assertArrayEquals(q.a().toGgml(), again.a().toGgml());
      assertArrayEquals(q.bTransposed().toGgml(), again.bTransposed().toGgml());
      assertTrue(q.toString().contains(f.toString()));
    }
    // A fresh MicroLora (B = 0) stays an exact no-op when quantized.
    MicroLora fresh = MicroLora.builder(64, 48).rank(4).seed(1).build();
    float[] x = gaussian(r, 64, 1), y = gaussian(r, 48, 1), before = y.clone();
    QuantizedLora.quantize(fresh, WeightFormat.Q4_0).forward(x, y);
    assertArrayEquals(before, y);
  }

  @Test
  void memoryMatchesGgmlAtTheBenchmarkShape() {
    MicroLora f32 = MicroLora.builder(4096, 4096).rank(16).seed(3).build();
    QuantizedLora q8 = QuantizedLora.quantize(f32, WeightFormat.Q8_0);
    QuantizedLora q4 = QuantizedLora.quantize(f32, WeightFormat.Q4_0);
    assertEquals(2L * 16 * 4096 * 4, f32.weightBytes());
    assertEquals(2L * 16 * 128 * 34, q8.weightBytes()); // 139,264 bytes: 3.76x less
    assertEquals(2L * 16 * 128 * 18, q4.weightBytes()); // 73,728 bytes: 7.1x less
  }

  @Test
  void badArgumentsAreRejectedAndNothingIsWritten() {
    RandomSource r = RandomSource.seeded(9);
    MicroLora f32 = trained(r, 40, 30, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> QuantizedLora.quantize(f32, WeightFormat.F32));
    assertTrue(e.getMessage().contains("F32"), e.getMessage());
    assertThrows(NullPointerException.class, () -> QuantizedLora.quantize(null, WeightFormat.Q8_0));
    QuantizedLora q = QuantizedLora.quantize(f32, WeightFormat.Q8_0);
    float[] y = new float[30];
    assertThrows(IndexOutOfBoundsException.class, () -> q.forward(new float[39], 0, y, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> q.forward(new float[40], 0, y, 1));
    assertThrows(IllegalArgumentException.class, () -> q.forward(new float[40], new float[31]));
    e = assertThrows(IllegalArgumentException.class, () -> q.forwardBatch(new float[40], 0, y, 0, -1));
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> q.forwardBatch(new float[80], 0, new float[59], 0, 2));
    e = assertThrows(IllegalArgumentException.class, () -> q.forward(new QuantizedVector(41), y, 0));
    assertTrue(e.getMessage().contains("41"), e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> q.forward(new QuantizedVector(40), y, 1));
    assertThrows(IndexOutOfBoundsException.class, () -> new QuantizedVector(40).quantize(new float[39], 0));
    assertArrayEquals(new float[30], y, "nothing written");
  }
}
