package io.github.edgenet.learning.replay;

import io.github.edgenet.core.RandomSource;
import java.util.Objects;

/**
 * Proportional prioritized experience replay (Schaul, Quan, Antonoglou and Silver 2016): a
 * fixed-capacity ring of items, each with a priority {@code p}; item {@code i} is sampled with
 * probability {@code P(i) = p_i^alpha / sum_k p_k^alpha} and carries the importance weight
 * {@code w_i = (N P(i))^-beta / max_k w_k = (p_i^alpha / min_k p_k^alpha)^-beta}, normalized by the
 * largest weight so that weights only scale updates down.
 *
 * <pre>{@code
 * PrioritizedReplayBuffer<Sample> replay = PrioritizedReplayBuffer.<Sample>builder(100_000)
 *     .alpha(0.6).beta(0.4, 100_000).build();
 * replay.add(sample);                                  // at the maximum priority seen so far
 * ReplayBatch<Sample> batch = replay.newBatch(32);     // allocate once
 * replay.sample(batch, random);                        // stratified, O(batch log n), no allocation
 * for (int k = 0; k < batch.size(); k++) {
 *   float tdError = learn(batch.item(k), batch.weight(k));
 *   replay.updatePriority(batch.slot(k), Math.abs(tdError));   // O(log n)
 * }
 * }</pre>
 *
 * <p>New items enter at the maximum priority seen so far (1 initially), so each is sampled at
 * least soon. Sampling is stratified: the total mass is cut into {@code batch} equal segments and
 * one prefix sum is drawn uniformly in each. {@code beta} is annealed linearly from its initial
 * value to 1 over a given number of {@link #sample} calls. Priorities are stored as {@code
 * (p + epsilon)^alpha} in a sum tree and a min tree that share their leaves: an 8-ary tree with
 * the 8 sums and the 8 minima of each sibling group side by side, so that an update touches one
 * short path of cache lines and a sample's descents, run level by level, overlap their cache
 * misses. It has {@link SegmentTree}'s semantics (OpenAI baselines'), and holds doubles recomputed
 * from the leaves on each update: no drift.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one learner thread owns a buffer (feed it from other
 * threads through the gradient actor or a queue).
 *
 * @param <T> the item type
 */
public final class PrioritizedReplayBuffer<T> {
  private final int capacity;
  private final double alpha;
  private final double beta0;
  private final long betaSteps;
  private final double epsilon;
  private final Object[] items;
  private final PriorityTree tree;
  private int next;
  private int size;
  private double maxPriority = 1.0;
  /** {@code maxPriority^alpha}, what {@link #add} stores, kept so that an add needs no pow. */
  private double maxStored = 1.0;
  private long samples;

  private PrioritizedReplayBuffer(Builder<T> b) {
    this.capacity = b.capacity;
    this.alpha = b.alpha;
    this.beta0 = b.beta;
    this.betaSteps = b.betaSteps;
    this.epsilon = b.epsilon;
    this.items = new Object[capacity];
    this.tree = new PriorityTree(capacity);
  }

  /**
   * A builder for a buffer of {@code capacity} items.
   *
   * @param capacity the ring size, in {@code [1, 2^29]}
   * @param <T> the item type
   * @return the builder (alpha 0.6, beta 0.4 annealed over 100,000 samples, epsilon 1e-6)
   * @throws IllegalArgumentException if {@code capacity} is out of range
   */
  public static <T> Builder<T> builder(int capacity) {
    if (capacity < 1 || capacity > (1 << 29)) {
      throw new IllegalArgumentException("capacity must be in [1, 2^29], was " + capacity);
    }
    return new Builder<>(capacity);
  }

  /**
   * The ring size.
   *
   * @return the capacity
   */
  public int capacity() {
    return capacity;
  }

  /**
   * Items held, at most the capacity.
   *
   * @return the size
   */
  public int size() {
    return size;
  }

  /**
   * The current beta: {@code beta0 + (1 - beta0) min(1, samples / annealSteps)}.
   *
   * @return beta in {@code [beta0, 1]}
   */
  public double beta() {
    double f = betaSteps == 0 ? 1.0 : Math.min(1.0, (double) samples / betaSteps);
    return beta0 + (1 - beta0) * f;
  }

  /**
   * Adds an item at the maximum priority seen so far, overwriting the oldest item when full.
   *
   * @param item the item
   * @return the slot it was stored in (pass it to {@link #updatePriority})
   * @throws NullPointerException if {@code item} is null
   */
  public int add(T item) {
    Objects.requireNonNull(item, "item");
    int slot = next;
    items[slot] = item;
    tree.set(slot, maxStored);
    next = next + 1 == capacity ? 0 : next + 1;
    if (size < capacity) {
      size++;
    }
    return slot;
  }

  /**
   * Sets the priority of the item in {@code slot} to {@code (priority + epsilon)^alpha}: O(log n).
   *
   * @param slot a slot returned by {@link #add} or found in a batch, holding an item
   * @param priority the new raw priority (typically {@code |TD error|} or the loss), finite and
   *     {@code >= 0}
   * @throws IllegalArgumentException if {@code priority} is not finite and non-negative or the slot
   *     holds no item (nothing changes)
   */
  public void updatePriority(int slot, double priority) {
    if (!(Double.isFinite(priority) && priority >= 0)) {
      throw new IllegalArgumentException("priority must be finite and >= 0, was " + priority);
    }
    if (slot < 0 || slot >= size) {
      throw new IllegalArgumentException("slot must be in [0, " + size + "), was " + slot);
    }
    double p = priority + epsilon;
    double stored = Math.pow(p, alpha);
    if (p > maxPriority) {
      maxPriority = p;
      maxStored = stored;
    }
    tree.set(slot, stored);
  }

