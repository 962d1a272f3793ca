package io.github.edgenet.optimize.allocate;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Dominant Resource Fairness (Ghodsi, Zaharia, Hindman, Konwinski, Shenker and Stoica, "Dominant
 * Resource Fairness: Fair Allocation of Multiple Resource Types", NSDI 2011) for divisible tasks,
 * with task caps and weights.
 *
 * <p>A user's <em>dominant share</em> is the largest fraction of any one resource it holds. DRF
 * is max-min fairness on (weighted) dominant shares, computed by progressive filling: all users'
 * dominant shares per weight rise together; a user stops when it reaches its task cap, or when a
 * resource it needs is exhausted. Under it each user gets at least what an equal {@code 1/n} split
 * of every resource would give it (sharing incentive), envies nobody's allocation, cannot gain by
 * misreporting its demand (strategy-proofness), and no user can get more without another getting
 * less (Pareto efficiency); the tests check all four on seeded random workloads, and the paper's
 * worked example (9 CPUs, 18 GB; A needs {@code <1 CPU, 4 GB>} per task, B {@code <3 CPUs, 1 GB>}:
 * A gets 3 tasks, B 2).
 *
 * <p>The filling is event-driven: task caps in increasing order, at most one saturation event per
 * resource, so {@code O(n log n + n R)} for {@code n} users and {@code R} resources. Allocations
 * are real numbers of tasks; the total use of every resource never exceeds its capacity (a final
 * check scales rounding overshoots away). Stateless; thread-safe.
 */
public final class DominantResourceFairness {
  private DominantResourceFairness() {}

  /**
   * One user's demand.
   *
   * @param perTask what one task needs of each resource, each finite and {@code >= 0}
   * @param maxTasks the most tasks the user wants, finite and {@code >= 0}
   * @param weight the user's weight, finite and {@code > 0} (1 for the paper's unweighted DRF)
   */
  public record Demand(double[] perTask, double maxTasks, double weight) {
    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException naming the first component out of range and its value
     */
    public Demand {
      perTask = Objects.requireNonNull(perTask, "perTask").clone();
      for (int r = 0; r < perTask.length; r++) {
        if (!(Double.isFinite(perTask[r]) && perTask[r] >= 0)) {
          throw new IllegalArgumentException(
              "perTask[" + r + "] must be finite and >= 0, was " + perTask[r]);
        }
      }
      if (!(Double.isFinite(maxTasks) && maxTasks >= 0)) {
        throw new IllegalArgumentException("maxTasks must be finite and >= 0, was " + maxTasks);
      }
      if (!(Double.isFinite(weight) && weight > 0)) {
        throw new IllegalArgumentException("weight must be finite and > 0, was " + weight);
      }
    }

    /**
     * A copy of the per-task needs.
     *
     * @return a new array of what one task needs of each resource, in the resources' order
     */
    @Override
    public double[] perTask() {
      return perTask.clone();
    }
  }

  /**
   * The DRF allocation, tasks per user in the users' order.
   *
   * @param capacity the amount of each resource, finite and {@code >= 0}
   * @param users the users; each {@code perTask} has {@code capacity.length} entries
   * @return tasks per user
   * @throws IllegalArgumentException if a capacity is out of range or a demand has the wrong
   *     number of resources
   */
  public static double[] allocate(double[] capacity, List<Demand> users) {
    Objects.requireNonNull(capacity, "capacity");
    Objects.requireNonNull(users, "users");
    int n = users.size();
    int rs = capacity.length;
    for (int r = 0; r < rs; r++) {
      if (!(Double.isFinite(capacity[r]) && capacity[r] >= 0)) {
        throw new IllegalArgumentException(
            "capacity[" + r + "] must be finite and >= 0, was " + capacity[r]);
      }
    }
    double[][] need = new double[n][];
    double[] caps = new double[n];
    double[] weights = new double[n];
    for (int i = 0; i < n; i++) {
      Demand d = users.get(i);
      if (d.perTask.length != rs) {
        throw new IllegalArgumentException("user " + i + " needs " + d.perTask.length
            + " resources, capacity has " + rs);
      }
      need[i] = d.perTask;
      caps[i] = d.maxTasks;
      weights[i] = d.weight;
    }
    return fill(capacity, need, caps, weights);
  }

  /** Progressive filling on arrays (no validation, nothing copied); package-private for reuse. */
  static double[] fill(double[] capacity, double[][] need, double[] caps, double[] weights) {
    int n = need.length;
    int rs = capacity.length;
    double[] tasks = new double[n];
    double[] rate = new double[n]; // tasks per unit of the common level (dominant share / weight)
    boolean[] active = new boolean[n];
    double[] capLevel = new double[n];
    double[] used = new double[rs];
    double[] activeRate = new double[rs];
    int[] activeUsers = new int[rs];
    boolean[] saturated = new boolean[rs];
    int activeCount = 0;
    for (int i = 0; i < n; i++) {
      double dominant = 0;
      boolean blocked = false;
      for (int r = 0; r < rs; r++) {
        if (need[i][r] > 0) {
          if (capacity[r] == 0) {
            blocked = true;
          } else {
            dominant = Math.max(dominant, need[i][r] / capacity[r]);
          }
        }
      }
      if (blocked || caps[i] == 0) {
        continue; // gets nothing
      }
      if (dominant == 0) {
        tasks[i] = caps[i]; // needs nothing: every task it wants is free
        continue;
      }
      rate[i] = weights[i] / dominant;
      capLevel[i] = caps[i] / rate[i];
      active[i] = true;
      activeCount++;
      for (int r = 0; r < rs; r++) {
        if (need[i][r] > 0) {
          activeRate[r] += rate[i] * need[i][r];
          activeUsers[r]++;
        }
      }
    }
    int[] byCap = orderByCapLevel(capLevel, active, activeCount);
    int next = 0;
    int events = byCap.length;
    while (activeCount > 0) {
      while (next < events && !active[byCap[next]]) {
        next++;
      }
      double capEvent = next < events ? capLevel[byCap[next]] : Double.POSITIVE_INFINITY;
      double satEvent = Double.POSITIVE_INFINITY;
      int satResource = -1;
      for (int r = 0; r < rs; r++) {
        if (!saturated[r] && activeUsers[r] > 0) {
          double level = Math.max(0, capacity[r] - used[r]) / Math.max(activeRate[r], 0x1p-1074);
          if (level < satEvent) {
            satEvent = level;
            satResource = r;
          }
        }
      }
      if (capEvent <= satEvent) {
        int i = byCap[next++];
        tasks[i] = caps[i];
        retire(i, need, rate, active, used, activeRate, activeUsers, tasks[i]);
        activeCount--;
      } else {
        saturated[satResource] = true;
        for (int i = 0; i < n; i++) {
          if (active[i] && need[i][satResource] > 0) {
            tasks[i] = Math.min(caps[i], satEvent * rate[i]);
            retire(i, need, rate, active, used, activeRate, activeUsers, tasks[i]);
            activeCount--;
          }
        }
      }
    }
    enforceCapacity(capacity, need, tasks);
    return tasks;
  }

  /**
   * The active users by increasing cap level, with a primitive sort: each key is the level's bits
   * (non-negative doubles order like their bit patterns) with the low bits replaced by the index.
   * Levels closer than that lost precision may come out of order, which is harmless: a cap event
   * only retires a user at its own cap, and the saturation level never decreases when it does.
   */
  private static int[] orderByCapLevel(double[] capLevel, boolean[] active, int count) {
    int bits = Math.max(1, 64 - Long.numberOfLeadingZeros(Math.max(1, capLevel.length - 1)));
    long mask = (1L << bits) - 1;
    long[] keys = new long[count];
    int k = 0;
    for (int i = 0; i < capLevel.length; i++) {
      if (active[i]) {
        keys[k++] = (Double.doubleToRawLongBits(capLevel[i]) & ~mask) | i;
      }
    }
    Arrays.sort(keys);
    int[] order = new int[count];
    for (int j = 0; j < count; j++) {
      order[j] = (int) (keys[j] & mask);
    }
    return order;
  }

  private static void retire(int i, double[][] need, double[] rate, boolean[] active,
      double[] used, double[] activeRate, int[] activeUsers, double x) {
    active[i] = false;
    for (int r = 0; r < used.length; r++) {
      if (need[i][r] > 0) {
        used[r] += x * need[i][r];
        activeRate[r] -= rate[i] * need[i][r];
        if (--activeUsers[r] == 0) {
          activeRate[r] = 0;
        }
      }
    }
  }

  /** Scales the users of an over-used resource down until its use fits (rounding errors only). */
  static void enforceCapacity(double[] capacity, double[][] need, double[] tasks) {
    for (int r = 0; r < capacity.length; r++) {
      for (int round = 0; round < 64; round++) {
        double use = 0;
        for (int i = 0; i < tasks.length; i++) {
          use += tasks[i] * need[i][r];
        }
        if (use <= capacity[r]) {
          break;
        }
        double factor = Math.nextDown(capacity[r] / use);
        for (int i = 0; i < tasks.length; i++) {
          if (need[i][r] > 0) {
            tasks[i] *= factor;
          }
        }
      }
    }
  }

  /** Total use of each resource by {@code tasks}. */
  static double[] usage(double[][] need, double[] tasks, int resources) {
    double[] use = new double[resources];
    for (int i = 0; i < tasks.length; i++) {
      for (int r = 0; r < resources; r++) {
        use[r] += tasks[i] * need[i][r];
      }
    }
    return use;
  }
}
