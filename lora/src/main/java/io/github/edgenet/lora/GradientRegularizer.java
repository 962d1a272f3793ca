package io.github.edgenet.lora;

/**
 * A penalty whose gradient a trainer adds to the data gradient just before the optimizer step
 * (for example elastic weight consolidation, or an L2 pull towards a reference point). Turned on
 * with one builder call: {@link LoraTrainer.Builder#regularizer} or {@code
 * model.DenseTrainer.Builder#regularizer}.
 *
 * <p>The trainer passes its parameter blocks in a fixed documented order ({@link LoraTrainer}:
 * {@code A} then {@code B} transposed; {@code DenseTrainer}: each layer's weights then its bias)
 * with the mean (and, in {@code LoraTrainer}, clipped) gradient of the batch in the same layout.
 * Implementations add {@code d penalty / d theta} into {@code gradients} and must not modify
 * {@code parameters}; the trainer then checks the sum is finite and steps.
 *
 * <p>Implementations are called from the training thread only; they need not be thread-safe
 * unless shared between trainers.
 */
@FunctionalInterface
public interface GradientRegularizer {
  /**
   * Adds the penalty's gradient at {@code parameters} to {@code gradients}.
   *
   * @param parameters the trainer's live parameter blocks (read only)
   * @param gradients the mean gradient blocks, same shapes, to add into
   */
  void addGradient(float[][] parameters, float[][] gradients);
}
