package io.github.edgenet.optimize.allocate;

/**
 * How a kind of task uses a node and how it ranks against the others.
 *
 * @param cpuPerTask CPU one task needs, in cores (finite, {@code >= 0})
 * @param memoryBytesPerTask memory one task needs, in bytes (finite, {@code >= 0})
 * @param weight its share weight among its priority level (finite, {@code > 0})
 * @param priority higher levels are served before lower ones
 * @param minimumTasks tasks guaranteed (up to its forecast demand) before any fair sharing
 *     (finite, {@code >= 0})
 */
public record TaskType(
    double cpuPerTask, double memoryBytesPerTask, double weight, int priority,
    double minimumTasks) {
  /**
   * Validates the components.
   *
   * @throws IllegalArgumentException naming the first component out of range and its value
   */
  public TaskType {
    check("cpuPerTask", cpuPerTask);
    check("memoryBytesPerTask", memoryBytesPerTask);
    check("minimumTasks", minimumTasks);
    if (!(Double.isFinite(weight) && weight > 0)) {
      throw new IllegalArgumentException("weight must be finite and > 0, was " + weight);
    }
  }

  /**
   * A task type of weight 1, priority 0 and no guarantee.
   *
   * @param cpuPerTask cores one task needs, finite and {@code >= 0}
   * @param memoryBytesPerTask bytes one task needs, finite and {@code >= 0}
   * @return the task type
   */
  public static TaskType of(double cpuPerTask, double memoryBytesPerTask) {
    return new TaskType(cpuPerTask, memoryBytesPerTask, 1, 0, 0);
  }

  /**
   * This type with another weight.
   *
   * @param weight the share weight, finite and {@code > 0}
   * @return a copy with that weight
   */
  public TaskType withWeight(double weight) {
    return new TaskType(cpuPerTask, memoryBytesPerTask, weight, priority, minimumTasks);
  }

  /**
   * This type with another priority.
   *
   * @param priority the level; higher levels are served first
   * @return a copy with that priority
   */
  public TaskType withPriority(int priority) {
    return new TaskType(cpuPerTask, memoryBytesPerTask, weight, priority, minimumTasks);
  }

  /**
   * This type with another guarantee.
   *
   * @param minimumTasks tasks guaranteed before fair sharing, finite and {@code >= 0}
   * @return a copy with that guarantee
   */
  public TaskType withMinimumTasks(double minimumTasks) {
    return new TaskType(cpuPerTask, memoryBytesPerTask, weight, priority, minimumTasks);
  }

  private static void check(String name, double v) {
    if (!(Double.isFinite(v) && v >= 0)) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, was " + v);
    }
  }
}