  /**
   * The stored (exponentiated) priority {@code p^alpha} of a slot.
   *
   * @param slot the slot
   * @return its stored priority, 0 if empty
   * @throws IndexOutOfBoundsException if {@code slot} is not in {@code [0, capacity)}
   */
  public double storedPriority(int slot) {
    return tree.get(Objects.checkIndex(slot, capacity));
  }

  /**
   * The probability that one draw returns {@code slot}: its stored priority over the total.
   *
   * @param slot the slot
   * @return {@code P(slot)}
   * @throws IndexOutOfBoundsException if {@code slot} is not in {@code [0, capacity)}
   */
  public double probability(int slot) {
    return storedPriority(slot) / tree.sum();
  }

  /**
   * A batch holder for {@link #sample}; allocate once and reuse.
   *
   * @param batchSize the number of draws per sample call, {@code >= 1}
   * @return an empty batch
   * @throws IllegalArgumentException if {@code batchSize < 1}
   */
  public ReplayBatch<T> newBatch(int batchSize) {
    return new ReplayBatch<>(batchSize);
  }

  /**
   * Draws {@code batch.capacity()} items by stratified proportional sampling (with replacement
   * across strata), with their importance weights at the current {@link #beta()}, then advances
   * the annealing. O(batch log n); allocates nothing.
   *
   * @param batch receives slots, items and weights
   * @param random the source of the draws
   * @throws IllegalStateException if the buffer is empty
   */
  public void sample(ReplayBatch<T> batch, RandomSource random) {
    if (size == 0) {
      throw new IllegalStateException("cannot sample from an empty buffer");
    }
    double total = tree.sum();
    double min = tree.min();
    double beta = beta();
    int k = batch.capacity();
    double segment = total / k;
    double top = Math.nextDown(total);
    double[] u = batch.prefixSums;
    int[] slots = batch.slots;
    for (int i = 0; i < k; i++) {
      u[i] = Math.min((i + random.nextDouble()) * segment, top);
    }
    tree.findAll(u, slots, k); // the k descents level by level: their cache misses overlap
    Object[] out = batch.items;
    for (int i = 0; i < k; i++) { // independent loads first, so that their misses overlap too
      int slot = Math.min(slots[i], size - 1); // rounding at the far end: the last filled slot
      slots[i] = slot;
      out[i] = items[slot];
      u[i] = tree.get(slot);
    }
    float[] weights = batch.weights;
    for (int i = 0; i < k; i++) {
      // (N P(i))^-beta / max_k (N P(k))^-beta = (p_i / p_min)^-beta
      weights[i] = (float) Math.pow(u[i] / min, -beta);
    }
    batch.size = k;
    samples++;
  }

  @Override
  public String toString() {
    return "PrioritizedReplayBuffer[" + size + "/" + capacity + ", alpha " + alpha + ", beta "
        + beta() + "]";
  }

  /**
   * Configures a {@link PrioritizedReplayBuffer}. Not thread-safe.
   *
   * @param <T> the item type
   */
  public static final class Builder<T> {
    private final int capacity;
    private double alpha = 0.6;
    private double beta = 0.4;
    private long betaSteps = 100_000;
    private double epsilon = 1e-6;

    private Builder(int capacity) {
      this.capacity = capacity;
    }

    /**
     * The priority exponent: 0 is uniform sampling, 1 fully proportional (default 0.6).
     *
     * @param alpha in {@code [0, 1]}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder<T> alpha(double alpha) {
      if (!(alpha >= 0 && alpha <= 1)) {
        throw new IllegalArgumentException("alpha must be in [0, 1], was " + alpha);
      }
      this.alpha = alpha;
      return this;
    }

    /**
     * The initial importance exponent and the number of {@code sample} calls over which it
     * rises linearly to 1 (default 0.4 over 100,000).
     *
     * @param beta the initial exponent in {@code [0, 1]}
     * @param annealSamples sample calls until beta reaches 1, {@code >= 0} (0: 1 at once)
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder<T> beta(double beta, long annealSamples) {
      if (!(beta >= 0 && beta <= 1)) {
        throw new IllegalArgumentException("beta must be in [0, 1], was " + beta);
      }
      if (annealSamples < 0) {
        throw new IllegalArgumentException("annealSamples must be >= 0, was " + annealSamples);
      }
      this.beta = beta;
      this.betaSteps = annealSamples;
      return this;
    }

    /**
     * Added to every raw priority so that no item becomes unreachable (default 1e-6).
     *
     * @param epsilon finite and {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder<T> epsilon(double epsilon) {
      if (!(Double.isFinite(epsilon) && epsilon > 0)) {
        throw new IllegalArgumentException("epsilon must be finite and > 0, was " + epsilon);
      }
      this.epsilon = epsilon;
      return this;
    }

    /**
     * An empty buffer.
     *
     * @return the buffer
     */
    public PrioritizedReplayBuffer<T> build() {
      return new PrioritizedReplayBuffer<>(this);
    }
  }
}
