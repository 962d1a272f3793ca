package io.github.edgenet.learning.aggregate;

import io.github.edgenet.core.vector.VectorKernels;
import java.util.Arrays;
import java.util.List;

/**
 * The aggregation rules: the plain mean and four Byzantine-robust rules. With {@code n} inputs of
 * which at most {@code f} are arbitrary (Byzantine):
 *
 * <table>
 *   <caption>Rules and the Byzantine fraction they tolerate</caption>
 *   <tr><th>rule</th><th>tolerates</th><th>cost</th></tr>
 *   <tr><td>{@link #mean()}</td><td>none: one input moves the result arbitrarily</td><td>O(nd)</td></tr>
 *   <tr><td>{@link #median()} (coordinate-wise)</td><td>{@code f < n/2} per coordinate</td>
 *       <td>O(nd log n)</td></tr>
 *   <tr><td>{@link #trimmedMean(double)} (fraction beta per side)</td><td>{@code f <= beta n}</td>
 *       <td>O(nd log n)</td></tr>
 *   <tr><td>{@link #krum(int)}, {@link #multiKrum(int, int)}</td><td>{@code n > 2f + 2}</td>
 *       <td>O(n^2 d)</td></tr>
 *   <tr><td>{@link #centeredClipping(float, int)}</td><td>{@code f < n/2} (bounded pull
 *       {@code ~ f tau / n} per iteration)</td><td>O(nd) per iteration</td></tr>
 * </table>
 *
 * <p>Krum (Blanchard et al. 2017): each input's score is the sum of squared distances to its
 * {@code n - f - 2} nearest other inputs; Krum returns the input with the lowest score (ties: the
 * earliest), Multi-Krum the mean of the {@code m} lowest-scoring inputs. Squared distances run
 * through core's {@link VectorKernels#squaredDistance} (SIMD where available). Centered clipping
 * (Karimireddy, He and Jaggi 2021) iterates {@code v += (1/n) sum_i (x_i - v) min(1, tau / |x_i -
 * v|)} from the coordinate-wise median (or from a given center, such as the previous round's
 * aggregate).
 *
 * <p>All rules are deterministic (see {@link Aggregator}); they check their inputs first and write
 * nothing on bad input. Thread-safe and immutable.
 */
public final class Aggregators {
  private Aggregators() {}

  /**
   * The coordinate-wise arithmetic mean (FedAvg with equal weights): not robust.
   *
   * @return the rule
   */
  public static Aggregator mean() {
    return named("mean", (inputs, out) -> {
      check(inputs, out, 1);
      Arrays.fill(out, 0f);
      for (float[] x : inputs) {
        VectorKernels.axpy(1f, x, out);
      }
      VectorKernels.scale(1f / inputs.size(), out);
    });
  }

  /**
   * The weighted mean {@code sum w_i x_i / sum w_i}, accumulated in double: FedAvg with sample
   * counts as weights. Not robust.
   *
   * @param inputs the vectors
   * @param weights one finite weight {@code >= 0} per input, not all zero
   * @param out receives the mean
   * @throws IllegalArgumentException if the sizes differ, a weight is negative or not finite, all
   *     weights are zero, or an input is bad (see {@link Aggregator#aggregate(List, float[])})
   */
  public static void weightedMean(List<float[]> inputs, double[] weights, float[] out) {
    check(inputs, out, 1);
    if (weights.length != inputs.size()) {
      throw new IllegalArgumentException(
          "weights must have one entry per input (" + inputs.size() + "), had " + weights.length);
    }
    double total = 0;
    for (int i = 0; i < weights.length; i++) {
      if (!(Double.isFinite(weights[i]) && weights[i] >= 0)) {
        throw new IllegalArgumentException("weights[" + i + "] must be finite and >= 0, was "
            + weights[i]);
      }
      total += weights[i];
    }
    if (total == 0) {
      throw new IllegalArgumentException("weights must not all be zero");
    }
    double[] acc = new double[out.length];
    for (int i = 0; i < weights.length; i++) {
      float[] x = inputs.get(i);
      double w = weights[i] / total;
      for (int j = 0; j < acc.length; j++) {
        acc[j] += w * x[j];
      }
    }
    for (int j = 0; j < acc.length; j++) {
      out[j] = (float) acc[j];
    }
  }

  /**
   * The coordinate-wise median; for an even count, the mean of the two middle values.
   *
   * @return the rule
   */
  public static Aggregator median() {
    return named("median", (inputs, out) -> {
      check(inputs, out, 1);
      median(inputs, out);
    });
  }

