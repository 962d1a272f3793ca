package io.github.edgenet.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.lora.quant.QuantizedLora;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultiAdapterBatchTest {

  static MicroLora trained(RandomSource r, int in, int out, int rank) {
    return MicroLora.ofWeights(in, out, rank, rank, LoraScaling.STANDARD,
        MicroLoraTest.gaussian(r, rank * in), MicroLoraTest.gaussian(r, rank * out));
  }

  /** Mixed batches equal each row run through its own adapter alone; null rows stay unchanged. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void mixedBatchEqualsRowByRow(long seed) {
    RandomSource r = RandomSource.seeded(seed);
    int in = 1 + r.nextInt(70), out = 1 + r.nextInt(70);
    int adapters = 1 + r.nextInt(8);
    MicroLora[] pool = new MicroLora[adapters];
    for (int i = 0; i < adapters; i++) {
      pool[i] = trained(r, in, out, 1 + r.nextInt(16));
    }
    assertMixedBatchesEqualRowByRow(r, pool, in, out, seed);
  }

  /** Five random batches over {@code pool} (about one row in ten null) against row-by-row runs. */
  private static void assertMixedBatchesEqualRowByRow(
      RandomSource r, LoraAdapter[] pool, int in, int out, long seed) {
    MultiAdapterBatch runner = new MultiAdapterBatch(40);
    for (int round = 0; round < 5; round++) {
      int batch = r.nextInt(41);
      LoraAdapter[] ofRow = new LoraAdapter[batch];
      for (int i = 0; i < batch; i++) {
        ofRow[i] = r.nextInt(10) == 0 ? null : pool[r.nextInt(pool.length)];
      }
      float[] xs = MicroLoraTest.gaussian(r, batch * in);
      float[] ys = MicroLoraTest.gaussian(r, batch * out);
      float[] expected = ys.clone();
      int distinct = (int) java.util.Arrays.stream(ofRow).filter(a -> a != null).distinct().count();
      for (int i = 0; i < batch; i++) {
        if (ofRow[i] != null) {
          ofRow[i].forward(xs, i * in, expected, i * out);
        }
      }
      assertEquals(distinct, runner.forward(xs, ys, ofRow, batch), "seed " + seed);
      for (int i = 0; i < ys.length; i++) {
        // Same kernels, possibly grouped differently: equal to float rounding.
        assertEquals(expected[i], ys[i], 1e-4f * (1 + Math.abs(expected[i])), "seed " + seed + " element " + i);
      }
    }
  }

  /**
   * Quantized adapters of whole-block shapes, whose row lists run four rows per pass over the
   * factors: a mixed batch of them (and of f32 ones) equals each row run alone.
   */
  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13, 14, 15})
  void mixedQuantizedBatchEqualsRowByRow(long seed) {
    RandomSource r = RandomSource.seeded(seed);
    int in = 32 * (1 + r.nextInt(3)), out = 32 * (1 + r.nextInt(3));
    int adapters = 1 + r.nextInt(4);
    LoraAdapter[] pool = new LoraAdapter[adapters];
    for (int i = 0; i < adapters; i++) {
      MicroLora f32 = trained(r, in, out, 1 + r.nextInt(5));
      int kind = r.nextInt(3);
      pool[i] = kind == 0 ? f32 : QuantizedLora.quantize(f32, kind == 1 ? WeightFormat.Q8_0 : WeightFormat.Q4_0);
    }
    assertMixedBatchesEqualRowByRow(r, pool, in, out, seed);
  }

  /**
   * Every row on its own adapter (as many groups as rows, the grouping's worst case), then the
   * runner reused for a batch with a single adapter: both equal row-by-row runs.
   */
  @ParameterizedTest
  @ValueSource(longs = {21, 22, 23})
  void everyRowItsOwnAdapterThenOneAdapter(long seed) {
    RandomSource r = RandomSource.seeded(seed);
    int in = 48, out = 40, batch = 40;
    MultiAdapterBatch runner = new MultiAdapterBatch(batch);
    LoraAdapter[] own = new LoraAdapter[batch];
    for (int i = 0; i < batch; i++) {
      own[i] = trained(r, in, out, 1 + r.nextInt(4));
    }
    LoraAdapter[] same = new LoraAdapter[batch];
    java.util.Arrays.fill(same, own[r.nextInt(batch)]);
    for (LoraAdapter[] ofRow : new LoraAdapter[][] {own, same}) {
      float[] xs = MicroLoraTest.gaussian(r, batch * in);
      float[] ys = MicroLoraTest.gaussian(r, batch * out);
      float[] expected = ys.clone();
      for (int i = 0; i < batch; i++) {
        ofRow[i].forward(xs, i * in, expected, i * out);
      }
      assertEquals(ofRow == own ? batch : 1, runner.forward(xs, ys, ofRow, batch), "seed " + seed);
      for (int i = 0; i < ys.length; i++) {
        assertEquals(expected[i], ys[i], 1e-4f * (1 + Math.abs(expected[i])), "seed " + seed + " element " + i);
      }
    }
  }

  @Test
  void rejectsBadBatchesWithoutWriting() {
    RandomSource r = RandomSource.seeded(11);
    MicroLora a = trained(r, 8, 4, 2), b = trained(r, 8, 5, 2);
    MultiAdapterBatch runner = new MultiAdapterBatch(4);
    float[] ys = new float[20];
    float[] before = ys.clone();
    assertThrows(IllegalArgumentException.class,
        () -> runner.forward(new float[32], ys, new LoraAdapter[] {a, b}, 2));
    assertThrows(IllegalArgumentException.class,
        () -> runner.forward(new float[40], ys, new LoraAdapter[5], 5));
    assertThrows(IndexOutOfBoundsException.class,
        () -> runner.forward(new float[15], ys, new LoraAdapter[] {a, a}, 2));
    assertArrayEquals(before, ys);
  }
}
