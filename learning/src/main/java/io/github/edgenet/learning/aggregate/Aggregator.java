package io.github.edgenet.learning.aggregate;

import java.util.List;

/**
 * A rule that combines {@code n} equally long vectors (gradients, parameter deltas, whole
 * parameter vectors) from {@code n} peers into one. Obtain one from {@link Aggregators}; the same
 * instance serves gossip rounds and federated rounds.
 *
 * <p>Every rule is deterministic: the same inputs in the same order give bit-identical output, so
 * two honest nodes aggregating the same signed contributions reach the same state. Rules that do
 * not depend on the order (all except where stated) give the same output for any order.
 *
 * <p>Implementations are immutable and thread-safe; scratch space is allocated per call.
 */
@FunctionalInterface
public interface Aggregator {
  /**
   * Aggregates {@code inputs} into {@code out}.
   *
   * @param inputs the vectors, all of length {@code out.length}, finite; not modified
   * @param out receives the aggregate
   * @throws IllegalArgumentException if {@code inputs} is empty, too small for the rule (for
   *     example Krum needs {@code n > 2f + 2}), a length differs from {@code out.length}, or an
   *     element is not finite (nothing is written)
   */
  void aggregate(List<float[]> inputs, float[] out);

  /**
   * Aggregates {@code inputs} into a new array.
   *
   * @param inputs the vectors, all of the same length, finite
   * @return the aggregate
   * @throws IllegalArgumentException as {@link #aggregate(List, float[])}
   */
  default float[] aggregate(List<float[]> inputs) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("inputs must not be empty");
    }
    float[] out = new float[inputs.get(0).length];
    aggregate(inputs, out);
    return out;
  }
}
