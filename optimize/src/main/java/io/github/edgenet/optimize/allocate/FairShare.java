package io.github.edgenet.optimize.allocate;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Weighted max-min fair shares of one divisible resource counted in whole units (millicores,
 * bytes, ...), with strict priorities and minimum guarantees.
 *
 * <ol>
 *   <li>Every claim first gets its guarantee, {@code min(minimum, demand)}.
 *   <li>The rest goes to the highest priority first. Within a priority level it is water-filled by
 *       weight: claims whose remaining demand is below their weighted share are satisfied, and the
 *       others get equal shares per unit of weight (max-min fairness, Bertsekas and Gallager,
 *       "Data Networks", 6.5.2). What a level leaves over goes to the next lower level.
 * </ol>
 *
 * <p>Exact in integers except for the final split of an unsaturated level, which is within one
 * unit of the exact weighted share (rounding leftovers go one unit at a time to the claims with
 * the smallest remaining demand per weight, ties by index). Never more than a claim's demand, and
 * the sum never exceeds the capacity. {@code O(n log n)}. Stateless; thread-safe.
 */
public final class FairShare {
  private FairShare() {}

  /**
   * One claim on the resource.
   *
   * @param demand units wanted, {@code >= 0}
   * @param weight share weight, {@code >= 1}
   * @param minimum guaranteed units (up to the demand), {@code >= 0}
   * @param priority higher levels are served first
   */
  public record Claim(long demand, long weight, long minimum, int priority) {
    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException naming the first component out of range and its value
     */
    public Claim {
      if (demand < 0) {
        throw new IllegalArgumentException("demand must be >= 0, was " + demand);
      }
      if (weight < 1 || weight > (1L << 31)) {
        throw new IllegalArgumentException("weight must be in [1, 2^31], was " + weight);
      }
      if (minimum < 0) {
        throw new IllegalArgumentException("minimum must be >= 0, was " + minimum);
      }
    }
  }

  /**
   * The shares of {@code claims}, in their order.
   *
   * @param capacity units available, {@code >= 0}
   * @param claims the claims
   * @return units per claim
   * @throws IllegalArgumentException if {@code capacity < 0} or the guarantees exceed it
   */
  public static long[] allocate(long capacity, List<Claim> claims) {
    Objects.requireNonNull(claims, "claims");
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, was " + capacity);
    }
    int n = claims.size();
    long[] share = new long[n];
    long remaining = capacity;
    for (int i = 0; i < n; i++) {
      Claim c = claims.get(i);
      share[i] = Math.min(c.minimum(), c.demand());
      remaining -= share[i];
      if (remaining < 0) {
        throw new IllegalArgumentException("minimum guarantees exceed capacity " + capacity
            + " at claim " + i);
      }
    }
    Integer[] byPriority = new Integer[n];
    for (int i = 0; i < n; i++) {
      byPriority[i] = i;
    }
    Arrays.sort(byPriority, (a, b) -> Integer.compare(claims.get(b).priority(),
        claims.get(a).priority()));
    int start = 0;
    while (start < n && remaining > 0) {
      int end = start;
      int level = claims.get(byPriority[start]).priority();
      while (end < n && claims.get(byPriority[end]).priority() == level) {
        end++;
      }
      remaining = waterFill(claims, share, Arrays.copyOfRange(byPriority, start, end), remaining);
      start = end;
    }
    return share;
  }

  /** Water-fills {@code remaining} over {@code members}; returns what is left. */
  private static long waterFill(List<Claim> claims, long[] share, Integer[] members,
      long remaining) {
    long[] residual = new long[claims.size()];
    long totalWeight = 0;
    for (int i : members) {
      residual[i] = claims.get(i).demand() - share[i];
      totalWeight += claims.get(i).weight();
    }
    // Saturating order: remaining demand per weight, ascending (exact 128-bit comparison).
    Arrays.sort(members, (a, b) -> {
      int c = compareProducts(residual[a], claims.get(b).weight(), residual[b],
          claims.get(a).weight());
      return c != 0 ? c : Integer.compare(a, b);
    });
    int k = 0;
    while (k < members.length) {
      int i = members[k];
      long w = claims.get(i).weight();
      if (compareProducts(residual[i], totalWeight, remaining, w) > 0) {
        break; // its demand per weight exceeds the level: it and all after it are unsaturated
      }
      share[i] += residual[i];
      remaining -= residual[i];
      totalWeight -= w;
      k++;
    }
    if (k == members.length) {
      return remaining;
    }
    long given = 0;
    for (int m = k; m < members.length; m++) {
      int i = members[m];
      long part = (long) Math.floor((double) remaining * claims.get(i).weight() / totalWeight);
      part = Math.max(0, Math.min(part, residual[i] - 1)); // unsaturated: strictly below demand
      share[i] += part;
      given += part;
    }
    while (given > remaining) { // double rounding overshoot: take back one unit at a time
      for (int m = members.length - 1; m >= k && given > remaining; m--) {
        int i = members[m];
        if (share[i] > claims.get(i).demand() - residual[i]) {
          share[i]--;
          given--;
        }
      }
    }
    long left = remaining - given;
    for (int m = k; m < members.length && left > 0; m++) {
      int i = members[m];
      if (share[i] < claims.get(i).demand()) {
        share[i]++;
        left--;
      }
    }
    return left;
  }

  /** Compares {@code a * b} with {@code c * d} for non-negative longs, exactly. */
  static int compareProducts(long a, long b, long c, long d) {
    long hi1 = Math.multiplyHigh(a, b);
    long hi2 = Math.multiplyHigh(c, d);
    if (hi1 != hi2) {
      return Long.compare(hi1, hi2);
    }
    return Long.compareUnsigned(a * b, c * d);
  }
}
