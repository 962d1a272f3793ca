/**
 * A minimal model layer for adapters: frozen dense layers (f32, Q8_0 or Q4_0 weights) with optional
 * low-rank adapters, activations, softmax cross-entropy, and batched forward and backward passes
 * through a reusable, allocation-free evaluation plan.
 *
 * <ul>
 *   <li>{@link io.github.edgenet.lora.model.DenseLayer} - a frozen {@code z = W x + b}, with
 *       read-only zero-copy views of its weights.
 *   <li>{@link io.github.edgenet.lora.model.Model} - layers, activations and adapters (trainable
 *       through a {@link io.github.edgenet.lora.LoraTrainer}), built with a builder.
 *   <li>{@link io.github.edgenet.lora.model.ModelPlan} - the buffers of a model for batches up to a
 *       maximum size, and the forward, loss and backward passes that reuse them.
 *   <li>{@link io.github.edgenet.lora.model.SoftmaxCrossEntropy} - the loss.
 *   <li>{@link io.github.edgenet.lora.model.DenseTrainer} - trains an f32 base from scratch, then
 *       freezes it.
 * </ul>
 *
 * <p>Layouts: matrices are row-major ({@code W[o][i]} at {@code o * inputDim + i}); batches are
 * batch-major ({@code batch x width}, sample after sample).
 */
package io.github.edgenet.lora.model;
