package io.github.edgenet.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SmallLinearAlgebraTest {

  static double[] gaussian(RandomSource r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextGaussian();
    }
    return v;
  }

  /** Q R reproduces the input, the non-zero q's are orthonormal, dependent vectors give q = 0. */
  @ParameterizedTest(name = "{0} vectors of length {1}, {2} dependent")
  @CsvSource({"1,1,0", "3,7,0", "16,1024,0", "8,5,3", "6,40,2", "64,100,10"})
  void thinQr(int count, int len, int dependent) {
    RandomSource r = RandomSource.seeded(count * 1000L + len + dependent);
    double[] v = gaussian(r, count * len);
    for (int d = 0; d < dependent; d++) {
      // Replace a later vector by a combination of earlier ones (or zero).
      int j = count - 1 - d;
      for (int i = 0; i < len; i++) {
        v[j * len + i] = d % 2 == 0 ? 0.3 * v[i] - 2 * v[len + i % len] : 0;
      }
    }
    double[] original = v.clone();
    double[] rr = SmallLinearAlgebra.orthonormalizeRows(v, count, len);
    int nonZero = 0;
    for (int j = 0; j < count; j++) {
      double nj = SmallLinearAlgebra.dot(v, j * len, v, j * len, len);
      if (nj != 0) {
        nonZero++;
        assertEquals(1, nj, 1e-12);
      } else {
        for (int l = 0; l < count; l++) {
          assertEquals(0.0, rr[j * count + l], "row " + j + " of R is zero with q_" + j);
        }
      }
      for (int l = 0; l < j; l++) {
        assertEquals(0, SmallLinearAlgebra.dot(v, j * len, v, l * len, len), 1e-12);
        assertEquals(0.0, rr[j * count + l], "R is upper triangular");
      }
      for (int i = 0; i < len; i++) {
        double rebuilt = 0;
        for (int l = 0; l <= j; l++) {
          rebuilt += rr[l * count + j] * v[l * len + i];
        }
        assertEquals(original[j * len + i], rebuilt, 1e-11);
      }
    }
    assertEquals(Math.min(count - dependent, len), nonZero);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 8, 17, 64})
  void jacobiSvdReconstructsWithOrthonormalFactors(int n) {
    RandomSource r = RandomSource.seeded(n);
    double[] m = gaussian(r, n * n);
    if (n > 3) {
      for (int i = 0; i < n; i++) {
        m[i * n + 1] = 2 * m[i * n]; // make it singular
      }
    }
    SmallLinearAlgebra.Svd svd = SmallLinearAlgebra.svd(m, n);
    double[] s = svd.sigma();
    for (int k = 1; k < n; k++) {
      assertTrue(s[k - 1] >= s[k], "decreasing");
    }
    if (n > 3) {
      assertEquals(0, s[n - 1], 1e-12 * s[0]);
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double rebuilt = 0, vv = 0, uu = 0;
        for (int k = 0; k < n; k++) {
          rebuilt += svd.u(i, k) * s[k] * svd.v(j, k);
          vv += svd.v(k, i) * svd.v(k, j);
          uu += svd.u(k, i) * svd.u(k, j);
        }
        assertEquals(m[i * n + j], rebuilt, 1e-12 * n * s[0]);
        assertEquals(i == j ? 1 : 0, vv, 1e-12 * n);
        if (s[i] > 1e-12 * s[0] && s[j] > 1e-12 * s[0]) {
          assertEquals(i == j ? 1 : 0, uu, 1e-10 * n);
        }
      }
    }
  }
}
