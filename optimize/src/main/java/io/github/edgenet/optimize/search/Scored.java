package io.github.edgenet.optimize.search;

import java.util.Comparator;
import java.util.Objects;

/**
 * A candidate with its evaluation and whether it meets the engine's hard constraints.
 *
 * @param candidate the candidate
 * @param evaluation what the evaluator measured
 * @param violation how far the candidate is over its budgets: 0 when feasible, otherwise the sum
 *     of the relative excesses ({@code latency / maxLatency - 1} and {@code memory / maxMemory -
 *     1}, counting only those above their budget)
 * @param order when the candidate was first evaluated in its run (0 for the first)
 */
public record Scored(Candidate candidate, Evaluation evaluation, double violation, long order) {
  /**
   * The single-objective order of aging evolution and of {@link SearchResult#best()}, best first:
   * feasible before infeasible; infeasible by smaller violation; feasible by higher accuracy, then
   * lower latency, then lower memory, then earlier evaluation.
   */
  public static final Comparator<Scored> BEST_FIRST = (a, b) -> {
    if (a.feasible() != b.feasible()) {
      return a.feasible() ? -1 : 1;
    }
    if (!a.feasible() && a.violation != b.violation) {
      return Double.compare(a.violation, b.violation);
    }
    int c = Double.compare(b.evaluation.accuracy(), a.evaluation.accuracy());
    if (c == 0) {
      c = Double.compare(a.evaluation.latencyNanos(), b.evaluation.latencyNanos());
    }
    if (c == 0) {
      c = Long.compare(a.evaluation.memoryBytes(), b.evaluation.memoryBytes());
    }
    return c != 0 ? c : Long.compare(a.order, b.order);
  };

  /**
   * Validates the components.
   *
   * @throws IllegalArgumentException if {@code violation} is negative or not finite
   */
  public Scored {
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(evaluation, "evaluation");
    if (!(violation >= 0 && Double.isFinite(violation))) {
      throw new IllegalArgumentException("violation must be finite and >= 0, was " + violation);
    }
  }

  /**
   * Whether the candidate meets every hard constraint.
   *
   * @return whether it is within every budget the engine was given
   */
  public boolean feasible() {
    return violation == 0;
  }

  /**
   * Whether this candidate Pareto-dominates {@code other} on (accuracy up, latency down, memory
   * down): no worse on all three and better on one. Feasibility is not considered.
   *
   * @param other the candidate compared with
   * @return whether this one is no worse on all three objectives and strictly better on one
   */
  public boolean dominates(Scored other) {
    Evaluation a = evaluation;
    Evaluation b = other.evaluation;
    boolean noWorse = a.accuracy() >= b.accuracy() && a.latencyNanos() <= b.latencyNanos()
        && a.memoryBytes() <= b.memoryBytes();
    boolean better = a.accuracy() > b.accuracy() || a.latencyNanos() < b.latencyNanos()
        || a.memoryBytes() < b.memoryBytes();
    return noWorse && better;
  }
}
