package io.github.edgenet.optimize.search;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.optimize.internal.SearchRun;
import java.util.Iterator;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * An architecture (or any discrete) search, in the spirit of Jenetics' {@code Engine}: an
 * immutable engine configured by a nested builder, whose runs are streams of {@link SearchResult}s.
 *
 * <pre>{@code
 * SearchEngine engine = SearchEngine.builder(space, evaluator)
 *     .strategy(Strategy.agingEvolution(20, 5))
 *     .maxMemoryBytes(16_384)
 *     .executor(SearchEngine.virtualThreads())
 *     .batchSize(4)
 *     .build();
 * SearchResult last = engine.run(RandomSource.seeded(7), 200);    // 200 evaluations
 * Scored best = last.best().orElseThrow();                        // always feasible
 * engine.stream(RandomSource.seeded(7)).limit(50).forEach(r -> log(r.best()));
 * }</pre>
 *
 * <p><b>Constraints.</b> A candidate whose latency exceeds {@link Builder#maxLatencyNanos} or whose
 * memory exceeds {@link Builder#maxMemoryBytes} is infeasible: it can survive in a population (with
 * Deb's constrained domination, it loses to every feasible one) but is never reported as {@link
 * SearchResult#best()} or in the {@link SearchResult#paretoFront()}.
 *
 * <p><b>Caching.</b> Within one run the evaluator is called at most once per distinct candidate
 * (after {@link Builder#canonical canonicalization}); repeated candidates reuse the cached
 * evaluation and cost no evaluation of the budget.
 *
 * <p><b>Determinism and parallelism.</b> A step proposes {@link Builder#batchSize} candidates
 * (a whole generation for NSGA-II) from the state before the step, evaluates the new ones on the
 * executor, and then applies them in proposal order. Results therefore depend on the seed, the
 * configuration and the evaluator only, never on the executor or on thread timing: a run with
 * virtual threads equals the same run evaluated in the calling thread.
 *
 * <p><b>Thread-safety.</b> The engine is immutable and thread-safe; each stream is one run and must
 * be consumed by one thread.
 */
public final class SearchEngine {
  private static final int STALL_LIMIT = 1000;

  private final SearchSpace space;
  private final Evaluator evaluator;
  private final Strategy strategy;
  private final double maxLatencyNanos;
  private final long maxMemoryBytes;
  private final Executor executor;
  private final int batchSize;
  private final UnaryOperator<Candidate> canonical;

  private SearchEngine(Builder b) {
    this.space = b.space;
    this.evaluator = b.evaluator;
    this.strategy = b.strategy;
    this.maxLatencyNanos = b.maxLatencyNanos;
    this.maxMemoryBytes = b.maxMemoryBytes;
    this.executor = b.executor;
    this.batchSize = b.batchSize;
    this.canonical = b.canonical;
  }

  /**
   * A builder for an engine searching {@code space} with {@code evaluator}.
   *
   * @param space the choices a candidate is made of
   * @param evaluator measures a candidate; called at most once per distinct (canonical) candidate
   *     of a run
   * @return a builder with the defaults below
   * @throws NullPointerException if an argument is null
   */
  public static Builder builder(SearchSpace space, Evaluator evaluator) {
    return new Builder(Objects.requireNonNull(space, "space"),
        Objects.requireNonNull(evaluator, "evaluator"));
  }

  /**
   * An executor that runs each evaluation on a new virtual thread (nothing to shut down).
   *
   * @return an executor starting one virtual thread per evaluation; stateless, shareable
   */
  public static Executor virtualThreads() {
    return task -> Thread.ofVirtual().name("edgenet-search-eval").start(task);
  }

  /**
   * The space searched.
   *
   * @return the space given to the builder
   */
  public SearchSpace space() {
    return space;
  }

  /**
   * The strategy.
   *
   * @return the strategy given to the builder, or the default
   */
  public Strategy strategy() {
    return strategy;
  }

  /**
   * A new run as an infinite, ordered stream of results, one per step; limit it ({@code limit},
   * {@code takeWhile}). The run draws one number from {@code random} when it starts and is then
   * independent of it.
   *
   * @param random the seeded source the run's own stream is derived from; the same seed gives the
   *     same run
   * @return a lazy stream of the run's results, step 1 first; nothing is evaluated until it is
   *     consumed
   * @throws EvaluationException from the stream's terminal operation if the evaluator fails
   */
  public Stream<SearchResult> stream(RandomSource random) {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(iterator(random),
            Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }

  /**
   * A new run as an infinite iterator of results, one per step ({@link #stream} without streams).
   *
   * @param random the seeded source the run's own stream is derived from; the same seed gives the
   *     same run
   * @return a lazy iterator of the run's results, step 1 first
   * @throws EvaluationException from {@code next()} if the evaluator fails
   */
  public Iterator<SearchResult> iterator(RandomSource random) {
    SearchRun run = newRun(random, Long.MAX_VALUE);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public SearchResult next() {
        return run.step();
      }
    };
  }

  /**
   * Runs until {@code maxEvaluations} evaluator calls were made (the last batch is shortened so as
   * not to exceed it), or until {@value #STALL_LIMIT} steps in a row brought no new candidate (the
   * space is exhausted), and returns the last result.
   *
   * @param random the seeded source the run's own stream is derived from; the same seed gives the
   *     same run
   * @param maxEvaluations the most evaluator calls, {@code >= 1} (cache hits are free)
   * @return the state after the last step: the best feasible candidate, the Pareto front and the
   *     population
   * @throws IllegalArgumentException if {@code maxEvaluations < 1}
   * @throws EvaluationException if the evaluator fails
   */
  public SearchResult run(RandomSource random, long maxEvaluations) {
    if (maxEvaluations < 1) {
      throw new IllegalArgumentException("maxEvaluations must be >= 1, was " + maxEvaluations);
    }
    SearchRun run = newRun(random, maxEvaluations);
    int stalled = 0;
    while (stalled < STALL_LIMIT) {
      long before = run.evaluations();
      run.advance();
      if (run.evaluations() >= maxEvaluations) {
        break;
      }
      stalled = run.evaluations() == before ? stalled + 1 : 0;
    }
    return run.result();
  }

  private SearchRun newRun(RandomSource random, long budget) {
    Objects.requireNonNull(random, "random");
    return new SearchRun(space, evaluator, strategy, maxLatencyNanos, maxMemoryBytes, executor,
        batchSize, canonical, RandomSource.seeded(random.nextLong()), budget);
  }

  @Override
  public String toString() {
    return "SearchEngine[" + strategy + ", " + space + ", maxLatencyNanos " + maxLatencyNanos
        + ", maxMemoryBytes " + maxMemoryBytes + ", batch " + batchSize + "]";
  }

  /**
   * Configures a {@link SearchEngine}. Defaults: aging evolution with {@code P = 20, S = 5}, no
   * budgets, evaluation in the calling thread, batch size 1. Not thread-safe.
   */
  public static final class Builder {
    private final SearchSpace space;
    private final Evaluator evaluator;
    private Strategy strategy = Strategy.agingEvolution(20, 5);
    private double maxLatencyNanos = Double.POSITIVE_INFINITY;
    private long maxMemoryBytes = Long.MAX_VALUE;
    private Executor executor;
    private int batchSize = 1;
    private UnaryOperator<Candidate> canonical = UnaryOperator.identity();

    private Builder(SearchSpace space, Evaluator evaluator) {
      this.space = space;
      this.evaluator = evaluator;
    }

    /**
     * The strategy (default aging evolution, {@code P = 20, S = 5}).
     *
     * @param strategy aging evolution, NSGA-II or random search (see {@link Strategy})
     * @return this builder
     */
    public Builder strategy(Strategy strategy) {
      this.strategy = Objects.requireNonNull(strategy, "strategy");
      return this;
    }

    /**
     * The latency budget in nanoseconds, as the evaluator measures it (default none).
     *
     * @param maxLatencyNanos the largest acceptable latency, in nanoseconds, finite and {@code >
     *     0}; slower candidates are infeasible
     * @return this builder
     * @throws IllegalArgumentException if not finite and {@code > 0}
     */
    public Builder maxLatencyNanos(double maxLatencyNanos) {
      if (!(Double.isFinite(maxLatencyNanos) && maxLatencyNanos > 0)) {
        throw new IllegalArgumentException(
            "maxLatencyNanos must be finite and > 0, was " + maxLatencyNanos);
      }
      this.maxLatencyNanos = maxLatencyNanos;
      return this;
    }

    /**
     * The memory budget in bytes (default none).
     *
     * @param maxMemoryBytes the largest acceptable memory, in bytes, {@code >= 1}; larger
     *     candidates are infeasible
     * @return this builder
     * @throws IllegalArgumentException if {@code maxMemoryBytes < 1}
     */
    public Builder maxMemoryBytes(long maxMemoryBytes) {
      if (maxMemoryBytes < 1) {
        throw new IllegalArgumentException("maxMemoryBytes must be >= 1, was " + maxMemoryBytes);
      }
      this.maxMemoryBytes = maxMemoryBytes;
      return this;
    }

    /**
     * Where evaluations run, e.g. {@link SearchEngine#virtualThreads()} or a pool the host owns
     * (default: the thread consuming the stream). Does not change results.
     *
     * @param executor runs evaluations; must run every task it is given
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * How many candidates aging evolution and random search propose per step (default 1: the
     * sequential algorithm). Larger batches let an executor evaluate in parallel; the batch size,
     * unlike the executor, is part of what the results depend on. NSGA-II always proposes a whole
     * generation.
     *
     * @param batchSize candidates per step, {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException if {@code batchSize < 1}
     */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Maps every proposed candidate to a canonical representative before it is cached and
     * evaluated (default: the identity). Use it when some choices do not matter for some points,
     * e.g. the width of a layer beyond the chosen depth ({@link MlpEvaluator#canonical}): a
     * mutation of an unused choice then hits the cache instead of costing an evaluation. The
     * function must be pure and return candidates of the same space.
     *
     * @param canonical a pure function from a candidate to its representative in the same space
     * @return this builder
     */
    public Builder canonical(UnaryOperator<Candidate> canonical) {
      this.canonical = Objects.requireNonNull(canonical, "canonical");
      return this;
    }

    /**
     * The engine.
     *
     * @return a new engine with this builder's settings; the builder may be reused
     */
    public SearchEngine build() {
      return new SearchEngine(this);
    }
  }
}
