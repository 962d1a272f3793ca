package io.github.edgenet.optimize.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.testing.SeededCases;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The engine on synthetic landscapes: caching, constraints, determinism, the strategies. */
class SearchEngineTest {
  /** Six dimensions of eight choices (262,144 points). */
  static final SearchSpace SPACE = space(6, 8);
  static final int[] TARGET = {5, 2, 7, 1, 6, 3};

  static SearchSpace space(int dims, int choices) {
    SearchSpace.Builder b = SearchSpace.builder();
    for (int d = 0; d < dims; d++) {
      List<Object> values = new ArrayList<>();
      for (int k = 0; k < choices; k++) {
        values.add(k);
      }
      b.choice("d" + d, values);
    }
    return b.build();
  }

  /**
   * Accuracy peaks at TARGET, memory grows with the sum of the indices (so the peak, memory 2400,
   * is infeasible under budgets below it), latency grows with the first two indices.
   */
  static Evaluation landscape(Candidate c) {
    double acc = 1;
    long memory = 0;
    for (int d = 0; d < c.space().dimensions(); d++) {
      int g = c.index(d);
      acc -= (g - TARGET[d % TARGET.length]) * (g - TARGET[d % TARGET.length]) / 300.0;
      memory += 100L * g;
    }
    return new Evaluation(acc, 10.0 * (c.index(0) + c.index(1)), memory);
  }

  static List<Strategy> strategies() {
    return List.of(Strategy.agingEvolution(12, 4), Strategy.nsga2(12), Strategy.randomSearch());
  }

  @Test
  void evaluatesEachDistinctCandidateOnceAndStopsWhenTheSpaceIsExhausted() {
    SearchSpace small = space(2, 3);
    Map<Candidate, AtomicInteger> calls = new ConcurrentHashMap<>();
    Evaluator counting = c -> {
      calls.computeIfAbsent(c, k -> new AtomicInteger()).incrementAndGet();
      return landscape(c);
    };
    for (Strategy s : strategies()) {
      calls.clear();
      SearchResult r = SearchEngine.builder(small, counting).strategy(s).build()
          .run(RandomSource.seeded(3), 1_000);
      assertEquals(9, r.evaluations(), s.toString());
      assertEquals(9, calls.size(), s.toString());
      assertTrue(calls.values().stream().allMatch(n -> n.get() == 1), s + ": " + calls);
    }
  }

  @Test
  void canonicalCandidatesShareOneEvaluation() {
    SearchSpace small = space(2, 4);
    AtomicInteger calls = new AtomicInteger();
    SearchResult r = SearchEngine.builder(small, c -> {
      calls.incrementAndGet();
      assertEquals(0, c.index(1), "only canonical candidates are evaluated");
      return landscape(c);
    }).strategy(Strategy.randomSearch()).canonical(c -> c.with(1, 0)).build()
        .run(RandomSource.seeded(5), 100);
    assertEquals(4, r.evaluations());
    assertEquals(4, calls.get());
  }

