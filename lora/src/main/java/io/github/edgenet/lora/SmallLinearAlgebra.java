package io.github.edgenet.lora;

import java.util.Arrays;

/**
 * The two decompositions exact merging needs, in double precision, for the small sizes of LoRA
 * factors (at most a few dozen vectors): a thin QR by modified Gram-Schmidt with
 * re-orthogonalization, and the SVD of a small square matrix by one-sided Jacobi rotations.
 * Package-private; allocation is fine here (merging is not a hot path). Stateless.
 */
final class SmallLinearAlgebra {
  private static final double EPS = 0x1.0p-52;
  private static final int MAX_SWEEPS = 80;

  private SmallLinearAlgebra() {}

  /**
   * Thin QR of the matrix whose columns are the {@code count} rows of {@code v} (each of length
   * {@code len}, row-major, so the matrix is {@code len x count}), in place.
   *
   * <p>On return row {@code j} of {@code v} holds the unit vector {@code q_j}, or zeros when the
   * original vector {@code j} lay (to within {@code 1e-12} of its length) in the span of the
   * previous ones; {@code r} ({@code count x count}, row-major) is upper triangular with
   * {@code original_j = sum_{l <= j} r[l][j] q_l}, and row {@code j} of {@code r} is zero when
   * {@code q_j} is. So the product {@code Q R} reproduces the input exactly up to rounding, and the
   * non-zero {@code q}'s are orthonormal.
   *
   * <p>Each vector is orthogonalized twice against the previous ones ("twice is enough",
   * Giraud, Langou and Rozloznik 2005), which keeps {@code Q} orthonormal to machine precision even
   * for nearly dependent inputs.
   */
  static double[] orthonormalizeRows(double[] v, int count, int len) {
    double[] r = new double[count * count];
    for (int j = 0; j < count; j++) {
      int vj = j * len;
      double norm0 = Math.sqrt(dot(v, vj, v, vj, len));
      if (norm0 == 0) {
        continue; // an all-zero input vector: q_j = 0, r[.][j] = 0
      }
      for (int pass = 0; pass < 2; pass++) {
        for (int l = 0; l < j; l++) {
          if (r[l * count + l] == 0) {
            continue; // q_l is zero
          }
          int vl = l * len;
          double c = dot(v, vl, v, vj, len);
          for (int i = 0; i < len; i++) {
            v[vj + i] -= c * v[vl + i];
          }
          r[l * count + j] += c;
        }
      }
      double norm = Math.sqrt(dot(v, vj, v, vj, len));
      if (norm <= 1e-12 * norm0) {
        // Dependent on the previous vectors: the residual is rounding noise.
        for (int i = 0; i < len; i++) {
          v[vj + i] = 0;
        }
      } else {
        double inv = 1 / norm;
        for (int i = 0; i < len; i++) {
          v[vj + i] *= inv;
        }
        r[j * count + j] = norm;
      }
    }
    return r;
  }

  /** The result of {@link #svd}: {@code M = U diag(sigma) V^T}. */
  record Svd(int n, double[] sigma, double[] u, double[] v) {
    /** {@code U[i][k]}: component {@code i} of the {@code k}-th left singular vector. */
    double u(int i, int k) {
      return u[i * n + k];
    }

    /** {@code V[i][k]}: component {@code i} of the {@code k}-th right singular vector. */
    double v(int i, int k) {
      return v[i * n + k];
    }
  }

  /**
   * The SVD of the {@code n x n} row-major matrix {@code m} (not modified) by one-sided Jacobi
   * (Hestenes 1958; Demmel and Veselic 1992): rotations applied to the columns of {@code m} until
   * all pairs are orthogonal to machine precision, accumulating the rotations in {@code V}. Then
   * {@code M V = U Sigma} column by column. Singular values come sorted in decreasing order; the
   * left vector of a zero singular value is zero (it is never used with a non-zero weight).
   */
  static Svd svd(double[] m, int n) {
    // Work on columns: g[j*n + i] = M[i][j], so each column is contiguous.
    double[] g = new double[n * n];
    double[] vc = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        g[j * n + i] = m[i * n + j];
      }
      vc[i * n + i] = 1;
    }
    double tol = n * EPS;
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      boolean rotated = false;
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          int gp = p * n;
          int gq = q * n;
          double alpha = dot(g, gp, g, gp, n);
          double beta = dot(g, gq, g, gq, n);
          double gamma = dot(g, gp, g, gq, n);
          if (gamma == 0 || Math.abs(gamma) <= tol * Math.sqrt(alpha) * Math.sqrt(beta)) {
            continue;
          }
          rotated = true;
          double zeta = (beta - alpha) / (2 * gamma);
          double t =
              Math.abs(zeta) > 1e150
                  ? 0.5 / zeta
                  : Math.signum(zeta == 0 ? 1 : zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
          double c = 1 / Math.sqrt(1 + t * t);
          double s = c * t;
          rotate(g, gp, gq, n, c, s);
          rotate(vc, gp, gq, n, c, s);
        }
      }
      if (!rotated) {
        break;
      }
    }
    Integer[] order = new Integer[n];
    double[] norms = new double[n];
    for (int j = 0; j < n; j++) {
      order[j] = j;
      norms[j] = Math.sqrt(dot(g, j * n, g, j * n, n));
    }
    Arrays.sort(order, (x, y) -> Double.compare(norms[y], norms[x]));
    double[] sigma = new double[n];
    double[] u = new double[n * n];
    double[] v = new double[n * n];
    for (int k = 0; k < n; k++) {
      int j = order[k];
      double sj = norms[j];
      sigma[k] = sj;
      for (int i = 0; i < n; i++) {
        u[i * n + k] = sj > 0 ? g[j * n + i] / sj : 0;
        v[i * n + k] = vc[j * n + i];
      }
    }
    return new Svd(n, sigma, u, v);
  }

  /** Columns p and q (at offsets) of a column-major matrix: p' = c p - s q, q' = s p + c q. */
  private static void rotate(double[] x, int p, int q, int n, double c, double s) {
    for (int i = 0; i < n; i++) {
      double xp = x[p + i];
      double xq = x[q + i];
      x[p + i] = c * xp - s * xq;
      x[q + i] = s * xp + c * xq;
    }
  }

  static double dot(double[] a, int ao, double[] b, int bo, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += a[ao + i] * b[bo + i];
    }
    return s;
  }
}
