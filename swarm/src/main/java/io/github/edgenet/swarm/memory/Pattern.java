package io.github.edgenet.swarm.memory;

import java.util.List;

/**
 * A snapshot of one semantic pattern of {@link CollectiveMemory}.
 *
 * <p>Immutable and thread-safe (the centroid is copied out).
 *
 * @param id who formed it and its number there
 * @param centroid the unit-length mean direction of its traces
 * @param commonTags the tags carried by at least half of its traces, sorted
 * @param confidence {@code sum of qualities / (traces + 1)}, in [0, 1)
 * @param traces how many traces were consolidated into it
 * @param accessCount how often this node recalled it
 */
public record Pattern(
    PatternId id, float[] centroid, List<String> commonTags, double confidence, long traces,
    long accessCount) {

  /**
   * A copy of the centroid.
   *
   * @return the unit centroid
   */
  @Override
  public float[] centroid() {
    return centroid.clone();
  }
}