  static Stream<Long> seeds() {
    return SeededCases.seeds(1, 8);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void anInfeasibleCandidateIsNeverBestAndTheBestIsTheBestFeasibleEvaluated(long seed) {
    for (Strategy s : strategies()) {
      List<Evaluation> seen = new ArrayList<>();
      SearchEngine engine = SearchEngine.builder(SPACE, c -> {
        Evaluation e = landscape(c);
        synchronized (seen) {
          seen.add(e);
        }
        return e;
      }).strategy(s).maxMemoryBytes(1500).maxLatencyNanos(80).build();
      SearchResult r = engine.run(SeededCases.random("SearchEngineTest " + s, seed), 150);
      double bestFeasible = seen.stream()
          .filter(e -> e.memoryBytes() <= 1500 && e.latencyNanos() <= 80)
          .mapToDouble(Evaluation::accuracy).max().orElseThrow();
      double bestAny = seen.stream().mapToDouble(Evaluation::accuracy).max().orElseThrow();
      Scored best = r.best().orElseThrow();
      assertTrue(best.feasible(), "seed " + seed + " " + s + ": " + best);
      assertTrue(best.evaluation().memoryBytes() <= 1500 && best.evaluation().latencyNanos() <= 80);
      assertEquals(bestFeasible, best.evaluation().accuracy(), "seed " + seed + " " + s);
      assertTrue(bestAny > bestFeasible, "the test needs a better infeasible candidate");
      assertTrue(r.paretoFront().stream().allMatch(Scored::feasible));
    }
  }

  @Test
  void withNoFeasibleCandidateThereIsNoBest() {
    SearchResult r = SearchEngine.builder(SPACE, SearchEngineTest::landscape)
        .maxMemoryBytes(1).build().run(RandomSource.seeded(1), 50);
    assertTrue(r.best().isEmpty());
    assertTrue(r.paretoFront().isEmpty());
    assertEquals(50, r.evaluations());
  }

  /** Evaluations that finish in an order unrelated to their submission. */
  static Evaluation slowLandscape(Candidate c) {
    try {
      Thread.sleep(Math.floorMod(c.key(), 3));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return landscape(c);
  }

  static List<String> trace(SearchEngine engine, long seed, int steps) {
    return engine.stream(RandomSource.seeded(seed)).limit(steps)
        .map(r -> r.evaluations() + " " + r.best().map(Scored::candidate) + " "
            + r.population().stream().map(x -> x.candidate().toString())
                .collect(Collectors.joining(";")))
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("strategies")
  void parallelEvaluationGivesTheSameRunAsSequential(Strategy s) {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      SearchEngine.Builder b = SearchEngine.builder(SPACE, SearchEngineTest::slowLandscape)
          .strategy(s).batchSize(4).maxMemoryBytes(2000);
      List<String> sequential = trace(b.build(), 11, 25);
      List<String> virtual = trace(b.executor(SearchEngine.virtualThreads()).build(), 11, 25);
      List<String> pooled = trace(b.executor(pool).build(), 11, 25);
      assertEquals(sequential, virtual);
      assertEquals(sequential, pooled);
      assertNotEquals(sequential, trace(b.build(), 12, 25), "another seed, another run");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void agingEvolutionAddsAMutantOfAMemberAndRemovesTheOldest() {
    int p = 10;
    List<SearchResult> steps = SearchEngine.builder(SPACE, SearchEngineTest::landscape)
        .strategy(Strategy.agingEvolution(p, 3)).build()
        .stream(RandomSource.seeded(4)).limit(200).toList();
    assertEquals(p, steps.get(p - 1).population().size());
    for (int t = p; t < steps.size(); t++) {
      List<Scored> before = steps.get(t - 1).population();
      List<Scored> after = steps.get(t).population();
      assertEquals(p, after.size());
      assertEquals(before.subList(1, p), after.subList(0, p - 1), "step " + t);
      Candidate child = after.get(p - 1).candidate();
      assertTrue(before.stream().anyMatch(m -> hamming(m.candidate(), child) == 1),
          "step " + t + ": " + child + " is not a one-choice mutant of the population");
    }
  }

  static int hamming(Candidate a, Candidate b) {
    int h = 0;
    for (int d = 0; d < a.space().dimensions(); d++) {
      h += a.index(d) != b.index(d) ? 1 : 0;
    }
    return h;
  }

  @Test
  void agingEvolutionBeatsRandomSearchOnASmoothLandscape() {
    double aging = 0;
    double random = 0;
    for (long seed = 1; seed <= 10; seed++) {
      aging += SearchEngine.builder(SPACE, SearchEngineTest::landscape)
          .strategy(Strategy.agingEvolution(20, 5)).build().run(RandomSource.seeded(seed), 200)
          .best().orElseThrow().evaluation().accuracy();
      random += SearchEngine.builder(SPACE, SearchEngineTest::landscape)
          .strategy(Strategy.randomSearch()).build().run(RandomSource.seeded(seed), 200)
          .best().orElseThrow().evaluation().accuracy();
    }
    System.out.printf("synthetic, 200 evaluations, mean over 10 seeds: aging %.4f random %.4f%n",
        aging / 10, random / 10);
    assertTrue(aging > random, aging + " vs " + random);
  }

  @Test
  void nsga2ReturnsAMutuallyNonDominatedFrontNoEvaluatedFeasibleCandidateDominates() {
    List<Scored> seen = new ArrayList<>();
    SearchEngine engine = SearchEngine.builder(SPACE, SearchEngineTest::landscape)
        .strategy(Strategy.nsga2(20)).maxMemoryBytes(2600).build();
    SearchResult r = null;
    var it = engine.iterator(RandomSource.seeded(8));
    for (int g = 0; g < 15; g++) {
      r = it.next();
      seen.addAll(r.population());
    }
    List<Scored> front = r.paretoFront();
    assertTrue(front.size() >= 5, "accuracy, latency and memory conflict: " + front.size());
    for (Scored a : front) {
      assertTrue(a.feasible());
      for (Scored b : front) {
        assertFalse(a.dominates(b), a + " dominates " + b);
      }
      for (Scored s : seen) {
        assertFalse(s.feasible() && s.dominates(a), s + " dominates front member " + a);
      }
    }
    assertEquals(20, r.population().size());
    // The accuracy extreme of the front is the best feasible candidate.
    assertEquals(r.best().orElseThrow().evaluation().accuracy(),
        front.getFirst().evaluation().accuracy());
  }

  @Test
  void anEvaluatorFailureEndsTheRunNamingTheCandidate() {
    SearchEngine engine = SearchEngine.builder(SPACE, c -> {
      throw new ArithmeticException("boom");
    }).executor(SearchEngine.virtualThreads()).build();
    EvaluationException e = assertThrows(EvaluationException.class,
        () -> engine.run(RandomSource.seeded(1), 10));
    assertTrue(e.getMessage().contains("d0=") && e.getMessage().contains("boom"), e.getMessage());
    assertTrue(e.getCause() instanceof ArithmeticException);
    EvaluationException nul = assertThrows(EvaluationException.class,
        () -> SearchEngine.builder(SPACE, c -> null).build().run(RandomSource.seeded(1), 10));
    assertTrue(nul.getMessage().contains("null"), nul.getMessage());
  }

  @Test
  void misuseIsRejectedNamingTheParameter() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Strategy.agingEvolution(10, 11))
        .getMessage().contains("sample must be in [1, 10], was 11"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Strategy.nsga2(3))
        .getMessage().contains("population must be >= 4, was 3"));
    SearchEngine.Builder b = SearchEngine.builder(SPACE, SearchEngineTest::landscape);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> b.maxMemoryBytes(0))
        .getMessage().contains("maxMemoryBytes must be >= 1, was 0"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> b.batchSize(0))
        .getMessage().contains("batchSize"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> b.build().run(RandomSource.seeded(1), 0)).getMessage().contains("maxEvaluations"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SPACE.candidate(0, 0, 0, 0, 0, 8))
        .getMessage().contains("index of 'd5' must be in [0, 8), was 8"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SPACE.dimension("nope"))
        .getMessage().contains("no dimension named 'nope'"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SearchSpace.builder().choice("a", 1).choice("a", 2)).getMessage()
        .contains("'a' is already declared"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new Evaluation(Double.NaN, 0, 0)).getMessage().contains("accuracy"));
  }

  @Test
  void candidatesAreValuesOfTheirSpace() {
    Candidate a = SPACE.candidate(1, 2, 3, 4, 5, 6);
    assertEquals(a, SPACE.candidate(1, 2, 3, 4, 5, 6));
    assertEquals(a.key(), SPACE.candidate(1, 2, 3, 4, 5, 6).key());
    assertNotEquals(a.key(), SPACE.candidate(1, 2, 3, 4, 6, 5).key());
    assertEquals(3, a.intValue("d2"));
    assertEquals(SPACE.candidate(1, 2, 7, 4, 5, 6), a.with(2, 7));
    assertSame(SPACE, a.space());
    assertEquals(262_144, SPACE.cardinality());
  }
}
