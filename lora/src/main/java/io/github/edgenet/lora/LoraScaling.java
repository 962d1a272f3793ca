package io.github.edgenet.lora;

/**
 * How an adapter's {@code alpha} becomes the factor {@code scale} in {@code y += scale * B A x}.
 *
 * <p>{@link #STANDARD} is the original LoRA rule (Hu et al., 2021); {@link #RANK_STABILIZED} is
 * rsLoRA (Kalajdzievski, 2023), which keeps the update's magnitude stable as the rank grows.
 */
public enum LoraScaling {
  /** {@code scale = alpha / rank}. */
  STANDARD,
  /** {@code scale = alpha / sqrt(rank)}. */
  RANK_STABILIZED;

  /**
   * The scale for {@code alpha} at {@code rank}.
   *
   * @param alpha the adapter's {@code alpha}
   * @param rank the adapter's rank, {@code >= 1}
   * @return the scale for {@code alpha} at {@code rank}
   * @throws IllegalArgumentException if {@code rank < 1}
   */
  public float scale(float alpha, int rank) {
    if (rank < 1) {
      throw new IllegalArgumentException("rank must be >= 1, was " + rank);
    }
    return switch (this) {
      case STANDARD -> alpha / rank;
      case RANK_STABILIZED -> (float) (alpha / Math.sqrt(rank));
    };
  }
}
