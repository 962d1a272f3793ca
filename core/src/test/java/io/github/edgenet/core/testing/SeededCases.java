package io.github.edgenet.core.testing;

import io.github.edgenet.core.RandomSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Seeded cases for {@code @ParameterizedTest}s: invariants over many seeded random operations,
 * each case naming its seed so that a failure can be replayed by running that one seed.
 *
 * <pre>{@code
 * static Stream<Long> seeds() { return SeededCases.seeds(1, 20); }
 *
 * @ParameterizedTest(name = "seed {0}")
 * @MethodSource("seeds")
 * void invariantHolds(long seed) {
 *   RandomSource r = SeededCases.random("PoolTest.invariantHolds", seed); // prints the seed
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe: stateless.
 */
public final class SeededCases {
  private SeededCases() {}

  /**
   * The seeds {@code first, first + 1, ..., first + count - 1}.
   *
   * @throws IllegalArgumentException if {@code count < 1}
   */
  public static Stream<Long> seeds(long first, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, was " + count);
    }
    return LongStream.range(0, count).map(i -> first + i).boxed();
  }

  /**
   * Every seed paired with every variant ({@code Arguments.of(seed, variant)}), seeds outermost:
   * e.g. {@code cross(seeds(11, 3), WeightFormat.values())}.
   */
  @SafeVarargs
  public static <T> Stream<Arguments> cross(Stream<Long> seeds, T... variants) {
    List<T> vs = new ArrayList<>(variants.length);
    for (T v : variants) {
      vs.add(v);
    }
    return seeds.flatMap(seed -> vs.stream().map(v -> Arguments.of(seed, v)));
  }

  /**
   * A {@link RandomSource} seeded with {@code seed}, after printing {@code "<what> seed <seed>"} to
   * standard output (surefire keeps it in the test's output file), so a failure names its seed even
   * when the assertion message does not.
   */
  public static RandomSource random(String what, long seed) {
    return RandomSource.seeded(seed(what, seed));
  }

  /**
   * {@code seed} itself, after printing {@code "<what> seed <seed>"} as {@link #random} does: for
   * a seed handed to something that takes a {@code long} (a simulator's builder) rather than a
   * {@link RandomSource}.
   *
   * @param what the test or case, as it should appear in the output
   * @param seed the seed
   * @return {@code seed}
   */
  public static long seed(String what, long seed) {
    System.out.println(what + " seed " + seed);
    return seed;
  }

  /**
   * A seeded permutation of {@code [0, n)} (Fisher-Yates, drawing {@code r.nextInt(i + 1)} for
   * {@code i = n - 1 .. 1}): the same seed gives the same permutation in every module's tests.
   *
   * @param r the source to draw from
   * @param n the length
   * @return a new array holding each of {@code 0 .. n-1} once
   */
  public static int[] permutation(RandomSource r, int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
