package io.github.edgenet.optimize.quantize;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Chooses one {@link Option} per layer so that the total size fits a budget and the total
 * predicted drop is smallest: the multiple-choice knapsack problem.
 *
 * <ul>
 *   <li>{@link #exact} solves it exactly by dynamic programming over the size: with sizes in units
 *       of {@code g} bytes and {@code C = budget / g}, {@code best[l][c]} is the smallest drop of
 *       layers {@code 0..l} within {@code c} units, {@code best[l][c] = min_k best[l-1][c - u(l,k)]
 *       + drop(l,k)}; {@code O(L * C * K)} time, {@code O(L * C)} bytes for the choices. When every
 *       size is a multiple of {@code g} the answer is optimal; otherwise sizes are rounded up to
 *       whole units, so the answer always fits the budget and is optimal for the rounded sizes.
 *       The table is bounded by {@link #MAX_TABLE_BYTES}.
 *   <li>{@link #greedy} is the usual baseline: start from each layer's lowest-drop option and,
 *       while over budget, apply the move to a smaller option with the least drop added per byte
 *       saved. It can be strictly worse than exact (see the tests and docs/optimize.md).
 * </ul>
 *
 * <p>Ties are broken towards the earlier option and the earlier layer, so results are
 * deterministic. <b>Thread-safety.</b> Stateless; thread-safe.
 */
public final class FormatAssignment {
  /**
   * The most bytes the dynamic program may use, {@code (layers + 16) * (budget / granularity + 1)}
   * (one choice byte per layer and cell, two rows of doubles): 64 MiB.
   */
  public static final long MAX_TABLE_BYTES = 1L << 26;

  private FormatAssignment() {}

  /**
   * The optimal assignment at the finest granularity that keeps the table within {@link
   * #MAX_TABLE_BYTES}: the greatest common divisor of all sizes, coarsened only if needed (then
   * sizes are rounded up: the answer fits the budget but may miss an optimum that needs the
   * exact sizes).
   *
   * @param <F> the format type
   * @param layers for each layer its options (at least one each)
   * @param budgetBytes the size budget
   * @return the assignment with the smallest total predicted drop whose total size fits the budget
   * @throws IllegalArgumentException if there is no layer, a layer has no option, the budget is
   *     negative, or even the smallest options exceed it
   */
  public static <F> Assignment<F> exact(List<List<Option<F>>> layers, long budgetBytes) {
    check(layers, budgetBytes);
    long g = 0;
    for (List<Option<F>> options : layers) {
      for (Option<F> o : options) {
        g = gcd(g, o.sizeBytes());
      }
    }
    g = Math.max(1, g);
    long perCell = layers.size() + 16L;
    if (perCell * (budgetBytes / g + 1) > MAX_TABLE_BYTES) {
      g = Math.max(g, ceilDiv(budgetBytes, MAX_TABLE_BYTES / perCell - 1));
    }
    return exact(layers, budgetBytes, g);
  }

  /**
   * The optimal assignment with sizes rounded up to multiples of {@code granularityBytes}.
   *
   * @param <F> the format type
   * @param layers for each layer its options (at least one each)
   * @param budgetBytes the size budget, {@code >= 0}
   * @param granularityBytes the size unit of the table, {@code >= 1}; 1 is exact for any sizes
   * @return the assignment with the smallest total predicted drop for the rounded sizes; its real
   *     size fits the budget
   * @throws IllegalArgumentException as {@link #exact(List, long)}, if {@code granularityBytes <
   *     1}, if the table would exceed {@link #MAX_TABLE_BYTES}, or if the rounded smallest
   *     options exceed the budget
   */
  public static <F> Assignment<F> exact(
      List<List<Option<F>>> layers, long budgetBytes, long granularityBytes) {
    check(layers, budgetBytes);
    if (granularityBytes < 1) {
      throw new IllegalArgumentException("granularityBytes must be >= 1, was " + granularityBytes);
    }
    int n = layers.size();
    long capLong = budgetBytes / granularityBytes;
    if ((n + 16L) * (capLong + 1) > MAX_TABLE_BYTES) {
      throw new IllegalArgumentException("a table of " + n + " layers x " + (capLong + 1)
          + " cells exceeds " + MAX_TABLE_BYTES + " bytes: use a coarser granularityBytes than "
          + granularityBytes);
    }
    int cap = (int) capLong;
    double[] prev = new double[cap + 1]; // best drop of no layer within c units: 0
    double[] cur = new double[cap + 1];
    byte[][] choice = new byte[n][cap + 1];
    for (int l = 0; l < n; l++) {
      List<Option<F>> options = layers.get(l);
      int k = options.size();
      long[] units = new long[k];
      double[] drop = new double[k];
      for (int j = 0; j < k; j++) {
        units[j] = ceilDiv(options.get(j).sizeBytes(), granularityBytes);
        drop[j] = options.get(j).drop();
      }
      byte[] chosen = choice[l];
      for (int c = 0; c <= cap; c++) {
        double best = Double.POSITIVE_INFINITY;
        int arg = -1;
        for (int j = 0; j < k; j++) {
          if (units[j] <= c) {
            double v = prev[c - (int) units[j]] + drop[j];
            if (v < best) {
              best = v;
              arg = j;
            }
          }
        }
        cur[c] = best;
        chosen[c] = (byte) arg;
      }
      double[] t = prev;
      prev = cur;
      cur = t;
    }
    if (prev[cap] == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("no assignment fits budgetBytes " + budgetBytes
          + " at granularity " + granularityBytes + " (smallest options: "
          + smallest(layers) + " bytes)");
    }
    int[] picks = new int[n];
    int c = cap;
    for (int l = n - 1; l >= 0; l--) {
      int j = choice[l][c];
      picks[l] = j;
      c -= (int) ceilDiv(layers.get(l).get(j).sizeBytes(), granularityBytes);
    }
    return assignment(layers, picks);
  }

  /**
   * The greedy baseline (see the type's documentation).
   *
   * @param <F> the format type
   * @param layers for each layer its options (at least one each)
   * @param budgetBytes the size budget, {@code >= 0}
   * @return the greedy assignment; it fits the budget, its drop may exceed the optimum
   * @throws IllegalArgumentException as {@link #exact(List, long)}
   */
  public static <F> Assignment<F> greedy(List<List<Option<F>>> layers, long budgetBytes) {
    check(layers, budgetBytes);
    int n = layers.size();
    int[] picks = new int[n];
    long size = 0;
    for (int l = 0; l < n; l++) {
      List<Option<F>> options = layers.get(l);
      int arg = 0;
      for (int j = 1; j < options.size(); j++) {
        Option<F> o = options.get(j);
        Option<F> b = options.get(arg);
        if (o.drop() < b.drop() || (o.drop() == b.drop() && o.sizeBytes() < b.sizeBytes())) {
          arg = j;
        }
      }
      picks[l] = arg;
      size += options.get(arg).sizeBytes();
    }
    while (size > budgetBytes) {
      int bestLayer = -1;
      int bestOption = -1;
      double bestRatio = Double.POSITIVE_INFINITY;
      for (int l = 0; l < n; l++) {
        Option<F> now = layers.get(l).get(picks[l]);
        for (int j = 0; j < layers.get(l).size(); j++) {
          Option<F> o = layers.get(l).get(j);
          if (o.sizeBytes() < now.sizeBytes()) {
            double ratio = (o.drop() - now.drop()) / (now.sizeBytes() - o.sizeBytes());
            if (ratio < bestRatio) {
              bestRatio = ratio;
              bestLayer = l;
              bestOption = j;
            }
          }
        }
      }
      if (bestLayer < 0) {
        throw new IllegalArgumentException("no assignment fits budgetBytes " + budgetBytes
            + " (smallest options: " + smallest(layers) + " bytes)");
      }
      size -= layers.get(bestLayer).get(picks[bestLayer]).sizeBytes()
          - layers.get(bestLayer).get(bestOption).sizeBytes();
      picks[bestLayer] = bestOption;
    }
    return assignment(layers, picks);
  }

  /**
   * The assignment with the given choices.
   *
   * @param <F> the format type
   * @param layers for each layer its options
   * @param picks for each layer the index of its chosen option; copied
   * @return the assignment with those choices, its size and predicted drop summed
   * @throws IllegalArgumentException if a choice is out of range or the count is wrong
   */
  public static <F> Assignment<F> of(List<List<Option<F>>> layers, int[] picks) {
    if (picks.length != layers.size()) {
      throw new IllegalArgumentException(
          "expected " + layers.size() + " choices, got " + picks.length);
    }
    for (int l = 0; l < picks.length; l++) {
      if (picks[l] < 0 || picks[l] >= layers.get(l).size()) {
        throw new IllegalArgumentException("choice " + l + " must be in [0, "
            + layers.get(l).size() + "), was " + picks[l]);
      }
    }
    return assignment(layers, picks);
  }

  private static <F> Assignment<F> assignment(List<List<Option<F>>> layers, int[] picks) {
    List<Integer> choices = new ArrayList<>();
    List<F> formats = new ArrayList<>();
    long size = 0;
    double drop = 0;
    for (int l = 0; l < picks.length; l++) {
      Option<F> o = layers.get(l).get(picks[l]);
      choices.add(picks[l]);
      formats.add(o.format());
      size = Math.addExact(size, o.sizeBytes());
      drop += o.drop();
    }
    return new Assignment<>(choices, formats, size, drop);
  }

  private static <F> void check(List<List<Option<F>>> layers, long budgetBytes) {
    Objects.requireNonNull(layers, "layers");
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("layers must not be empty");
    }
    for (int l = 0; l < layers.size(); l++) {
      List<Option<F>> options = Objects.requireNonNull(layers.get(l), "layers[" + l + "]");
      if (options.isEmpty() || options.size() > Byte.MAX_VALUE) {
        throw new IllegalArgumentException(
            "layer " + l + " must have 1 to 127 options, had " + options.size());
      }
    }
    if (budgetBytes < 0) {
      throw new IllegalArgumentException("budgetBytes must be >= 0, was " + budgetBytes);
    }
    if (smallest(layers) > budgetBytes) {
      throw new IllegalArgumentException("no assignment fits budgetBytes " + budgetBytes
          + ": the smallest options take " + smallest(layers) + " bytes");
    }
  }

  private static <F> long smallest(List<List<Option<F>>> layers) {
    long sum = 0;
    for (List<Option<F>> options : layers) {
      long min = Long.MAX_VALUE;
      for (Option<F> o : options) {
        min = Math.min(min, o.sizeBytes());
      }
      sum = Math.addExact(sum, min);
    }
    return sum;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  private static long ceilDiv(long a, long b) {
    return Math.ceilDiv(a, b);
  }
}
