package io.github.edgenet.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MicroLoraTest {

  static float[] gaussian(RandomSource r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  @Test
  void newAdapterIsAnExactNoOp() {
    MicroLora lora = MicroLora.builder(64, 48).rank(4).seed(1).build();
    float[] x = gaussian(RandomSource.seeded(2), 64);
    float[] y = gaussian(RandomSource.seeded(3), 48);
    float[] before = y.clone();
    lora.forward(x, y);
    assertArrayEquals(before, y);
  }

  @Test
  void initialAIsKaimingUniform() {
    int in = 256;
    MicroLora lora = MicroLora.builder(in, 8).rank(16).seed(5).build();
    float bound = (float) (1 / Math.sqrt(in));
    float[] a = new float[16 * in];
    lora.viewA().get(a);
    double sumSq = 0;
    for (float w : a) {
      assertTrue(Math.abs(w) <= bound, "weight " + w + " outside +-" + bound);
      sumSq += w * w;
    }
    // Var(U(-b, b)) = b^2 / 3; 4096 draws put the sample variance within a few percent.
    assertEquals(bound * bound / 3, sumSq / a.length, 0.1 * bound * bound / 3);
  }

  @ParameterizedTest
  @CsvSource({"1,1,1", "17,5,1", "64,64,2", "256,256,2", "100,300,7", "33,1000,16"})
  void forwardEqualsDenseDeltaWeight(int in, int out, int rank) {
    RandomSource r = RandomSource.seeded(in * 31 + out * 7 + rank);
    float alpha = 3f;
    MicroLora lora =
        MicroLora.ofWeights(in, out, rank, alpha, LoraScaling.RANK_STABILIZED,
            gaussian(r, rank * in), gaussian(r, rank * out));
    assertEquals((float) (alpha / Math.sqrt(rank)), lora.scale());
    float[] delta = lora.deltaWeight();
    int batch = 5;
    float[] xs = gaussian(r, batch * in);
    float[] ys = gaussian(r, batch * out);
    float[] single = ys.clone();
    float[] batched = ys.clone();
    for (int b = 0; b < batch; b++) {
      lora.forward(xs, b * in, single, b * out);
    }
    lora.forwardBatch(xs, 0, batched, 0, batch);
    for (int b = 0; b < batch; b++) {
      for (int o = 0; o < out; o++) {
        double expected = ys[b * out + o];
        double abs = Math.abs(expected);
        for (int i = 0; i < in; i++) {
          expected += (double) delta[o * in + i] * xs[b * in + i];
          abs += Math.abs((double) delta[o * in + i] * xs[b * in + i]);
        }
        double tol = 1e-5 * (abs + 1);
        assertEquals(expected, single[b * out + o], tol);
        assertEquals(expected, batched[b * out + o], tol);
      }
    }
  }

  @Test
  void validatesConfiguration() {
    var e = assertThrows(IllegalArgumentException.class, () -> MicroLora.builder(8, 8).rank(17));
    assertTrue(e.getMessage().contains("rank must be in 1..16, was 17"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MicroLora.builder(8, 8).rank(0));
    assertThrows(IllegalArgumentException.class, () -> MicroLora.builder(0, 8));
    assertThrows(IllegalArgumentException.class, () -> MicroLora.builder(8, 8).alpha(Float.NaN));
    assertThrows(IllegalStateException.class, () -> MicroLora.builder(8, 8).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> MicroLora.ofWeights(2, 2, 1, 1f, LoraScaling.STANDARD, new float[] {1, Float.NaN}, new float[2]));
    assertThrows(
        IllegalArgumentException.class,
        () -> MicroLora.ofWeights(2, 2, 1, 1f, LoraScaling.STANDARD, new float[3], new float[2]));
    MicroLora lora = MicroLora.builder(8, 4).seed(1).build();
    assertThrows(IllegalArgumentException.class, () -> lora.forward(new float[7], new float[4]));
    assertThrows(IndexOutOfBoundsException.class, () -> lora.forward(new float[8], 1, new float[4], 0));
  }

  @Test
  void viewsAreReadOnlyAndZeroCopy() {
    MicroLora lora = MicroLora.builder(4, 3).rank(1).seed(9).build();
    var view = lora.viewA();
    assertTrue(view.isReadOnly());
    assertTrue(lora.segmentA().isReadOnly());
    assertEquals(4, view.remaining());
    assertEquals(16, lora.segmentA().byteSize());
    MicroLora other = MicroLora.ofWeights(4, 3, 1, 1f, LoraScaling.STANDARD,
        new float[] {1, 2, 3, 4}, new float[] {5, 6, 7});
    lora.copyWeightsFrom(other);
    assertEquals(3f, view.get(2), "the view sees the live weights");
    assertEquals(7f, lora.viewBTransposed().get(2));
  }
}
