package io.github.edgenet.optimize.allocate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides how much of a node each task type may use: demand forecast per type (Holt's linear
 * method), minimum guarantees, strict priorities, and Dominant Resource Fairness across CPU and
 * memory with weights inside a priority level.
 *
 * <pre>{@code
 * ResourceAllocator allocator = ResourceAllocator.create(0.5, 0.2);
 * allocator.register("inference", TaskType.of(1, 4e9).withPriority(1).withMinimumTasks(1));
 * allocator.register("training", TaskType.of(3, 1e9));
 * allocator.observe("inference", 5);            // tasks demanded in the last period
 * allocator.observe("training", 2);
 * Allocation a = allocator.allocate(9, 18e9);   // 9 cores, 18 GB
 * Grant g = a.grant("inference");
 * }</pre>
 *
 * <p><b>Algorithm of {@link #allocate}.</b> Each type's demand is its one-period forecast, at
 * least 0. (1) Guarantees: DRF over all types with caps {@code min(minimumTasks, demand)}; when the
 * guarantees fit, each gets exactly its guarantee. (2) Priority levels from highest to lowest:
 * weighted DRF of what is left with caps {@code demand - granted}. The node's capacity is never
 * exceeded. {@code O(n log n)} for {@code n} types.
 *
 * <p><b>Thread-safety.</b> Thread-safe (methods are synchronized); the returned {@link Allocation}
 * is immutable.
 */
public final class ResourceAllocator {
  private final double alpha;
  private final double beta;
  private final Map<String, Integer> index = new LinkedHashMap<>();
  private final List<String> names = new ArrayList<>();
  private final List<TaskType> types = new ArrayList<>();
  private final List<HoltForecaster> forecasts = new ArrayList<>();
  private final List<double[]> needs = new ArrayList<>();
  private Names snapshot; // the names as of the last registration, shared by allocations

  private ResourceAllocator(double alpha, double beta) {
    new HoltForecaster(alpha, beta); // validates
    this.alpha = alpha;
    this.beta = beta;
  }

  /**
   * An allocator whose forecasts use Holt smoothing {@code alpha} (level) and {@code beta}
   * (trend).
   *
   * @param alpha the level's smoothing, in {@code (0, 1]}: 1 follows the last observation
   * @param beta the trend's smoothing, in {@code [0, 1]}: 0 ignores the trend
   * @return an allocator with no task type registered
   * @throws IllegalArgumentException if {@code alpha} is not in {@code (0, 1]} or {@code beta}
   *     not in {@code [0, 1]}
   */
  public static ResourceAllocator create(double alpha, double beta) {
    return new ResourceAllocator(alpha, beta);
  }

  /**
   * Registers a task type, or replaces its description (its forecast is kept).
   *
   * @param name the type's name, unique in this allocator
   * @param type how its tasks use the node and rank against the others
   * @throws NullPointerException if an argument is null
   */
  public synchronized void register(String name, TaskType type) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Integer i = index.get(name);
    if (i != null) {
      types.set(i, type);
      needs.set(i, new double[] {type.cpuPerTask(), type.memoryBytesPerTask()});
      return;
    }
    snapshot = null;
    index.put(name, names.size());
    names.add(name);
    types.add(type);
    needs.add(new double[] {type.cpuPerTask(), type.memoryBytesPerTask()});
    forecasts.add(new HoltForecaster(alpha, beta));
  }

  /**
   * Records the demand of one period for a type (e.g. tasks submitted or queued).
   *
   * @param name a registered type
   * @param tasks the period's demand, in tasks, finite and {@code >= 0}
   * @throws IllegalArgumentException if the type is not registered or {@code tasks} is not finite
   *     and {@code >= 0}
   */
  public synchronized void observe(String name, double tasks) {
    if (!(Double.isFinite(tasks) && tasks >= 0)) {
      throw new IllegalArgumentException("tasks must be finite and >= 0, was " + tasks);
    }
    forecasts.get(indexOf(name)).observe(tasks);
  }

  /**
   * The demand forecast of a type for the next period, at least 0.
   *
   * @param name a registered type
   * @return the forecast demand in tasks for the next period, clamped at 0
   * @throws IllegalArgumentException if the type is not registered
   */
  public synchronized double forecast(String name) {
    return Math.max(0, forecasts.get(indexOf(name)).forecast(1));
  }

  /**
   * Number of registered types.
   *
   * @return the number of registered task types
   */
  public synchronized int size() {
    return names.size();
  }

  /**
   * Splits the node among the registered types (see the type's documentation).
   *
   * @param cpuCores cores available, finite and {@code >= 0}
   * @param memoryBytes bytes available, finite and {@code >= 0}
   * @return the grants
   * @throws IllegalArgumentException if a capacity is out of range
   */
  public synchronized Allocation allocate(double cpuCores, double memoryBytes) {
    double[] capacity = {cpuCores, memoryBytes};
    for (int r = 0; r < 2; r++) {
      if (!(Double.isFinite(capacity[r]) && capacity[r] >= 0)) {
        throw new IllegalArgumentException((r == 0 ? "cpuCores" : "memoryBytes")
            + " must be finite and >= 0, was " + capacity[r]);
      }
    }
    int n = names.size();
    double[][] need = new double[n][];
    double[] demand = new double[n];
    double[] caps = new double[n];
    double[] weights = new double[n];
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      TaskType t = types.get(i);
      need[i] = needs.get(i);
      demand[i] = Math.max(0, forecasts.get(i).forecast(1));
      caps[i] = Math.min(t.minimumTasks(), demand[i]);
      weights[i] = t.weight();
      // Highest priority first, then registration order: one primitive sort.
      keys[i] = ((long) ~t.priority() << 32) | i;
    }
    double[] granted = DominantResourceFairness.fill(capacity, need, caps, weights);
    Arrays.sort(keys);
    int[] byPriority = new int[n];
    for (int k = 0; k < n; k++) {
      byPriority[k] = (int) (keys[k] & 0xFFFFFFFFL);
    }
    for (int start = 0; start < n;) {
      int level = types.get(byPriority[start]).priority();
      int end = start;
      while (end < n && types.get(byPriority[end]).priority() == level) {
        end++;
      }
      double[] used = DominantResourceFairness.usage(need, granted, 2);
      double[] left = {Math.max(0, capacity[0] - used[0]), Math.max(0, capacity[1] - used[1])};
      int m = end - start;
      double[][] levelNeed = new double[m][];
      double[] levelCaps = new double[m];
      double[] levelWeights = new double[m];
      for (int k = 0; k < m; k++) {
        int i = byPriority[start + k];
        levelNeed[k] = need[i];
        levelCaps[k] = Math.max(0, demand[i] - granted[i]);
        levelWeights[k] = weights[i];
      }
      double[] extra = DominantResourceFairness.fill(left, levelNeed, levelCaps, levelWeights);
      for (int k = 0; k < m; k++) {
        granted[byPriority[start + k]] += extra[k];
      }
      start = end;
    }
    DominantResourceFairness.enforceCapacity(capacity, need, granted);
    if (snapshot == null) {
      snapshot = new Names(List.copyOf(names), Map.copyOf(index));
    }
    return new Allocation(snapshot, demand, granted, need);
  }

  private int indexOf(String name) {
    Integer i = index.get(Objects.requireNonNull(name, "name"));
    if (i == null) {
      throw new IllegalArgumentException("task type '" + name + "' is not registered");
    }
    return i;
  }

  /** The registered names at one time: immutable, shared by the allocations made meanwhile. */
  private record Names(List<String> list, Map<String, Integer> index) {}

  /**
   * The grants of one {@link #allocate} call, by task type in registration order. Immutable and
   * thread-safe.
   */
  public static final class Allocation {
    private final Names names;
    private final double[] forecast;
    private final double[] tasks;
    private final double[][] need;

    private Allocation(Names names, double[] forecast, double[] tasks, double[][] need) {
      this.names = names;
      this.forecast = forecast;
      this.tasks = tasks;
      this.need = need;
    }

    /**
     * The grant of a type.
     *
     * @param name a type registered when the allocation was made
     * @return what it may use until the next allocation
     * @throws IllegalArgumentException if the type was not registered at allocation time
     */
    public Grant grant(String name) {
      Integer i = names.index().get(Objects.requireNonNull(name, "name"));
      if (i == null) {
        throw new IllegalArgumentException("task type '" + name + "' is not in this allocation");
      }
      return grant(i);
    }

    private Grant grant(int i) {
      return new Grant(forecast[i], tasks[i], tasks[i] * need[i][0], tasks[i] * need[i][1]);
    }

    /**
     * Every grant by type, in registration order (a new unmodifiable map, {@code O(n)}).
     *
     * @return the grants, keyed by type name
     */
    public Map<String, Grant> grants() {
      Map<String, Grant> m = LinkedHashMap.newLinkedHashMap(tasks.length);
      for (int i = 0; i < tasks.length; i++) {
        m.put(names.list().get(i), grant(i));
      }
      return Collections.unmodifiableMap(m);
    }

    /**
     * Number of task types.
     *
     * @return the number of task types allocated to
     */
    public int size() {
      return tasks.length;
    }

    /**
     * Total cores granted.
     *
     * @return the cores granted to all types together, at most the node's cores
     */
    public double cpu() {
      double sum = 0;
      for (int i = 0; i < tasks.length; i++) {
        sum += tasks[i] * need[i][0];
      }
      return sum;
    }

    /**
     * Total bytes granted.
     *
     * @return the bytes granted to all types together, at most the node's memory
     */
    public double memoryBytes() {
      double sum = 0;
      for (int i = 0; i < tasks.length; i++) {
        sum += tasks[i] * need[i][1];
      }
      return sum;
    }

    @Override
    public String toString() {
      return "Allocation[" + tasks.length + " types, cpu " + cpu() + ", memoryBytes "
          + memoryBytes() + "]";
    }
  }
}
