package io.github.edgenet.learning.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AggregatorsTest {

  private static List<float[]> of(float... scalars) {
    List<float[]> l = new ArrayList<>();
    for (float s : scalars) {
      l.add(new float[] {s});
    }
    return l;
  }

  /** Flower's Krum case: clients [0.2] x4, [0.7] x4, [1.0] x4 with f = 1; Krum picks [0.7]. */
  @Test
  void krumPicksTheMiddleClusterAsInFlower() {
    List<float[]> clients = of(0.2f, 0.2f, 0.2f, 0.2f, 0.7f, 0.7f, 0.7f, 0.7f, 1f, 1f, 1f, 1f);
    assertArrayEquals(new float[] {0.7f}, Aggregators.krum(1).aggregate(clients));
    int[] best = Aggregators.krumSelect(clients, 1, 4);
    assertArrayEquals(new int[] {4, 5, 6, 7}, best);
    assertArrayEquals(new float[] {0.7f}, Aggregators.multiKrum(1, 4).aggregate(clients), 1e-7f);
  }

  /** Flower's median case: the median of [0.2], [1.0], [0.5] is 0.5. */
  @Test
  void medianOfThreeAsInFlower() {
    assertArrayEquals(new float[] {0.5f}, Aggregators.median().aggregate(of(0.2f, 1f, 0.5f)));
    assertArrayEquals(new float[] {2.5f}, Aggregators.median().aggregate(of(4f, 1f, 2f, 3f)));
  }

  @Test
  void trimmedMeanDropsBothTails() {
    // beta 0.2 of 5: drop 1 each side -> mean of 2, 3, 4
    assertArrayEquals(new float[] {3f},
        Aggregators.trimmedMean(0.2).aggregate(of(1000f, 2f, 3f, 4f, -1000f)));
    assertArrayEquals(new float[] {1.6f},
        Aggregators.trimmedMean(0).aggregate(of(1f, 2f, 3f, 1f, 1f)), 1e-6f);
  }

  @Test
  void krumNeedsMoreThanTwoFPlusTwoInputs() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Aggregators.krum(1).aggregate(of(1f, 2f, 3f, 4f)));
    assertTrue(e.getMessage().contains("n > 2f + 2"), e.getMessage());
    assertArrayEquals(new float[] {2f}, Aggregators.krum(1).aggregate(of(1f, 2f, 3f, 2f, 50f)));
  }

  @Test
  void badInputsAreRejectedAndNothingIsWritten() {
    float[] out = {42f};
    assertThrows(IllegalArgumentException.class,
        () -> Aggregators.median().aggregate(of(1f, Float.NaN), out));
    assertThrows(IllegalArgumentException.class,
        () -> Aggregators.mean().aggregate(List.of(new float[] {1f}, new float[] {1f, 2f}), out));
    assertThrows(IllegalArgumentException.class, () -> Aggregators.mean().aggregate(List.of()));
    assertThrows(IllegalArgumentException.class, () -> Aggregators.trimmedMean(0.5));
    assertThrows(IllegalArgumentException.class, () -> Aggregators.centeredClipping(0f, 1));
    assertThrows(IllegalArgumentException.class,
        () -> Aggregators.weightedMean(of(1f, 2f), new double[] {0, 0}, out));
    assertEquals(42f, out[0]);
  }

  @Test
  void weightedMeanIsFedAvg() {
    float[] out = new float[1];
    Aggregators.weightedMean(of(1f, 4f), new double[] {30, 10}, out);
    assertEquals(1.75f, out[0], 1e-7f);
  }

  /**
   * Seeded: honest inputs around a true vector, f attackers far away; every robust rule stays
   * within the honest spread while the mean is dragged far; every rule is order-invariant.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void robustRulesIgnoreFarAttackersAndTheOrder(long seed) {
    System.out.println("AggregatorsTest seed " + seed);
    RandomSource r = RandomSource.seeded(seed);
    int d = 37, n = 20, f = 4;
    float[] truth = new float[d];
    for (int j = 0; j < d; j++) {
      truth[j] = (float) r.nextGaussian();
    }
    List<float[]> inputs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] x = new float[d];
      for (int j = 0; j < d; j++) {
        x[j] = i < f ? -100f * truth[j] + 50f : truth[j] + 0.1f * (float) r.nextGaussian();
      }
      inputs.add(x);
    }
    List<Aggregator> robust = List.of(Aggregators.median(), Aggregators.trimmedMean(0.25),
        Aggregators.krum(f), Aggregators.multiKrum(f, n - f), Aggregators.centeredClipping(1f, 3));
    for (Aggregator rule : robust) {
      float[] got = rule.aggregate(inputs);
      double err = Math.sqrt(io.github.edgenet.core.vector.VectorKernels.squaredDistance(got, truth));
      // honest noise: 0.1 per coordinate, sqrt(37) * 0.1 ~ 0.6 per input
      assertTrue(err < 1.0, rule + " error " + err);
      List<float[]> shuffled = new ArrayList<>(inputs);
      Collections.shuffle(shuffled, r);
      float[] again = rule.aggregate(shuffled);
      assertArrayEquals(got, again, 1e-5f, "order invariance");
    }
    float[] mean = Aggregators.mean().aggregate(inputs);
    assertTrue(Math.sqrt(io.github.edgenet.core.vector.VectorKernels.squaredDistance(mean, truth))
        > 20, "the mean is dragged away");
  }

  @Test
  void centeredClippingFromACenterMovesAtMostTauPerIteration() {
    float[] out = new float[1];
    Aggregators.centeredClipping(of(10f, 10f, 10f), new float[] {0f}, 2f, 1, out);
    assertEquals(2f, out[0], 1e-6f);
    Aggregators.centeredClipping(of(10f, 10f, 10f), new float[] {0f}, 2f, 3, out);
    assertEquals(6f, out[0], 1e-6f);
  }
}
