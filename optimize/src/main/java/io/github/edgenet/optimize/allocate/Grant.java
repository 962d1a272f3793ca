package io.github.edgenet.optimize.allocate;

/**
 * What one task type may use of the node until the next re-allocation.
 *
 * @param forecastTasks the demand forecast it was sized for (tasks per period)
 * @param tasks tasks granted (a real number; {@link #wholeTasks()} rounds down)
 * @param cpu cores granted ({@code tasks * cpuPerTask})
 * @param memoryBytes memory granted ({@code tasks * memoryBytesPerTask})
 */
public record Grant(double forecastTasks, double tasks, double cpu, double memoryBytes) {
  /**
   * The grant as whole tasks, rounded down (what a scheduler admits concurrently).
   *
   * @return {@code floor(tasks)}, {@code >= 0}
   */
  public long wholeTasks() {
    return (long) Math.floor(tasks + 1e-9);
  }
}
