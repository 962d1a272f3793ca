package io.github.edgenet.optimize.search;

/**
 * What an {@link Evaluator} measured for one candidate. Accuracy is maximized, latency and memory
 * are minimized and checked against the engine's budgets.
 *
 * @param accuracy the quality metric, higher is better (e.g. validation accuracy in [0, 1]); finite
 * @param latencyNanos measured or estimated latency in nanoseconds (e.g. per sample); finite,
 *     {@code >= 0}
 * @param memoryBytes memory the candidate needs (e.g. weight bytes), {@code >= 0}
 */
public record Evaluation(double accuracy, double latencyNanos, long memoryBytes) {
  /**
   * Validates the components.
   *
   * @throws IllegalArgumentException naming the first component out of range and its value
   */
  public Evaluation {
    if (!Double.isFinite(accuracy)) {
      throw new IllegalArgumentException("accuracy must be finite, was " + accuracy);
    }
    if (!(Double.isFinite(latencyNanos) && latencyNanos >= 0)) {
      throw new IllegalArgumentException("latencyNanos must be finite and >= 0, was "
          + latencyNanos);
    }
    if (memoryBytes < 0) {
      throw new IllegalArgumentException("memoryBytes must be >= 0, was " + memoryBytes);
    }
  }
}
