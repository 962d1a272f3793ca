package io.github.edgenet.learning.replay;

/**
 * The reusable result of {@link PrioritizedReplayBuffer#sample}: for each draw the slot, the item
 * and its importance weight in {@code (0, 1]}. Allocated once by {@link
 * PrioritizedReplayBuffer#newBatch}; each sample call overwrites it. Not thread-safe.
 *
 * @param <T> the item type
 */
public final class ReplayBatch<T> {
  final int[] slots;
  final Object[] items;
  final float[] weights;
  /** Scratch for the descents: each draw's prefix sum (no allocation per sample). */
  final double[] prefixSums;
  int size;

  ReplayBatch(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, was " + capacity);
    }
    slots = new int[capacity];
    items = new Object[capacity];
    weights = new float[capacity];
    prefixSums = new double[capacity];
  }

  /**
   * Draws per sample call.
   *
   * @return the batch size given at creation
   */
  public int capacity() {
    return slots.length;
  }

  /**
   * Draws held (0 before the first sample, then the capacity).
   *
   * @return the size
   */
  public int size() {
    return size;
  }

  /**
   * The slot of draw {@code k}, for {@link PrioritizedReplayBuffer#updatePriority}.
   *
   * @param k the draw, in {@code [0, size)}
   * @return the slot
   */
  public int slot(int k) {
    java.util.Objects.checkIndex(k, size);
    return slots[k];
  }

  /**
   * The item of draw {@code k}.
   *
   * @param k the draw, in {@code [0, size)}
   * @return the item
   */
  @SuppressWarnings("unchecked")
  public T item(int k) {
    java.util.Objects.checkIndex(k, size);
    return (T) items[k];
  }

  /**
   * The normalized importance weight of draw {@code k}: multiply its loss (or gradient) by it.
   *
   * @param k the draw, in {@code [0, size)}
   * @return the weight in {@code (0, 1]}
   */
  public float weight(int k) {
    java.util.Objects.checkIndex(k, size);
    return weights[k];
  }
}