  /**
   * The coordinate-wise trimmed mean: per coordinate, drop the {@code floor(beta n)} largest and
   * the as many smallest values, average the rest.
   *
   * @param beta the fraction trimmed from each side, in {@code [0, 0.5)}
   * @return the rule; it needs {@code n - 2 floor(beta n) >= 1} inputs
   * @throws IllegalArgumentException if {@code beta} is out of range
   */
  public static Aggregator trimmedMean(double beta) {
    if (!(beta >= 0 && beta < 0.5)) {
      throw new IllegalArgumentException("beta must be in [0, 0.5), was " + beta);
    }
    return named("trimmedMean(" + beta + ")", (inputs, out) -> {
      check(inputs, out, 1);
      int n = inputs.size();
      int k = (int) Math.floor(beta * n);
      float[] column = new float[n];
      for (int j = 0; j < out.length; j++) {
        for (int i = 0; i < n; i++) {
          column[i] = inputs.get(i)[j];
        }
        Arrays.sort(column);
        double s = 0;
        for (int i = k; i < n - k; i++) {
          s += column[i];
        }
        out[j] = (float) (s / (n - 2 * k));
      }
    });
  }

  /**
   * Krum: the input with the lowest score (see the class documentation).
   *
   * @param f the number of Byzantine inputs tolerated, {@code >= 0}
   * @return the rule; it needs {@code n > 2f + 2} inputs
   * @throws IllegalArgumentException if {@code f < 0}
   */
  public static Aggregator krum(int f) {
    return multiKrum(f, 1);
  }

  /**
   * Multi-Krum: the mean of the {@code m} inputs with the lowest Krum scores.
   *
   * @param f the number of Byzantine inputs tolerated, {@code >= 0}
   * @param m how many inputs to average, {@code >= 1}; at most {@code n} at call time
   * @return the rule; it needs {@code n > 2f + 2} inputs
   * @throws IllegalArgumentException if {@code f < 0} or {@code m < 1}
   */
  public static Aggregator multiKrum(int f, int m) {
    if (f < 0) {
      throw new IllegalArgumentException("f must be >= 0, was " + f);
    }
    if (m < 1) {
      throw new IllegalArgumentException("m must be >= 1, was " + m);
    }
    String name = m == 1 ? "krum(" + f + ")" : "multiKrum(" + f + ", " + m + ")";
    return named(name, (inputs, out) -> {
      check(inputs, out, 1);
      int n = inputs.size();
      if (n <= 2 * f + 2) {
        throw new IllegalArgumentException(
            "Krum with f = " + f + " needs n > 2f + 2 = " + (2 * f + 2) + " inputs, had " + n);
      }
      if (m > n) {
        throw new IllegalArgumentException("m = " + m + " exceeds the " + n + " inputs");
      }
      int[] chosen = krumSelect(inputs, f, m);
      Arrays.fill(out, 0f);
      for (int c : chosen) {
        VectorKernels.axpy(1f, inputs.get(c), out);
      }
      VectorKernels.scale(1f / m, out);
    });
  }

