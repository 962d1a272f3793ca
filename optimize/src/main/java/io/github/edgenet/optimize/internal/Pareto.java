package io.github.edgenet.optimize.internal;

import io.github.edgenet.optimize.search.Scored;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Non-dominated sorting and crowding distance (Deb, Pratap, Agarwal and Meyarivan 2002), with
 * Deb's constrained domination. Objectives: accuracy (maximized), latency and memory (minimized).
 */
public final class Pareto {
  private Pareto() {}

  /**
   * Deb's constrained domination: a feasible solution dominates an infeasible one; of two
   * infeasible ones the smaller violation dominates; of two feasible ones, Pareto dominance.
   *
   * @param a the first scored candidate
   * @param b the second scored candidate
   * @return whether {@code a} dominates {@code b} by those rules (never both ways; equal ones
   *     dominate neither)
   */
  public static boolean constrainedDominates(Scored a, Scored b) {
    if (a.feasible() != b.feasible()) {
      return a.feasible();
    }
    if (!a.feasible()) {
      return a.violation() < b.violation();
    }
    return a.dominates(b);
  }

  /**
   * The fast non-dominated sort: front indices into {@code items}, best front first, each front in
   * increasing index order. {@code O(M n^2)}.
   *
   * @param items the scored candidates, {@code n} of them
   * @return the fronts, each a new array of indices into {@code items}; together they hold every
   *     index once
   */
  public static List<int[]> fronts(List<Scored> items) {
    int n = items.size();
    int[] dominatedCount = new int[n];
    boolean[] dominates = new boolean[n * n]; // dominates[i * n + j]: i dominates j
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      Scored a = items.get(i);
      for (int j = i + 1; j < n; j++) {
        Scored b = items.get(j);
        if (constrainedDominates(a, b)) {
          dominates[i * n + j] = true;
          out[i]++;
          dominatedCount[j]++;
        } else if (constrainedDominates(b, a)) {
          dominates[j * n + i] = true;
          out[j]++;
          dominatedCount[i]++;
        }
      }
    }
    List<int[]> fronts = new ArrayList<>();
    int[] current = indicesWhereZero(dominatedCount);
    while (current.length > 0) {
      fronts.add(current);
      int[] next = new int[n];
      int size = 0;
      for (int i : current) {
        for (int j = 0, left = out[i]; left > 0; j++) {
          if (dominates[i * n + j]) {
            left--;
            if (--dominatedCount[j] == 0) {
              next[size++] = j;
            }
          }
        }
      }
      current = Arrays.copyOf(next, size);
      Arrays.sort(current);
    }
    return fronts;
  }

  private static int[] indicesWhereZero(int[] counts) {
    return java.util.stream.IntStream.range(0, counts.length).filter(i -> counts[i] == 0)
        .toArray();
  }

  /**
   * The crowding distance of each member of {@code front} (indices into {@code items}): the sum
   * over objectives of the normalized gap between its two neighbours; the extremes of each
   * objective get {@link Double#POSITIVE_INFINITY}.
   *
   * @param items the scored candidates
   * @param front indices into {@code items}: one front
   * @return a new array, the crowding distance of {@code front[i]} at {@code i}, each {@code >= 0}
   *     or infinite
   */
  public static double[] crowding(List<Scored> items, int[] front) {
    int m = front.length;
    double[] distance = new double[m];
    if (m <= 2) {
      Arrays.fill(distance, Double.POSITIVE_INFINITY);
      return distance;
    }
    for (int objective = 0; objective < 3; objective++) {
      final int o = objective;
      Integer[] order = new Integer[m];
      for (int i = 0; i < m; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (x, y) -> {
        int c = Double.compare(value(items.get(front[x]), o), value(items.get(front[y]), o));
        return c != 0 ? c : Integer.compare(x, y);
      });
      double min = value(items.get(front[order[0]]), o);
      double max = value(items.get(front[order[m - 1]]), o);
      distance[order[0]] = Double.POSITIVE_INFINITY;
      distance[order[m - 1]] = Double.POSITIVE_INFINITY;
      if (max == min) {
        continue;
      }
      for (int k = 1; k < m - 1; k++) {
        double gap = value(items.get(front[order[k + 1]]), o)
            - value(items.get(front[order[k - 1]]), o);
        distance[order[k]] += gap / (max - min);
      }
    }
    return distance;
  }

  /** Objective {@code o} as a value to minimize. */
  static double value(Scored s, int o) {
    return switch (o) {
      case 0 -> -s.evaluation().accuracy();
      case 1 -> s.evaluation().latencyNanos();
      default -> s.evaluation().memoryBytes();
    };
  }
}
