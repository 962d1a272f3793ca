package io.github.edgenet.benchmarks;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.optimize.allocate.ResourceAllocator;
import io.github.edgenet.optimize.allocate.TaskType;
import io.github.edgenet.optimize.quantize.Assignment;
import io.github.edgenet.optimize.quantize.FormatAssignment;
import io.github.edgenet.optimize.quantize.Option;
import io.github.edgenet.optimize.search.Candidate;
import io.github.edgenet.optimize.search.Evaluation;
import io.github.edgenet.optimize.search.SearchEngine;
import io.github.edgenet.optimize.search.SearchResult;
import io.github.edgenet.optimize.search.SearchSpace;
import io.github.edgenet.optimize.search.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The optimize module's own costs (issue 10's benchmarks).
 *
 * <ul>
 *   <li>{@code searchPerEvaluation}: a run of {@value #EVALUATIONS} evaluations with population
 *       100 (aging evolution {@code S = 25}, NSGA-II, or random search) over a 10^10-point space,
 *       with an evaluator that costs a few nanoseconds: the engine's overhead per evaluation
 *       (proposal, cache, archive, result snapshots), excluding the evaluator.
 *   <li>{@code exactAssignment}: the exact multiple-choice knapsack for 50 layers x 3 formats
 *       (f32, Q8_0, Q4_0 sizes of random 32..256 x 32..256 layers) at 20% of the f32 size, at the
 *       given size granularity in bytes ({@code 0} = automatic: the gcd of the sizes, 2 bytes).
 *   <li>{@code reallocate}: a full {@link ResourceAllocator#allocate} over 10,000 task types and 2
 *       resources (CPU, memory), three priority levels, some guarantees; target {@code <=} 5 ms.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class OptimizeBenchmark {
  static final int EVALUATIONS = 2000;

  /** The search engine's state. */
  @State(Scope.Benchmark)
  public static class Search {
    @Param({"aging", "nsga2", "random"})
    String strategy;

    SearchEngine engine;
    long seed;

    @Setup
    public void setUp() {
      SearchSpace.Builder b = SearchSpace.builder();
      for (int d = 0; d < 10; d++) {
        b.choice("d" + d, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
      }
      Strategy s = switch (strategy) {
        case "aging" -> Strategy.agingEvolution(100, 25);
        case "nsga2" -> Strategy.nsga2(100);
        default -> Strategy.randomSearch();
      };
      engine = SearchEngine.builder(b.build(), OptimizeBenchmark::cheap).strategy(s)
          .maxMemoryBytes(3000).build();
    }
  }

  static Evaluation cheap(Candidate c) {
    long k = c.key();
    return new Evaluation((k & 0xFFFF) / 65536.0, (k >>> 16) & 0xFF, (k >>> 24) & 0xFFF);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @OperationsPerInvocation(EVALUATIONS)
  public SearchResult searchPerEvaluation(Search s) {
    return s.engine.run(RandomSource.seeded(++s.seed), EVALUATIONS);
  }

  /** A 50-layer instance. */
  @State(Scope.Benchmark)
  public static class Layers {
    @Param({"0", "16", "256"})
    long granularity;

    List<List<Option<String>>> layers;
    long budget;

    @Setup
    public void setUp() {
      RandomSource r = RandomSource.seeded(50);
      layers = new ArrayList<>();
      long f32 = 0;
      for (int l = 0; l < 50; l++) {
        int rows = 32 + r.nextInt(225);
        int cols = 32 + r.nextInt(225);
        long blocks = (long) rows * ((cols + 31) / 32);
        long bias = 4L * rows;
        double sensitivity = r.nextDouble();
        layers.add(List.of(
            new Option<>("F32", 4L * rows * cols + bias, 0),
            new Option<>("Q8_0", 34 * blocks + bias, 0.001 * sensitivity),
            new Option<>("Q4_0", 18 * blocks + bias, 0.01 * sensitivity * r.nextDouble())));
        f32 += 4L * rows * cols + bias;
      }
      budget = f32 / 5;
    }
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Assignment<String> exactAssignment(Layers s) {
    return s.granularity == 0 ? FormatAssignment.exact(s.layers, s.budget)
        : FormatAssignment.exact(s.layers, s.budget, s.granularity);
  }

  /** 10,000 task types with a demand history. */
  @State(Scope.Benchmark)
  public static class Node {
    ResourceAllocator allocator;

    @Setup
    public void setUp() {
      RandomSource r = RandomSource.seeded(10_000);
      allocator = ResourceAllocator.create(0.5, 0.2);
      for (int i = 0; i < 10_000; i++) {
        String name = "type" + i;
        allocator.register(name, new TaskType(0.05 + r.nextDouble(), 1e6 + r.nextDouble() * 5e8,
            1 + r.nextInt(4), r.nextInt(3), r.nextDouble() < 0.1 ? 1 : 0));
        for (int p = 0; p < 4; p++) {
          allocator.observe(name, r.nextInt(10));
        }
      }
    }
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public ResourceAllocator.Allocation reallocate(Node n) {
    return n.allocator.allocate(2_000, 4e12);
  }
}