  /**
   * The indices of the {@code m} inputs with the lowest Krum scores, best first (ties: lower
   * index first). Exposed for reporting which peers were selected.
   *
   * @param inputs the vectors, finite, equal lengths
   * @param f the number of Byzantine inputs tolerated
   * @param m how many to select
   * @return the selected indices
   * @throws IllegalArgumentException if {@code n <= 2f + 2}, {@code m} is not in {@code [1, n]} or
   *     an input is bad
   */
  public static int[] krumSelect(List<float[]> inputs, int f, int m) {
    check(inputs, new float[inputs.isEmpty() ? 0 : inputs.get(0).length], 1);
    int n = inputs.size();
    if (f < 0 || n <= 2 * f + 2) {
      throw new IllegalArgumentException(
          "Krum with f = " + f + " needs f >= 0 and n > 2f + 2, had n = " + n);
    }
    if (m < 1 || m > n) {
      throw new IllegalArgumentException("m must be in [1, " + n + "], was " + m);
    }
    double[] scores = krumScores(inputs, f);
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> {
      int c = Double.compare(scores[a], scores[b]);
      return c != 0 ? c : Integer.compare(a, b);
    });
    int[] chosen = new int[m];
    for (int i = 0; i < m; i++) {
      chosen[i] = order[i];
    }
    return chosen;
  }

  /**
   * Every input's Krum score: the sum of its squared distances to its {@code n - f - 2} nearest
   * other inputs. The caller has checked the inputs and {@code n > 2f + 2}.
   */
  static double[] krumScores(List<float[]> inputs, int f) {
    int n = inputs.size();
    double[][] d = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double dij = VectorKernels.squaredDistance(inputs.get(i), inputs.get(j));
        d[i][j] = dij;
        d[j][i] = dij;
      }
    }
    int neighbours = n - f - 2;
    double[] scores = new double[n];
    double[] row = new double[n - 1];
    for (int i = 0; i < n; i++) {
      int k = 0;
      for (int j = 0; j < n; j++) {
        if (j != i) {
          row[k++] = d[i][j];
        }
      }
      Arrays.sort(row);
      double s = 0;
      for (int j = 0; j < neighbours; j++) {
        s += row[j];
      }
      scores[i] = s;
    }
    return scores;
  }

  /**
   * Centered clipping from the coordinate-wise median of the inputs.
   *
   * @param tau the clipping radius, finite and {@code > 0} (in the inputs' units)
   * @param iterations how many clipping iterations, {@code >= 1} (1 to 3 is typical)
   * @return the rule
   * @throws IllegalArgumentException if an argument is out of range
   */
  public static Aggregator centeredClipping(float tau, int iterations) {
    checkClipping(tau, iterations);
    return named("centeredClipping(" + tau + ", " + iterations + ")", (inputs, out) -> {
      check(inputs, out, 1);
      median(inputs, out);
      clipIterations(inputs, out, tau, iterations);
    });
  }

  /**
   * Centered clipping from a given center {@code v0} (for example the previous round's aggregate
   * or a momentum), as in Karimireddy et al.
   *
   * @param inputs the vectors, finite
   * @param center the starting point {@code v0}, same length, finite (not modified)
   * @param tau the clipping radius, finite and {@code > 0}
   * @param iterations the iteration count, {@code >= 1}
   * @param out receives the aggregate
   * @throws IllegalArgumentException if an argument is out of range or an input is bad
   */
  public static void centeredClipping(
      List<float[]> inputs, float[] center, float tau, int iterations, float[] out) {
    checkClipping(tau, iterations);
    check(inputs, out, 1);
    checkVector("center", center, out.length);
    System.arraycopy(center, 0, out, 0, out.length);
    clipIterations(inputs, out, tau, iterations);
  }

  /** A rule whose {@code toString} is its name and parameters, for logs and reports. */
  private static Aggregator named(String name, Aggregator rule) {
    return new Aggregator() {
      @Override
      public void aggregate(List<float[]> inputs, float[] out) {
        rule.aggregate(inputs, out);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  private static void clipIterations(List<float[]> inputs, float[] v, float tau, int iterations) {
    int n = inputs.size();
    int d = v.length;
    float[] diff = new float[d];
    float[] step = new float[d];
    for (int it = 0; it < iterations; it++) {
      java.util.Arrays.fill(step, 0f);
      for (float[] x : inputs) {
        System.arraycopy(x, 0, diff, 0, d);
        VectorKernels.axpy(-1f, v, diff); // x - v
        double dist = Math.sqrt(VectorKernels.dot(diff, diff));
        double c = dist > tau ? tau / dist : 1.0;
        VectorKernels.axpy((float) (c / n), diff, step);
      }
      VectorKernels.axpy(1f, step, v);
    }
  }

  private static void median(List<float[]> inputs, float[] out) {
    int n = inputs.size();
    float[] column = new float[n];
    for (int j = 0; j < out.length; j++) {
      for (int i = 0; i < n; i++) {
        column[i] = inputs.get(i)[j];
      }
      Arrays.sort(column);
      out[j] = (n & 1) == 1 ? column[n / 2]
          : (float) (((double) column[n / 2 - 1] + column[n / 2]) / 2);
    }
  }

  private static void checkClipping(float tau, int iterations) {
    if (!(Float.isFinite(tau) && tau > 0f)) {
      throw new IllegalArgumentException("tau must be finite and > 0, was " + tau);
    }
    if (iterations < 1) {
      throw new IllegalArgumentException("iterations must be >= 1, was " + iterations);
    }
  }

  static void check(List<float[]> inputs, float[] out, int minInputs) {
    if (inputs.size() < minInputs) {
      throw new IllegalArgumentException(
          "inputs must hold at least " + minInputs + " vectors, had " + inputs.size());
    }
    for (int i = 0; i < inputs.size(); i++) {
      checkVector("inputs[" + i + "]", inputs.get(i), out.length);
    }
  }

  private static void checkVector(String name, float[] x, int length) {
    if (x == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    if (x.length != length) {
      throw new IllegalArgumentException(name + " must have length " + length + ", had " + x.length);
    }
    for (int j = 0; j < x.length; j++) {
      if (!Float.isFinite(x[j])) {
        throw new IllegalArgumentException(name + "[" + j + "] must be finite, was " + x[j]);
      }
    }
  }
}
