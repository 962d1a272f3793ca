package io.github.edgenet.optimize.internal;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.optimize.search.Candidate;
import io.github.edgenet.optimize.search.Evaluation;
import io.github.edgenet.optimize.search.EvaluationException;
import io.github.edgenet.optimize.search.Evaluator;
import io.github.edgenet.optimize.search.Scored;
import io.github.edgenet.optimize.search.SearchResult;
import io.github.edgenet.optimize.search.SearchSpace;
import io.github.edgenet.optimize.search.Strategy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/** One run of a search engine: the population, the cache, the archive. One thread only. */
public final class SearchRun {
  private final SearchSpace space;
  private final Evaluator evaluator;
  private final Strategy strategy;
  private final double maxLatencyNanos;
  private final long maxMemoryBytes;
  private final Executor executor;
  private final int batchSize;
  private final UnaryOperator<Candidate> canonical;
  private final RandomSource random;
  private final long budget;

  private final Map<Candidate, Scored> cache = new HashMap<>();
  private final List<Scored> archive = new ArrayList<>();
  private List<Scored> population = new ArrayList<>();
  private Scored best;
  private long evaluations;
  private long steps;
  private int[] mutable;

  /**
   * A run; {@code budget} caps the evaluator calls.
   *
   * @param space the space searched
   * @param evaluator measures candidates; called at most once per distinct canonical candidate
   * @param strategy the proposal rule
   * @param maxLatencyNanos the latency budget in nanoseconds ({@link Double#POSITIVE_INFINITY}:
   *     none)
   * @param maxMemoryBytes the memory budget in bytes ({@link Long#MAX_VALUE}: none)
   * @param executor runs evaluations; results are applied in proposal order whatever it does
   * @param batchSize candidates per step, {@code >= 1}
   * @param canonical maps a proposal to its representative before caching
   * @param random the run's own stream (proposals and selections)
   * @param budget the most evaluator calls, {@code >= 1}
   */
  public SearchRun(SearchSpace space, Evaluator evaluator, Strategy strategy,
      double maxLatencyNanos, long maxMemoryBytes, Executor executor, int batchSize,
      UnaryOperator<Candidate> canonical, RandomSource random, long budget) {
    this.space = space;
    this.evaluator = evaluator;
    this.strategy = strategy;
    this.maxLatencyNanos = maxLatencyNanos;
    this.maxMemoryBytes = maxMemoryBytes;
    this.executor = executor;
    this.batchSize = batchSize;
    this.canonical = canonical;
    this.random = random;
    this.budget = budget;
  }

  /**
   * One step: propose, evaluate, apply; returns the state after it.
   *
   * @return the state after the step
   */
  public SearchResult step() {
    advance();
    return result();
  }

  /** One step without a result snapshot (for runs that only want the last one). */
  public void advance() {
    steps++;
    switch (strategy) {
      case Strategy.AgingEvolution ae -> agingStep(ae);
      case Strategy.Nsga2 ns -> nsgaStep(ns);
      case Strategy.RandomSearch rs -> randomStep();
    }
  }

  /**
   * Evaluator calls so far.
   *
   * @return the evaluator calls so far (cache hits not counted), at most the budget
   */
  public long evaluations() {
    return evaluations;
  }

  /**
   * A snapshot of the current state.
   *
   * @return the current step count, evaluations, best, Pareto front and population
   */
  public SearchResult result() {
    List<Scored> front = new ArrayList<>(archive);
    front.sort(Scored.BEST_FIRST);
    return new SearchResult(steps, evaluations, Optional.ofNullable(best), front, population);
  }

  private void randomStep() {
    List<Candidate> proposals = new ArrayList<>(batchSize);
    for (int i = 0; i < batchSize; i++) {
      proposals.add(space.random(random));
    }
    population = evaluateAll(proposals);
  }

  private void agingStep(Strategy.AgingEvolution ae) {
    int p = ae.population();
    List<Candidate> proposals = new ArrayList<>(batchSize);
    if (population.size() < p) {
      int n = Math.min(batchSize, p - population.size());
      for (int i = 0; i < n; i++) {
        proposals.add(space.random(random));
      }
      population.addAll(evaluateAll(proposals));
      return;
    }
    int[] idx = new int[p];
    for (int i = 0; i < batchSize; i++) {
      for (int k = 0; k < p; k++) {
        idx[k] = k;
      }
      Scored parent = null;
      for (int k = 0; k < ae.sample(); k++) { // partial Fisher-Yates: a sample without replacement
        int j = k + random.nextInt(p - k);
        int t = idx[k];
        idx[k] = idx[j];
        idx[j] = t;
        Scored s = population.get(idx[k]);
        if (parent == null || Scored.BEST_FIRST.compare(s, parent) < 0) {
          parent = s;
        }
      }
      proposals.add(mutate(parent.candidate()));
    }
    List<Scored> children = evaluateAll(proposals);
    population.addAll(children);
    population.subList(0, children.size()).clear(); // the oldest die
  }

  /** One dimension (with more than one choice) set to a different choice. */
  private Candidate mutate(Candidate c) {
    if (mutable == null) {
      mutable = java.util.stream.IntStream.range(0, space.dimensions())
          .filter(d -> space.size(d) > 1).toArray();
    }
    if (mutable.length == 0) {
      return c;
    }
    int d = mutable[random.nextInt(mutable.length)];
    int shift = 1 + random.nextInt(space.size(d) - 1);
    return c.with(d, (c.index(d) + shift) % space.size(d));
  }

