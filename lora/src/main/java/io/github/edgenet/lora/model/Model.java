package io.github.edgenet.lora.model;

import io.github.edgenet.lora.LoraAdapter;
import io.github.edgenet.lora.LoraTrainer;
import io.github.edgenet.lora.WeightFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A feed-forward stack of frozen {@link DenseLayer}s, each followed by an {@link Activation} and
 * optionally carrying a low-rank adapter: layer {@code l} computes
 *
 * <pre>{@code
 * z_l = W_l a_l + b_l + adapter_l(a_l)        a_0 = x (the model input)
 * a_{l+1} = f_l(z_l)                          the last a is the model output (e.g. logits)
 * }</pre>
 *
 * <p>An adapter is either inference-only (any {@link LoraAdapter}, e.g. a quantized one) or
 * trainable: given as a {@link LoraTrainer}, whose {@link LoraTrainer#adapter() MicroLora} runs in
 * the forward pass and which receives the adapter's gradients in the backward pass. The base
 * weights never change; to train a base from scratch use {@link DenseTrainer}.
 *
 * <pre>{@code
 * Model model = Model.builder(64)
 *     .dense(hidden, Activation.RELU, hiddenTrainer)   // frozen 64->64 base + trainable adapter
 *     .dense(output, Activation.IDENTITY, outTrainer)  // frozen 64->10 base + trainable adapter
 *     .build();
 * ModelPlan plan = model.plan(32);                     // all buffers, once
 * float loss = plan.trainBatch(xs, 0, labels, 0, 32);  // forward, loss, backward, step
 * }</pre>
 *
 * <p>A model computes nothing itself: {@link #plan(int)} builds a {@link ModelPlan}, which owns
 * every buffer and runs batches without allocating.
 *
 * <p><b>Thread-safety.</b> The model is immutable, but it refers to adapters and trainers that are
 * not: several plans of one model may run {@link ModelPlan#forward forward} passes in parallel
 * (adapters' forward methods are thread-safe), while backward passes and steps feed the model's
 * trainers, which must be driven from one thread at a time.
 */
public final class Model {
  private final int inputDim;
  private final DenseLayer[] layers;
  private final Activation[] activations;
  private final LoraAdapter[] adapters;
  private final LoraTrainer[] trainers;

  private Model(
      int inputDim, DenseLayer[] layers, Activation[] activations, LoraAdapter[] adapters,
      LoraTrainer[] trainers) {
    this.inputDim = inputDim;
    this.layers = layers;
    this.activations = activations;
    this.adapters = adapters;
    this.trainers = trainers;
  }

  /**
   * A builder for a model whose inputs have {@code inputDim} elements.
   *
   * @param inputDim the length of an input vector, {@code >= 1}
   * @return a builder for a model whose inputs have {@code inputDim} elements
   * @throws IllegalArgumentException if {@code inputDim < 1}
   */
  public static Builder builder(int inputDim) {
    if (inputDim < 1) {
      throw new IllegalArgumentException("inputDim must be >= 1, was " + inputDim);
    }
    return new Builder(inputDim);
  }

  /**
   * Length of the model's input vectors.
   *
   * @return the length of an input vector, {@code >= 1}
   */
  public int inputDim() {
    return inputDim;
  }

  /**
   * Length of the model's output vectors (the last layer's {@code outputDim}).
   *
   * @return the length of an output vector, {@code >= 1}
   */
  public int outputDim() {
    return layers[layers.length - 1].outputDim();
  }

  /**
   * Number of layers, at least 1.
   *
   * @return number of layers, at least 1
   */
  public int layerCount() {
    return layers.length;
  }

  /**
   * Layer {@code index}'s frozen base.
   *
   * @param index the layer, from 0 (the first, on the input)
   * @return the layer's frozen base (weights and bias)
   * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, layerCount())}
   */
  public DenseLayer layer(int index) {
    return layers[Objects.checkIndex(index, layers.length)];
  }

  /**
   * Layer {@code index}'s activation.
   *
   * @param index the layer, from 0 (the first, on the input)
   * @return the layer's activation
   * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, layerCount())}
   */
  public Activation activation(int index) {
    return activations[Objects.checkIndex(index, layers.length)];
  }

  /**
   * Layer {@code index}'s adapter (trainable or not), if it has one.
   *
   * @param index the layer, from 0 (the first, on the input)
   * @return the layer's adapter, or empty if it has none
   * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, layerCount())}
   */
  public Optional<LoraAdapter> adapter(int index) {
    return Optional.ofNullable(adapters[Objects.checkIndex(index, layers.length)]);
  }

  /**
   * Layer {@code index}'s trainer, if its adapter is trainable.
   *
   * @param index the layer, from 0 (the first, on the input)
   * @return the trainer of the layer's adapter, or empty if the layer has no trainable adapter
   * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, layerCount())}
   */
  public Optional<LoraTrainer> trainer(int index) {
    return Optional.ofNullable(trainers[Objects.checkIndex(index, layers.length)]);
  }

  /**
   * The trainers of the trainable adapters, from the first layer to the last.
   *
   * @return the trainers of the trainable adapters, from the first layer to the last
   */
  public List<LoraTrainer> trainers() {
    List<LoraTrainer> list = new ArrayList<>();
    for (LoraTrainer t : trainers) {
      if (t != null) {
        list.add(t);
      }
    }
    return List.copyOf(list);
  }

  /**
   * This model's frozen layers and activations without any adapter: the base.
   *
   * @return this model's frozen layers and activations without any adapter
   */
  public Model base() {
    int n = layers.length;
    return new Model(inputDim, layers, activations, new LoraAdapter[n], new LoraTrainer[n]);
  }

  /**
   * An evaluation plan for batches of up to {@code maxBatch} samples: allocates every activation
   * and gradient buffer now ({@code O(maxBatch * sum of layer widths)} floats), so that its
   * batches allocate nothing.
   *
   * @param maxBatch the largest batch the plan runs at once, {@code >= 1}
   * @return an evaluation plan for batches of up to {@code maxBatch} samples
   * @throws IllegalArgumentException if {@code maxBatch < 1} or the buffers would exceed an
   *     array's size
   */
  public ModelPlan plan(int maxBatch) {
    return new ModelPlan(this, maxBatch, null, null);
  }

  DenseLayer[] layersInternal() {
    return layers;
  }

  Activation[] activationsInternal() {
    return activations;
  }

  LoraAdapter[] adaptersInternal() {
    return adapters;
  }

  LoraTrainer[] trainersInternal() {
    return trainers;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Model[").append(inputDim);
    for (int l = 0; l < layers.length; l++) {
      s.append(" -> ").append(layers[l].outputDim()).append(' ').append(activations[l]);
      if (layers[l].format() != WeightFormat.F32) {
        s.append(' ').append(layers[l].format());
      }
      if (trainers[l] != null) {
        s.append(" +trainable rank ").append(adapters[l].rank());
      } else if (adapters[l] != null) {
        s.append(" +adapter rank ").append(adapters[l].rank());
      }
    }
    return s.append(']').toString();
  }

  /**
   * Adds layers one after another; each layer's {@code inputDim} must equal the previous layer's
   * {@code outputDim} (the model's {@code inputDim} for the first). Not thread-safe.
   */
  public static final class Builder {
    private final int inputDim;
    private final List<DenseLayer> layers = new ArrayList<>();
    private final List<Activation> activations = new ArrayList<>();
    private final List<LoraAdapter> adapters = new ArrayList<>();
    private final List<LoraTrainer> trainers = new ArrayList<>();

    private Builder(int inputDim) {
      this.inputDim = inputDim;
    }

    /**
     * Adds a frozen layer without an adapter.
     *
     * @param layer the frozen base; shared, not copied (it is immutable)
     * @param activation the activation applied to its output
     * @return this builder
     * @throws IllegalArgumentException if {@code layer.inputDim()} does not match the previous
     *     layer's output
     */
    public Builder dense(DenseLayer layer, Activation activation) {
      return add(layer, activation, null, null);
    }

    /**
     * Adds a frozen layer with an inference-only adapter (its weights are not trained by this
     * model; a backward pass still propagates through it). The adapter may be shared.
     *
     * @param layer the frozen base; shared, not copied (it is immutable)
     * @param activation the activation applied to its output (after the adapter's update)
     * @param adapter the adapter, of the layer's input and output dimensions
     * @return this builder
     * @throws IllegalArgumentException if a dimension does not match
     */
    public Builder dense(DenseLayer layer, Activation activation, LoraAdapter adapter) {
      return add(layer, activation, Objects.requireNonNull(adapter, "adapter"), null);
    }

    /**
     * Adds a frozen layer with a trainable adapter, {@code trainer.adapter()}: the backward pass
     * accumulates that adapter's gradients into {@code trainer}. A trainer may serve one layer
     * only.
     *
     * @param layer the frozen base; shared, not copied (it is immutable)
     * @param activation the activation applied to its output (after the adapter's update)
     * @param trainer the trainer of an adapter of the layer's input and output dimensions
     * @return this builder
     * @throws IllegalArgumentException if a dimension does not match or the trainer is already
     *     used by another layer
     */
    public Builder dense(DenseLayer layer, Activation activation, LoraTrainer trainer) {
      Objects.requireNonNull(trainer, "trainer");
      if (trainers.contains(trainer)) {
        throw new IllegalArgumentException(
            "trainer is already used by layer " + trainers.indexOf(trainer) + ": " + trainer);
      }
      return add(layer, activation, trainer.adapter(), trainer);
    }

    private Builder add(
        DenseLayer layer, Activation activation, LoraAdapter adapter, LoraTrainer trainer) {
      Objects.requireNonNull(layer, "layer");
      Objects.requireNonNull(activation, "activation");
      int expected = layers.isEmpty() ? inputDim : layers.getLast().outputDim();
      int index = layers.size();
      if (layer.inputDim() != expected) {
        throw new IllegalArgumentException(
            "layer " + index + " must have inputDim " + expected + ", had " + layer.inputDim());
      }
      if (adapter != null
          && (adapter.inputDim() != layer.inputDim() || adapter.outputDim() != layer.outputDim())) {
        throw new IllegalArgumentException(
            "adapter of layer " + index + " must be " + layer.inputDim() + "->" + layer.outputDim()
                + ", was " + adapter.inputDim() + "->" + adapter.outputDim());
      }
      layers.add(layer);
      activations.add(activation);
      adapters.add(adapter);
      trainers.add(trainer);
      return this;
    }

    /**
     * The model.
     *
     * @return the model
     * @throws IllegalStateException if no layer was added
     */
    public Model build() {
      if (layers.isEmpty()) {
        throw new IllegalStateException("a model needs at least one layer: call dense(...)");
      }
      return new Model(
          inputDim,
          layers.toArray(new DenseLayer[0]),
          activations.toArray(new Activation[0]),
          adapters.toArray(new LoraAdapter[0]),
          trainers.toArray(new LoraTrainer[0]));
    }
  }
}
