package io.github.edgenet.optimize.search;

/**
 * How the engine proposes candidates. Immutable values; create them with the factories.
 *
 * <ul>
 *   <li>{@link #agingEvolution(int, int)} - regularized evolution (Real, Aggarwal, Huang and Le,
 *       "Regularized Evolution for Image Classifier Architecture Search", AAAI 2019): a population
 *       of {@code P} starts random; each step samples {@code S} members uniformly without
 *       replacement, mutates the best of the sample (one dimension set to a different choice), adds
 *       the child and removes the <em>oldest</em> member.
 *   <li>{@link #nsga2(int)} - the multi-objective NSGA-II (Deb, Pratap, Agarwal and Meyarivan,
 *       IEEE TEVC 2002): binary tournaments on (rank, crowding distance), uniform crossover and
 *       per-dimension mutation make {@code N} children; parents and children are sorted into
 *       non-dominated fronts with Deb's constrained domination and the best {@code N} survive,
 *       the last front cut by crowding distance.
 *   <li>{@link #randomSearch()} - the baseline: each step draws a uniform random candidate.
 * </ul>
 */
public sealed interface Strategy
    permits Strategy.AgingEvolution, Strategy.Nsga2, Strategy.RandomSearch {

  /**
   * Regularized (aging) evolution.
   *
   * @param population {@code P}, at least 2
   * @param sample {@code S}, in {@code [1, population]}
   * @return the strategy
   * @throws IllegalArgumentException if a size is out of range
   */
  static AgingEvolution agingEvolution(int population, int sample) {
    return new AgingEvolution(population, sample);
  }

  /**
   * NSGA-II with crossover probability 0.9 and mutation probability {@code 1 / dimensions} per
   * dimension (Deb et al.'s defaults).
   *
   * @param population {@code N}, at least 4
   * @return the strategy
   * @throws IllegalArgumentException if {@code population < 4}
   */
  static Nsga2 nsga2(int population) {
    return new Nsga2(population);
  }

  /**
   * Uniform random search.
   *
   * @return uniform random search, which proposes each candidate independently of the results
   */
  static RandomSearch randomSearch() {
    return new RandomSearch();
  }

  /**
   * Aging evolution's parameters.
   *
   * @param population {@code P}, at least 2
   * @param sample {@code S}, in {@code [1, population]}
   */
  record AgingEvolution(int population, int sample) implements Strategy {
    /**
     * Validates the sizes.
     *
     * @throws IllegalArgumentException if a size is out of range
     */
    public AgingEvolution {
      if (population < 2) {
        throw new IllegalArgumentException("population must be >= 2, was " + population);
      }
      if (sample < 1 || sample > population) {
        throw new IllegalArgumentException(
            "sample must be in [1, " + population + "], was " + sample);
      }
    }
  }

  /**
   * NSGA-II's parameters.
   *
   * @param population {@code N}, at least 4
   */
  record Nsga2(int population) implements Strategy {
    /**
     * Validates the size.
     *
     * @throws IllegalArgumentException if {@code population < 4}
     */
    public Nsga2 {
      if (population < 4) {
        throw new IllegalArgumentException("population must be >= 4, was " + population);
      }
    }
  }

  /** Random search (no parameters). */
  record RandomSearch() implements Strategy {}
}