  private void nsgaStep(Strategy.Nsga2 ns) {
    int n = ns.population();
    if (population.isEmpty()) {
      List<Candidate> proposals = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        proposals.add(space.random(random));
      }
      population = survivors(evaluateAll(proposals), n);
      return;
    }
    int[] rank = new int[population.size()];
    double[] crowd = new double[population.size()];
    List<int[]> fronts = Pareto.fronts(population);
    for (int f = 0; f < fronts.size(); f++) {
      double[] d = Pareto.crowding(population, fronts.get(f));
      for (int k = 0; k < fronts.get(f).length; k++) {
        rank[fronts.get(f)[k]] = f;
        crowd[fronts.get(f)[k]] = d[k];
      }
    }
    List<Candidate> proposals = new ArrayList<>(n);
    int dims = space.dimensions();
    while (proposals.size() < n) {
      int[] a = population.get(tournament(rank, crowd)).candidate().indices();
      int[] b = population.get(tournament(rank, crowd)).candidate().indices();
      if (random.nextDouble() < 0.9) {
        for (int d = 0; d < dims; d++) {
          if (random.nextBoolean()) {
            int t = a[d];
            a[d] = b[d];
            b[d] = t;
          }
        }
      }
      for (int[] child : new int[][] {a, b}) {
        for (int d = 0; d < dims; d++) {
          if (space.size(d) > 1 && random.nextDouble() < 1.0 / dims) {
            child[d] = (child[d] + 1 + random.nextInt(space.size(d) - 1)) % space.size(d);
          }
        }
        if (proposals.size() < n) {
          proposals.add(space.candidate(child));
        }
      }
    }
    List<Scored> combined = new ArrayList<>(population);
    combined.addAll(evaluateAll(proposals));
    population = survivors(combined, n);
  }

  private int tournament(int[] rank, double[] crowd) {
    int i = random.nextInt(rank.length);
    int j = random.nextInt(rank.length);
    if (rank[i] != rank[j]) {
      return rank[i] < rank[j] ? i : j;
    }
    return crowd[j] > crowd[i] ? j : i;
  }

  /** The best {@code n} of {@code all} by front, the last front cut by crowding distance. */
  private static List<Scored> survivors(List<Scored> all, int n) {
    List<Scored> next = new ArrayList<>(n);
    for (int[] front : Pareto.fronts(all)) {
      if (next.size() + front.length <= n) {
        for (int i : front) {
          next.add(all.get(i));
        }
        if (next.size() == n) {
          break;
        }
        continue;
      }
      double[] d = Pareto.crowding(all, front);
      Integer[] order = new Integer[front.length];
      for (int k = 0; k < order.length; k++) {
        order[k] = k;
      }
      java.util.Arrays.sort(order, Comparator.<Integer>comparingDouble(k -> -d[k])
          .thenComparingInt(k -> k));
      for (int k = 0; next.size() < n; k++) {
        next.add(all.get(front[order[k]]));
      }
      break;
    }
    return next;
  }

  /**
   * Scores the proposals in order: cached ones from the cache, new distinct ones by the evaluator
   * (in parallel on the executor), dropping proposals past the evaluation budget.
   */
  private List<Scored> evaluateAll(List<Candidate> proposals) {
    LinkedHashMap<Candidate, CompletableFuture<Evaluation>> fresh = new LinkedHashMap<>();
    List<Candidate> kept = new ArrayList<>(proposals.size());
    for (Candidate proposed : proposals) {
      Candidate c = canonical.apply(proposed);
      if (c == null || c.space() != space) {
        throw new IllegalStateException("the canonical function must return a candidate of the"
            + " engine's space, returned " + c + " for " + proposed);
      }
      if (!cache.containsKey(c) && !fresh.containsKey(c)) {
        if (evaluations + fresh.size() >= budget) {
          continue;
        }
        fresh.put(c, executor == null ? null
            : CompletableFuture.supplyAsync(() -> evaluator.evaluate(c), executor));
      }
      kept.add(c);
    }
    for (Map.Entry<Candidate, CompletableFuture<Evaluation>> e : fresh.entrySet()) {
      Candidate c = e.getKey();
      Evaluation ev;
      try {
        ev = e.getValue() == null ? evaluator.evaluate(c) : e.getValue().join();
      } catch (CompletionException ex) {
        throw new EvaluationException(c, String.valueOf(ex.getCause()), ex.getCause());
      } catch (RuntimeException ex) {
        throw new EvaluationException(c, String.valueOf(ex), ex);
      }
      if (ev == null) {
        throw new EvaluationException(c, "the evaluator returned null", null);
      }
      Scored s = new Scored(c, ev, violation(ev), evaluations++);
      cache.put(c, s);
      record(s);
    }
    List<Scored> out = new ArrayList<>(kept.size());
    for (Candidate c : kept) {
      out.add(cache.get(c));
    }
    return out;
  }

  private double violation(Evaluation e) {
    double v = 0;
    if (e.latencyNanos() > maxLatencyNanos) {
      v += e.latencyNanos() / maxLatencyNanos - 1;
    }
    if (e.memoryBytes() > maxMemoryBytes) {
      v += (double) e.memoryBytes() / maxMemoryBytes - 1;
    }
    return Math.max(v, e.latencyNanos() > maxLatencyNanos || e.memoryBytes() > maxMemoryBytes
        ? Double.MIN_VALUE : 0);
  }

  private void record(Scored s) {
    if (!s.feasible()) {
      return;
    }
    if (best == null || Scored.BEST_FIRST.compare(s, best) < 0) {
      best = s;
    }
    for (Scored a : archive) {
      if (a.dominates(s) || a.evaluation().equals(s.evaluation())) {
        return;
      }
    }
    archive.removeIf(s::dominates);
    archive.add(s);
  }
}
