package io.github.edgenet.core;

import java.util.random.RandomGenerator;

/**
 * A seeded, splittable source of randomness: the only randomness edgenet code draws from.
 *
 * <p>The generator is SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014), the algorithm behind {@link java.util.SplittableRandom}: 64 bits of
 * state, period 2<sup>64</sup>, good statistical quality for simulation (it is not a cryptographic
 * generator; keys and nonces come from {@link java.security.SecureRandom}). All the convenience
 * methods of {@link RandomGenerator} ({@code nextInt(bound)}, {@code nextDouble()},
 * {@code nextGaussian()}, ...) are available and are driven by {@link #nextLong()}, so the same
 * seed always gives the same sequence on the same JDK.
 *
 * <p>Two ways to get independent streams:
 *
 * <ul>
 *   <li>{@link #derive(long)} and {@link #derive(String)} give a stream that depends only on this
 *       source's seed and the key, not on how many numbers were drawn before: node 17 of a
 *       simulation gets the same stream whatever the other nodes did.
 *   <li>{@link #split()} draws the child's seed from this stream, like
 *       {@link java.util.SplittableRandom#split()}.
 * </ul>
 *
 * <p>Not thread-safe: give each thread its own derived or split source.
 */
public final class RandomSource implements RandomGenerator {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private final long seed;
  private long state;

  private RandomSource(long seed) {
    this.seed = seed;
    this.state = seed;
  }

  /**
   * A source whose whole sequence is determined by {@code seed}.
   *
   * @param seed the seed: equal seeds give equal sequences
   * @return a source whose whole sequence is determined by {@code seed}
   */
  public static RandomSource seeded(long seed) {
    return new RandomSource(seed);
  }

  /**
   * The seed this source was created with (its derived streams depend on it).
   *
   * @return the seed this source was created with (its derived streams depend on it)
   */
  public long seed() {
    return seed;
  }

  @Override
  public long nextLong() {
    state += GOLDEN_GAMMA;
    return mix64(state);
  }

  /**
   * An independent source determined by this source's seed and {@code key} only. Calling it does
   * not advance this source.
   *
   * @param key what distinguishes the derived stream from the other derived streams
   * @return an independent source determined by this source's seed and {@code key} only
   */
  public RandomSource derive(long key) {
    return new RandomSource(mix64(seed ^ mix64(key ^ 0xD1B54A32D192ED03L)));
  }

  /**
   * An independent source determined by this source's seed and {@code label} only, for named
   * streams such as {@code derive("latency")}. Calling it does not advance this source.
   *
   * @param label the name of the derived stream
   * @return an independent source determined by this source's seed and {@code label} only, for
   *     named streams such as {@code derive("latency")}
   */
  public RandomSource derive(String label) {
    // FNV-1a over the UTF-16 code units: stable across JDKs, unlike String.hashCode's 32 bits.
    long h = 0xCBF29CE484222325L;
    for (int i = 0; i < label.length(); i++) {
      h ^= label.charAt(i);
      h *= 0x100000001B3L;
    }
    return derive(h);
  }

  /**
   * A new source seeded from this stream (advances this source by one draw).
   *
   * @return a new source seeded from this stream (advances this source by one draw)
   */
  public RandomSource split() {
    return new RandomSource(nextLong());
  }

  /** The SplitMix64 finalizer (variant 13 of Stafford's mixers). */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public String toString() {
    return "RandomSource[seed=" + seed + "]";
  }
}
