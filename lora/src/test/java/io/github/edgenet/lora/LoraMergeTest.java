package io.github.edgenet.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoraMergeTest {

  static float[] gaussian(RandomSource r, int n, double sd) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (sd * r.nextGaussian());
    }
    return v;
  }

  static MicroLora random(RandomSource r, int in, int out, int rank, float alpha, LoraScaling scaling) {
    return MicroLora.ofWeights(in, out, rank, alpha, scaling,
        gaussian(r, rank * in, 1 / Math.sqrt(in)), gaussian(r, rank * out, 1));
  }

  /** scale * B A, out x in row-major, in double. */
  static double[] dense(MicroLora lora) {
    int in = lora.inputDim(), out = lora.outputDim();
    double[] d = new double[out * in];
    for (int k = 0; k < lora.rank(); k++) {
      for (int o = 0; o < out; o++) {
        double c = (double) lora.scale() * lora.bt()[k * out + o];
        for (int i = 0; i < in; i++) {
          d[o * in + i] += c * lora.a()[k * in + i];
        }
      }
    }
    return d;
  }

  static double[] weightedSum(MicroLora[] adapters, double[] weights) {
    double[] sum = new double[adapters[0].outputDim() * adapters[0].inputDim()];
    for (int j = 0; j < adapters.length; j++) {
      double[] d = dense(adapters[j]);
      for (int i = 0; i < sum.length; i++) {
        sum[i] += weights[j] * d[i];
      }
    }
    return sum;
  }

  static double frobenius(double[] m) {
    double s = 0;
    for (double v : m) {
      s += v * v;
    }
    return Math.sqrt(s);
  }

  static double distance(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(s);
  }

  static LoraMerge.Result merge(MicroLora[] adapters, double[] weights, int rank) {
    LoraMerge.Builder builder = LoraMerge.builder().rank(rank);
    for (int j = 0; j < adapters.length; j++) {
      builder.add(adapters[j], weights[j]);
    }
    return builder.merge();
  }

  // ---------------------------------------------------------------------------------------------

  /** Ranks 2 + 3 + 1 with different scales, merged at rank 6 (= R) and 9 (> R): exact. */
  @ParameterizedTest
  @ValueSource(ints = {6, 9})
  void mergeIsExactWhenTheTotalRankFits(int rank) {
    RandomSource r = RandomSource.seeded(1);
    int in = 40, out = 30;
    MicroLora[] adapters = {
      random(r, in, out, 2, 4f, LoraScaling.STANDARD),
      random(r, in, out, 3, 1.5f, LoraScaling.RANK_STABILIZED),
      random(r, in, out, 1, 7f, LoraScaling.STANDARD),
    };
    double[] weights = {0.5, -1.25, 2.0};
    LoraMerge.Result result = merge(adapters, weights, rank);
    assertEquals(0.0, result.relativeError(), "nothing is truncated");
    assertEquals(rank, result.adapter().rank());
    assertEquals(6, result.singularValues().length);

    // Forward of the merge = weighted sum of the forwards, to float tolerance.
    for (int trial = 0; trial < 5; trial++) {
      float[] x = gaussian(r, in, 1);
      float[] merged = new float[out];
      result.adapter().forward(x, merged);
      double[] expected = new double[out];
      double magnitude = 0;
      for (int j = 0; j < adapters.length; j++) {
        float[] y = new float[out];
        adapters[j].forward(x, y);
        for (int o = 0; o < out; o++) {
          expected[o] += weights[j] * y[o];
          magnitude = Math.max(magnitude, Math.abs(weights[j] * y[o]));
        }
      }
      for (int o = 0; o < out; o++) {
        assertEquals(expected[o], merged[o], 1e-5 * magnitude, "output " + o);
      }
    }
    double[] exact = weightedSum(adapters, weights);
    double[] got = toDouble(result.adapter().deltaWeight());
    assertTrue(distance(exact, got) <= 1e-6 * frobenius(exact), "ΔW differs by " + distance(exact, got));
  }

  /**
   * Truncation to every rank 1..8 of a rank-9 sum on a small 9 -> 12 shape: the singular values,
   * the reported error and the merged update all equal a dense reference (eigen-decomposition of
   * ΔW^T ΔW by classic Jacobi rotations, written independently here).
   */
  @Test
  void truncationMatchesTheDenseSvd() {
    RandomSource r = RandomSource.seeded(2);
    int in = 9, out = 12;
    MicroLora[] adapters = {
      random(r, in, out, 3, 3f, LoraScaling.STANDARD),
      random(r, in, out, 3, 2f, LoraScaling.RANK_STABILIZED),
      random(r, in, out, 3, 1f, LoraScaling.STANDARD),
    };
    double[] weights = {1.0, 0.7, -0.4};
    double[] exact = weightedSum(adapters, weights);
    DenseEigen eig = DenseEigen.ofGram(exact, out, in);
    double sumSq = 0;
    for (double l : eig.values) {
      sumSq += l;
    }
    for (int rank = 1; rank <= 8; rank++) {
      LoraMerge.Result result = merge(adapters, weights, rank);
      double tail = 0;
      for (int k = rank; k < in; k++) {
        tail += eig.values[k];
      }
      double expectedError = Math.sqrt(tail / sumSq);
      assertEquals(expectedError, result.relativeError(), 1e-9, "rank " + rank);
      assertTrue(result.relativeError() > 0);
      double[] sigma = result.singularValues();
      for (int k = 0; k < in; k++) {
        assertEquals(Math.sqrt(eig.values[k]), sigma[k], 1e-9 * Math.sqrt(eig.values[0]), "σ" + k);
      }
      // The merged update is ΔW projected on its top-r right singular vectors.
      double[] truncated = eig.projectRows(exact, out, rank);
      double[] got = toDouble(result.adapter().deltaWeight());
      assertTrue(distance(truncated, got) <= 1e-6 * frobenius(exact),
          "rank " + rank + ": merged differs from the dense truncation by " + distance(truncated, got));
      // And its actual error is the reported one.
      assertEquals(result.relativeError(), distance(exact, got) / frobenius(exact), 1e-6);
    }
  }

  /**
   * Eckart-Young sanity: no rank-r matrix does better than the truncated SVD. Tried: ΔW projected
   * on random r-dimensional row spaces (the best each such space allows) and small perturbations of
   * the merged factors.
   */
  @Test
  void noOtherRankRFactorizationBeatsTheTruncation() {
    RandomSource r = RandomSource.seeded(3);
    int in = 24, out = 20, rank = 4;
    MicroLora[] adapters = {
      random(r, in, out, 4, 4f, LoraScaling.STANDARD), random(r, in, out, 4, 4f, LoraScaling.STANDARD),
    };
    double[] weights = {0.6, 0.4};
    double[] exact = weightedSum(adapters, weights);
    LoraMerge.Result result = merge(adapters, weights, rank);
    double best = distance(exact, toDouble(result.adapter().deltaWeight()));
    for (int trial = 0; trial < 200; trial++) {
      double[] basis = new double[rank * in];
      for (int i = 0; i < basis.length; i++) {
        basis[i] = r.nextGaussian();
      }
      SmallLinearAlgebra.orthonormalizeRows(basis, rank, in);
      double[] projected = projectRows(exact, out, in, basis, rank);
      assertTrue(distance(exact, projected) >= best * (1 - 1e-6), "random row space, trial " + trial);

      MicroLora m = result.adapter();
      float[] a = m.a().clone(), bt = m.bt().clone();
      for (int i = 0; i < a.length; i++) {
        a[i] += (float) (1e-3 * r.nextGaussian() * Math.abs(a[i]));
      }
      for (int i = 0; i < bt.length; i++) {
        bt[i] += (float) (1e-3 * r.nextGaussian() * Math.abs(bt[i]));
      }
      MicroLora perturbed = MicroLora.ofWeights(in, out, rank, m.alpha(), m.scaling(), a, bt);
      assertTrue(distance(exact, dense(perturbed)) >= best * (1 - 1e-6), "perturbed, trial " + trial);
    }
  }

  /**
   * Averaging the A's and the B's separately gives (sum w B)(sum w A), whose cross terms make it a
   * different matrix: for four independent rank-4 adapters it is off by most of the update's norm,
   * while the exact merge is off by float rounding only.
   */
  @Test
  void averagingTheFactorsSeparatelyIsADifferentMatrix() {
    RandomSource r = RandomSource.seeded(4);
    int in = 32, out = 32, rank = 4, n = 4;
    MicroLora[] adapters = new MicroLora[n];
    double[] weights = new double[n];
    float[] meanA = new float[rank * in];
    float[] meanBt = new float[rank * out];
    for (int j = 0; j < n; j++) {
      adapters[j] = random(r, in, out, rank, 4f, LoraScaling.STANDARD);
      weights[j] = 1.0 / n;
      for (int i = 0; i < meanA.length; i++) {
        meanA[i] += adapters[j].a()[i] / n;
      }
      for (int i = 0; i < meanBt.length; i++) {
        meanBt[i] += adapters[j].bt()[i] / n;
      }
    }
    double[] exact = weightedSum(adapters, weights);
    MicroLora naive = MicroLora.ofWeights(in, out, rank, 4f, LoraScaling.STANDARD, meanA, meanBt);
    double naiveError = distance(exact, dense(naive)) / frobenius(exact);
    // E|naive - exact|^2 / |exact|^2 = (n - 1)^2 / n^2 + (n - 1) / n^2 = 0.75 for n = 4.
    assertTrue(naiveError > 0.6, "naive averaging is off by " + naiveError);

    LoraMerge.Result merged = merge(adapters, weights, MicroLora.MAX_RANK);
    double mergedError = distance(exact, toDouble(merged.adapter().deltaWeight())) / frobenius(exact);
    assertTrue(mergedError < 1e-6, "exact merge is off by " + mergedError);
    assertEquals(0.0, merged.relativeError());
  }

  @Test
  void rankDeficientAndZeroInputsGiveNoNaN() {
    RandomSource r = RandomSource.seeded(5);
    int in = 16, out = 10;
    MicroLora lora = random(r, in, out, 3, 3f, LoraScaling.STANDARD);

    // The same adapter twice: R = 6 but the update has rank 3, so rank 3 is exact.
    LoraMerge.Result twice = LoraMerge.builder().add(lora, 0.5).add(lora.snapshot(), 0.5).rank(3).merge();
    assertEquals(0.0, twice.relativeError());
    double[] sigma = twice.singularValues();
    assertEquals(0.0, sigma[3]);
    assertEquals(0.0, sigma[5]);
    assertTrue(distance(dense(lora), toDouble(twice.adapter().deltaWeight())) < 1e-6 * frobenius(dense(lora)));

    // An adapter minus itself, fresh adapters (B = 0), zero weights: ΔW = 0 exactly.
    MicroLora fresh = MicroLora.builder(in, out).rank(4).seed(6).build();
    LoraMerge.Result[] zeros = {
      LoraMerge.builder().add(lora, 1).add(lora, -1).rank(2).merge(),
      LoraMerge.builder().add(fresh, 1).add(fresh, 2).merge(),
      LoraMerge.builder().add(lora, 0).rank(1).merge(),
    };
    for (LoraMerge.Result zero : zeros) {
      assertEquals(0.0, zero.relativeError(), "defined as 0 for ΔW = 0");
      for (double s : zero.singularValues()) {
        assertEquals(0.0, s);
      }
      for (float w : zero.adapter().deltaWeight()) {
        assertEquals(0f, w);
      }
    }

    // Dependent A rows with independent B columns (and the reverse): no NaN, exact at full rank.
    float[] a = lora.a().clone();
    System.arraycopy(a, 0, a, in, in); // row 1 = row 0
    MicroLora dependentA = MicroLora.ofWeights(in, out, 3, 3f, LoraScaling.STANDARD, a, lora.bt());
    float[] bt = lora.bt().clone();
    for (int o = 0; o < out; o++) {
      bt[2 * out + o] = 2 * bt[o]; // column 2 of B = 2 * column 0
    }
    MicroLora dependentB = MicroLora.ofWeights(in, out, 3, 3f, LoraScaling.STANDARD, lora.a(), bt);
    MicroLora[] adapters = {dependentA, dependentB};
    double[] weights = {1, 0.5};
    LoraMerge.Result result = merge(adapters, weights, 6);
    double[] exact = weightedSum(adapters, weights);
    assertEquals(0.0, result.relativeError());
    assertTrue(distance(exact, toDouble(result.adapter().deltaWeight())) < 1e-6 * frobenius(exact));
    for (double s : result.singularValues()) {
      assertTrue(Double.isFinite(s));
    }
  }

  @Test
  void alphaAndScalingOfTheResultDoNotChangeTheUpdate() {
    RandomSource r = RandomSource.seeded(7);
    MicroLora a = random(r, 20, 14, 4, 4f, LoraScaling.STANDARD);
    MicroLora b = random(r, 20, 14, 2, 1f, LoraScaling.STANDARD);
    LoraMerge.Result one = LoraMerge.builder().add(a, 1).add(b, 1).rank(5).merge();
    LoraMerge.Result other = LoraMerge.builder().add(a, 1).add(b, 1).rank(5)
        .alpha(32f).scaling(LoraScaling.RANK_STABILIZED).merge();
    assertEquals(1f, one.adapter().scale(), "default alpha = rank");
    assertEquals((float) (32 / Math.sqrt(5)), other.adapter().scale());
    double[] d1 = toDouble(one.adapter().deltaWeight());
    double[] d2 = toDouble(other.adapter().deltaWeight());
    assertTrue(distance(d1, d2) < 1e-6 * frobenius(d1));
    assertEquals(one.relativeError(), other.relativeError());
    // Default rank: min(16, total rank) = 6 here.
    assertEquals(6, LoraMerge.builder().add(a, 1).add(b, 1).merge().adapter().rank());
  }

  @Test
  void validatesArguments() {
    MicroLora a = MicroLora.builder(8, 4).seed(1).build();
    MicroLora other = MicroLora.builder(8, 5).seed(1).build();
    assertThrows(IllegalStateException.class, () -> LoraMerge.builder().merge());
    var e = assertThrows(IllegalArgumentException.class, () -> LoraMerge.builder().add(a, 1).add(other, 1));
    assertTrue(e.getMessage().contains("adapter 1 is 8->5, the first is 8->4"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LoraMerge.builder().add(a, Double.NaN));
    assertTrue(e.getMessage().contains("weight must be finite, was NaN"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LoraMerge.builder().rank(17));
    assertThrows(IllegalArgumentException.class, () -> LoraMerge.builder().rank(0));
    assertThrows(IllegalArgumentException.class, () -> LoraMerge.builder().alpha(-1f));
    LoraMerge.Result result = LoraMerge.builder().add(a, 1).merge();
    double[] sigma = result.singularValues();
    sigma[0] = 42;
    assertEquals(0.0, result.singularValues()[0], "the result hands out copies");
  }

  // ---------------------------------------------------------------------------------------------
  // Dense reference.

  static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  /** m (rows x cols) projected on the row space spanned by the orthonormal rows of basis. */
  static double[] projectRows(double[] m, int rows, int cols, double[] basis, int count) {
    double[] p = new double[rows * cols];
    for (int o = 0; o < rows; o++) {
      for (int k = 0; k < count; k++) {
        double c = 0;
        for (int i = 0; i < cols; i++) {
          c += m[o * cols + i] * basis[k * cols + i];
        }
        for (int i = 0; i < cols; i++) {
          p[o * cols + i] += c * basis[k * cols + i];
        }
      }
    }
    return p;
  }

  /**
   * Eigenvalues (decreasing) and eigenvectors of the Gram matrix M^T M of a dense matrix, by the
   * classic two-sided Jacobi eigenvalue algorithm: the squared singular values of M and its right
   * singular vectors.
   */
  static final class DenseEigen {
    final double[] values;
    final double[] vectors; // vectors[k * n + i]: component i of eigenvector k
    final int n;

    private DenseEigen(double[] values, double[] vectors, int n) {
      this.values = values;
      this.vectors = vectors;
      this.n = n;
    }

    static DenseEigen ofGram(double[] m, int rows, int cols) {
      int n = cols;
      double[][] s = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          for (int o = 0; o < rows; o++) {
            s[i][j] += m[o * cols + i] * m[o * cols + j];
          }
        }
      }
      double[][] v = new double[n][n];
      for (int i = 0; i < n; i++) {
        v[i][i] = 1;
      }
      for (int sweep = 0; sweep < 100; sweep++) {
        double off = 0, all = 0;
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            all += s[i][j] * s[i][j];
            off += i != j ? s[i][j] * s[i][j] : 0;
          }
        }
        if (off <= 1e-30 * all) {
          break;
        }
        for (int p = 0; p < n - 1; p++) {
          for (int q = p + 1; q < n; q++) {
            if (s[p][q] == 0) {
              continue;
            }
            double theta = (s[q][q] - s[p][p]) / (2 * s[p][q]);
            double t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
            double c = 1 / Math.sqrt(t * t + 1), sn = t * c;
            for (int k = 0; k < n; k++) {
              double kp = s[k][p], kq = s[k][q];
              s[k][p] = c * kp - sn * kq;
              s[k][q] = sn * kp + c * kq;
            }
            for (int k = 0; k < n; k++) {
              double pk = s[p][k], qk = s[q][k];
              s[p][k] = c * pk - sn * qk;
              s[q][k] = sn * pk + c * qk;
            }
            for (int k = 0; k < n; k++) {
              double kp = v[k][p], kq = v[k][q];
              v[k][p] = c * kp - sn * kq;
              v[k][q] = sn * kp + c * kq;
            }
          }
        }
      }
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (x, y) -> Double.compare(s[y][y], s[x][x]));
      double[] values = new double[n];
      double[] vectors = new double[n * n];
      for (int k = 0; k < n; k++) {
        values[k] = Math.max(0, s[order[k]][order[k]]);
        for (int i = 0; i < n; i++) {
          vectors[k * n + i] = v[i][order[k]];
        }
      }
      return new DenseEigen(values, vectors, n);
    }

    /** m projected on the top {@code count} eigenvectors (its best rank-count approximation). */
    double[] projectRows(double[] m, int rows, int count) {
      return LoraMergeTest.projectRows(m, rows, n, vectors, count);
    }
  }
}
