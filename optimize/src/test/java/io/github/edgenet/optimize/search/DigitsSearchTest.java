package io.github.edgenet.optimize.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.lora.WeightFormat;
import io.github.edgenet.lora.model.Activation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Search over small MLPs for the digits under a memory budget (issue item "shown to work"): at
 * equal numbers of evaluations, aging evolution finds a better feasible model than random search,
 * averaged over seeds.
 *
 * <p>The evaluator trains each candidate for {@value #EPOCHS} epochs; its accuracy and memory are
 * functions of the candidate (seeded by the candidate's key), so the test memoizes them across
 * runs and seeds, and reads latency from a {@link VirtualClock} that never moves (latency 0: only
 * the memory budget binds here).
 */
class DigitsSearchTest {
  static final int EPOCHS = 3;
  static final long MEMORY_BUDGET = 1536;
  static final int BUDGET = 40;
  static final long[] SEEDS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

  static final SearchSpace SPACE = MlpEvaluator.space(List.of(1, 2, 3),
      List.of(2, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128),
      List.of(Activation.RELU, Activation.TANH, Activation.GELU, Activation.IDENTITY),
      List.of(WeightFormat.F32, WeightFormat.Q8_0, WeightFormat.Q4_0));

  static final DigitsSplit.Split DATA = DigitsSplit.split(42);
  static final MlpEvaluator MLP = MlpEvaluator.builder(DATA.train().x(), DATA.train().y(),
          DATA.valid().x(), DATA.valid().y(), DigitsSplit.PIXELS, DigitsSplit.CLASSES)
      .epochs(EPOCHS).random(RandomSource.seeded(9)).clock(new VirtualClock()).build();
  static final Map<Candidate, Evaluation> MEMO = new ConcurrentHashMap<>();
  static final AtomicInteger TRAINED = new AtomicInteger();

  static Evaluation memoized(Candidate c) {
    return MEMO.computeIfAbsent(c, k -> {
      TRAINED.incrementAndGet();
      return MLP.evaluate(k);
    });
  }

  double bestAccuracy(Strategy strategy, long seed) {
    SearchEngine engine = SearchEngine.builder(SPACE, DigitsSearchTest::memoized)
        .strategy(strategy).maxMemoryBytes(MEMORY_BUDGET).canonical(MlpEvaluator::canonical)
        .executor(SearchEngine.virtualThreads()).batchSize(2).build();
    SearchResult r = engine.run(RandomSource.seeded(seed), BUDGET);
    assertEquals(BUDGET, r.evaluations());
    Scored best = r.best().orElseThrow();
    assertTrue(best.feasible() && best.evaluation().memoryBytes() <= MEMORY_BUDGET, best::toString);
    return best.evaluation().accuracy();
  }

  @Test
  void agingEvolutionBeatsRandomSearchAtEqualEvaluations() {
    double aging = 0;
    double random = 0;
    for (long seed : SEEDS) {
      double a = bestAccuracy(Strategy.agingEvolution(10, 4), seed);
      double r = bestAccuracy(Strategy.randomSearch(), seed);
      System.out.printf("seed %d: aging %.4f, random %.4f%n", seed, a, r);
      aging += a / SEEDS.length;
      random += r / SEEDS.length;
    }
    System.out.printf("mean best feasible accuracy after %d evaluations: aging %.4f, random %.4f"
        + " (%d distinct candidates trained)%n", BUDGET, aging, random, TRAINED.get());
    assertTrue(aging > random, "aging " + aging + " vs random " + random);
  }
}
