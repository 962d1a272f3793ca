package io.github.edgenet.swarm.memory;

import java.util.Objects;
import java.util.Set;

/**
 * One episode for {@link CollectiveMemory}: an embedding, how well the task went, its tags and when.
 *
 * <p>Immutable and thread-safe (the vector is copied in and out).
 *
 * @param vector the embedding, finite values, length = the memory's dimension
 * @param quality the outcome quality in [0, 1]
 * @param tags labels (task type, model, ...), each 1..32 UTF-8 bytes, at most 16
 * @param timeMillis when it happened, epoch milliseconds
 */
public record Trace(float[] vector, double quality, Set<String> tags, long timeMillis) {

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException if the quality is not in [0, 1], a value is not finite or a
   *     tag is out of bounds
   */
  public Trace {
    vector = vector.clone();
    for (int i = 0; i < vector.length; i++) {
      if (!Float.isFinite(vector[i])) {
        throw new IllegalArgumentException("vector[" + i + "] is not finite: " + vector[i]);
      }
    }
    if (!(quality >= 0 && quality <= 1)) {
      throw new IllegalArgumentException("quality must be in [0, 1], was " + quality);
    }
    tags = Set.copyOf(Objects.requireNonNull(tags, "tags"));
    if (tags.size() > CollectiveMemory.MAX_TAGS) {
      throw new IllegalArgumentException("at most " + CollectiveMemory.MAX_TAGS + " tags, got " + tags.size());
    }
    for (String t : tags) {
      CollectiveMemory.checkTag(t);
    }
  }

  /**
   * A copy of the embedding.
   *
   * @return the vector
   */
  @Override
  public float[] vector() {
    return vector.clone();
  }

  float[] vectorUnsafe() {
    return vector;
  }
}
