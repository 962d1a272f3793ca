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

  private static List<float[]> constantVectors(int dimension, float... values) {
    List<float[]> l = new ArrayList<>();
    for (float v : values) {
      float[] x = new float[dimension];
      java.util.Arrays.fill(x, v);
      l.add(x);
    }
    return l;
  }

  /**
   * Flower's Krum case itself ({@code krum_test.py}, {@code test_aggregate_fit}): three clients
   * [0.2] x4, [0.7] x4, [1.0] x4 (vectors of dimension 4) with {@code num_malicious_clients = 1}.
   * Flower returns [0.7] x4: it clamps the neighbour count to {@code max(1, n - f - 2) = 1}, so
   * [0.7] and [1.0] tie at 4 x 0.3^2 = 0.36 and its argmin takes the earlier client. Krum's
   * guarantee needs {@code n > 2f + 2}; with n = 3 and f = 1 there are 0 neighbours to score by,
   * and this library refuses instead of clamping.
   */
  @Test
  void flowersThreeClientKrumCaseIsRefusedBecauseNIsAtMostTwoFPlusTwo() {
    List<float[]> clients = constantVectors(4, 0.2f, 0.7f, 1f);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Aggregators.krum(1).aggregate(clients));
    assertTrue(e.getMessage().contains("n > 2f + 2"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Aggregators.krumSelect(clients, 1, 1));
    assertThrows(IllegalArgumentException.class,
        () -> Aggregators.multiKrum(1, 2).aggregate(clients));
    // with f = 0 (n = 3 > 2): one neighbour each, the same tie, the earlier client wins
    assertArrayEquals(new float[] {0.7f, 0.7f, 0.7f, 0.7f},
        Aggregators.krum(0).aggregate(clients));
  }

  /**
   * A variant of Flower's case that meets {@code n > 2f + 2}: each of its three vectors sent by
   * four clients (n = 12, f = 1, 9 neighbours). Krum picks [0.7] x4 as Flower does, and here
   * without a tie (scores 0.86, 1.64 and 2.28 for [0.7], [1.0] and [0.2], times 4).
   */
  @Test
  void krumPicksTheMiddleClusterInATwelveClientVariantOfFlowersCase() {
    List<float[]> clients = constantVectors(4,
        0.2f, 0.2f, 0.2f, 0.2f, 0.7f, 0.7f, 0.7f, 0.7f, 1f, 1f, 1f, 1f);
    assertArrayEquals(new float[] {0.7f, 0.7f, 0.7f, 0.7f}, Aggregators.krum(1).aggregate(clients));
    int[] best = Aggregators.krumSelect(clients, 1, 4);
    assertArrayEquals(new int[] {4, 5, 6, 7}, best);
    assertArrayEquals(new float[] {0.7f, 0.7f, 0.7f, 0.7f},
        Aggregators.multiKrum(1, 4).aggregate(clients), 1e-7f);
    double[] scores = Aggregators.krumScores(clients, 1);
    assertEquals(4 * (4 * 0.09 + 2 * 0.25), scores[4], 1e-5);
    assertEquals(4 * (4 * 0.09 + 2 * 0.64), scores[8], 1e-5);
    assertEquals(4 * (4 * 0.25 + 2 * 0.64), scores[0], 1e-5);
  }

  /**
   * The neighbour count decides the pick: for 0, 0.1, 5, 5.5, 6 with f = 1, the {@code n - f - 2
   * = 2} nearest give 5.5 (score 0.5); one neighbour would give 0 (the tight pair, 0.01), three
   * would give 5 (25.26 against 5.5's 29.66).
   */
  @Test
  void krumScoresTheNMinusFMinusTwoNearestNeighbours() {
    List<float[]> inputs = of(0f, 0.1f, 5f, 5.5f, 6f);
    assertArrayEquals(new float[] {5.5f}, Aggregators.krum(1).aggregate(inputs));
    assertArrayEquals(new int[] {3, 2, 4}, Aggregators.krumSelect(inputs, 1, 3));
  }

  /**
   * Seeded: every Krum score equals a brute-force sum, in double, of the squared distances to the
   * {@code n - f - 2} nearest others, and differs from the sums over one neighbour more or fewer.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void krumScoresMatchABruteForceReference(long seed) {
    System.out.println("AggregatorsTest krum seed " + seed);
    RandomSource r = RandomSource.seeded(seed);
    int n = 7 + r.nextInt(10);
    int f = r.nextInt((n - 3) / 2 + 1); // n > 2f + 2
    int d = 1 + r.nextInt(40);
    List<float[]> inputs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] x = new float[d];
      for (int j = 0; j < d; j++) {
        x[j] = (float) (r.nextGaussian() * (1 + i));
      }
      inputs.add(x);
    }
    double[] scores = Aggregators.krumScores(inputs, f);
    for (int i = 0; i < n; i++) {
      double[] dist = new double[n - 1];
      int k = 0;
      for (int j = 0; j < n; j++) {
        if (j != i) {
          double s = 0;
          for (int c = 0; c < d; c++) {
            double diff = (double) inputs.get(i)[c] - inputs.get(j)[c];
            s += diff * diff;
          }
          dist[k++] = s;
        }
      }
      java.util.Arrays.sort(dist);
      double expected = 0;
      for (int j = 0; j < n - f - 2; j++) {
        expected += dist[j];
      }
      double tolerance = 1e-5 * expected;
      assertEquals(expected, scores[i], tolerance, "score of input " + i);
      assertTrue(Math.abs(expected + dist[n - f - 2] - scores[i]) > tolerance, "n - f - 1");
      assertTrue(Math.abs(expected - dist[n - f - 3] - scores[i]) > tolerance, "n - f - 3");
    }
  }

  /** A rule names itself and its parameters in logs (a lambda's class name said nothing). */
  @Test
  void rulesNameThemselves() {
    assertEquals("mean", Aggregators.mean().toString());
    assertEquals("median", Aggregators.median().toString());
    assertEquals("trimmedMean(0.25)", Aggregators.trimmedMean(0.25).toString());
    assertEquals("krum(2)", Aggregators.krum(2).toString());
    assertEquals("multiKrum(2, 5)", Aggregators.multiKrum(2, 5).toString());
    assertEquals("centeredClipping(0.5, 3)", Aggregators.centeredClipping(0.5f, 3).toString());
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
