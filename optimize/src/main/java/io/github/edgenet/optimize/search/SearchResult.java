package io.github.edgenet.optimize.search;

import java.util.List;
import java.util.Optional;

/**
 * The state of a search run after one step, as handed out by {@link SearchEngine#stream}.
 *
 * @param step the number of steps done (1 for the first result)
 * @param evaluations evaluator calls so far (cache hits are not counted)
 * @param best the best feasible candidate evaluated so far by {@link Scored#BEST_FIRST}; empty if
 *     none was feasible. An infeasible candidate is never returned here.
 * @param paretoFront the feasible candidates evaluated so far that no other feasible one dominates
 *     (accuracy up, latency down, memory down), by decreasing accuracy, each objective vector
 *     once; immutable
 * @param population the strategy's current population (the step's candidates for random search),
 *     immutable
 */
public record SearchResult(
    long step,
    long evaluations,
    Optional<Scored> best,
    List<Scored> paretoFront,
    List<Scored> population) {

  /** Copies the lists. */
  public SearchResult {
    paretoFront = List.copyOf(paretoFront);
    population = List.copyOf(population);
  }
}
