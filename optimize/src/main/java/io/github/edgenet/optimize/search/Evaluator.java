package io.github.edgenet.optimize.search;

/**
 * Measures a candidate: trains and measures a model, or estimates from a cost model. The engine
 * calls it at most once per distinct candidate of a run (results are cached).
 *
 * <p><b>Determinism.</b> A search is reproducible from its seed when the evaluator is a function
 * of the candidate: draw any randomness from a source derived from {@link Candidate#key()}, not
 * from shared state, because with an executor several candidates are evaluated at once in no
 * particular order.
 *
 * <p><b>Thread-safety.</b> With {@link SearchEngine.Builder#executor} the evaluator is called from
 * several threads at once and must be thread-safe.
 */
@FunctionalInterface
public interface Evaluator {
  /**
   * Evaluates {@code candidate}.
   *
   * @param candidate a point of the engine's space
   * @return the measurement, never null
   * @throws RuntimeException on failure; the engine rethrows it wrapped in an {@link
   *     EvaluationException} naming the candidate, and the run ends
   */
  Evaluation evaluate(Candidate candidate);
}
