package io.github.edgenet.swarm.memory;

/**
 * A recall result: a pattern and its score {@code confidence * cosine(query, centroid)}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param pattern the pattern
 * @param score its score
 */
public record RecalledPattern(Pattern pattern, float score) {}
