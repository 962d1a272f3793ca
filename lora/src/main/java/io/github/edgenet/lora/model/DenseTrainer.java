package io.github.edgenet.lora.model;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.lora.GradientRegularizer;
import io.github.edgenet.lora.Optimizer;
import io.github.edgenet.lora.OptimizerState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Trains the f32 base weights of a small classifier from scratch with softmax cross-entropy, then
 * hands out a frozen copy: the step that precedes adaptation (a base trained once, frozen, then
 * adapted with low-rank adapters).
 *
 * <pre>{@code
 * DenseTrainer trainer = DenseTrainer.builder(64)
 *     .layer(64, Activation.RELU)
 *     .layer(10, Activation.IDENTITY)
 *     .optimizer(Optimizer.adam(1e-2f))
 *     .random(RandomSource.seeded(7))
 *     .build();
 * for (...) trainer.trainBatch(xs, offset, labels, labelOffset, 32);
 * Model base = trainer.freeze();            // immutable DenseLayers, independent of the trainer
 * DenseLayer q = base.layer(0).withFormat(WeightFormat.Q8_0);
 * }</pre>
 *
 * <p><b>Initialization.</b> Each {@code W} (row-major {@code out x in}) starts uniform in
 * {@code [-1/sqrt(in), 1/sqrt(in)]}, PyTorch's default for {@code nn.Linear}, drawn from the
 * seeded {@link RandomSource} row by row, layer by layer; biases start at zero.
 *
 * <p><b>Optimization.</b> {@link #trainBatch} computes the gradient of the batch's mean loss for
 * every weight and bias, by the same {@link ModelPlan} backward pass adapters train with, and
 * applies the {@link Optimizer} through the shared {@link OptimizerState} (SGD with optional
 * momentum and Nesterov, Adam, AdamW). A {@link Builder#regularizer regularizer}, if set, adds its
 * penalty gradient first. No gradient clipping. If the gradient is not
 * finite, the step is skipped and the weights and the optimizer state are left untouched.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one thread trains. {@link #freeze()} returns copies,
 * which are immutable and free to share.
 */
public final class DenseTrainer {
  private final int inputDim;
  private final int maxBatch;
  private final int layerCount;
  private final float[][] weights;
  private final float[][] biases;
  private final float[][] gradW;
  private final float[][] gradB;
  private final float[][] paramBlocks;
  private final float[][] gradBlocks;
  private final Activation[] activations;
  private final Model live;
  private final ModelPlan plan;
  private final OptimizerState state;
  private final GradientRegularizer regularizer;

  private DenseTrainer(Builder b) {
    this.inputDim = b.inputDim;
    this.maxBatch = b.maxBatch;
    this.regularizer = b.regularizer;
    this.layerCount = b.widths.size();
    weights = new float[layerCount][];
    biases = new float[layerCount][];
    gradW = new float[layerCount][];
    gradB = new float[layerCount][];
    activations = b.activations.toArray(new Activation[0]);
    paramBlocks = new float[2 * layerCount][];
    gradBlocks = new float[2 * layerCount][];
    int[] blockLengths = new int[2 * layerCount];
    Model.Builder mb = Model.builder(inputDim);
    int in = inputDim;
    for (int l = 0; l < layerCount; l++) {
      int out = b.widths.get(l);
      float[] w = new float[Math.multiplyExact(in, out)];
      double bound = 1.0 / Math.sqrt(in);
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) ((2 * b.random.nextDouble() - 1) * bound);
      }
      weights[l] = w;
      biases[l] = new float[out];
      gradW[l] = new float[w.length];
      gradB[l] = new float[out];
      paramBlocks[2 * l] = w;
      paramBlocks[2 * l + 1] = biases[l];
      gradBlocks[2 * l] = gradW[l];
      gradBlocks[2 * l + 1] = gradB[l];
      blockLengths[2 * l] = w.length;
      blockLengths[2 * l + 1] = out;
      mb.dense(DenseLayer.wrap(in, out, w, biases[l]), activations[l]);
      in = out;
    }
    live = mb.build();
    plan = new ModelPlan(live, maxBatch, gradW, gradB);
    state = OptimizerState.create(b.optimizer, blockLengths);
  }

  /**
   * A builder for a classifier whose inputs have {@code inputDim} elements.
   *
   * @param inputDim the length of an input sample, {@code >= 1}
   * @return a builder; layers, an optimizer and a random source are still required
   * @throws IllegalArgumentException if {@code inputDim < 1}
   */
  public static Builder builder(int inputDim) {
    if (inputDim < 1) {
      throw new IllegalArgumentException("inputDim must be >= 1, was " + inputDim);
    }
    return new Builder(inputDim);
  }

  /**
   * The largest batch {@link #trainBatch} and {@link #accuracy} take at once.
   *
   * @return the largest batch, {@code >= 1}, as given to the builder
   */
  public int maxBatch() {
    return maxBatch;
  }

  /**
   * Optimizer steps applied so far (skipped non-finite steps do not count).
   *
   * @return the number of steps taken, {@code >= 0}
   */
  public long steps() {
    return state.steps();
  }

  /**
   * The optimizer in use.
   *
   * @return the optimizer given to the builder, with the current learning rate
   */
  public Optimizer optimizer() {
    return state.optimizer();
  }

  /**
   * Changes the learning rate from the next step on; the optimizer state is kept.
   *
   * @param learningRate the new rate, finite and {@code > 0}
   * @throws IllegalArgumentException if {@code learningRate} is not finite and positive
   */
  public void setLearningRate(float learningRate) {
    state.setLearningRate(learningRate);
  }

  /**
   * One optimizer step on the mean loss of {@code batch} samples: {@code xs[xsOffset ..]} is
   * {@code batch x inputDim} row-major, {@code labels[labelsOffset ..]} holds their classes.
   * Allocates nothing.
   *
   * @param xs the array holding the inputs; read only
   * @param xsOffset the index in {@code xs} of the first sample's first float
   * @param labels the array holding the classes, each in {@code [0, classes)}; read only
   * @param labelsOffset the index in {@code labels} of the first sample's class
   * @param batch the number of samples, 1 to {@link #maxBatch()}
   * @return the batch's mean softmax cross-entropy before the step, in nats
   * @throws IllegalArgumentException if {@code batch} is not in {@code [1, maxBatch]} or a label is
   *     out of range (nothing is changed)
   * @throws IndexOutOfBoundsException if a slice does not fit its array (nothing is changed)
   */
  public float trainBatch(float[] xs, int xsOffset, int[] labels, int labelsOffset, int batch) {
    float loss = computeGradients(xs, xsOffset, labels, labelsOffset, batch);
    if (regularizer != null && finiteGradients()) {
      regularizer.addGradient(paramBlocks, gradBlocks);
    }
    if (!finiteGradients()) {
      return loss;
    }
    state.step(paramBlocks, gradBlocks, 1f);
    return loss;
  }

  /**
   * The number of trainable parameters: every weight and bias, in the flat layout {@code [W0, b0,
   * W1, b1, ...]} ({@code W} row-major {@code out x in}) that {@link #copyParameters}, {@link
   * #setParameters}, {@link #gradient} and {@link #applyGradient} use.
   *
   * @return the parameter count
   */
  public int parameterCount() {
    int n = 0;
    for (float[] b : paramBlocks) {
      n += b.length;
    }
    return n;
  }

  /**
   * Copies the current parameters into {@code out} in the flat layout (for gossip, federated
   * rounds and EWC anchors).
   *
   * @param out receives {@link #parameterCount()} floats
   * @throws IllegalArgumentException if {@code out} has another length
   */
  public void copyParameters(float[] out) {
    checkFlat("out", out);
    int k = 0;
    for (float[] b : paramBlocks) {
      System.arraycopy(b, 0, out, k, b.length);
      k += b.length;
    }
  }

  /**
   * Replaces the parameters by {@code parameters} in the flat layout (for example an average from
   * peers); the optimizer state is kept.
   *
   * @param parameters {@link #parameterCount()} finite floats
   * @throws IllegalArgumentException if the length differs or a value is not finite (nothing is
   *     changed)
   */
  public void setParameters(float[] parameters) {
    checkFlat("parameters", parameters);
    for (float v : parameters) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("parameters must be finite, found " + v);
      }
    }
    int k = 0;
    for (float[] b : paramBlocks) {
      System.arraycopy(parameters, k, b, 0, b.length);
      k += b.length;
    }
  }

  /**
   * The gradient of the mean loss of {@code batch} samples at the current parameters, in the
   * flat layout, without stepping (with {@code batch = 1}, a per-sample gradient for a Fisher
   * estimate; for a federated or gossip node, the gradient it shares). No regularizer is added.
   *
   * @param xs inputs, {@code batch x inputDim} row-major from {@code xsOffset}
   * @param xsOffset the first input's offset
   * @param labels classes from {@code labelsOffset}
   * @param labelsOffset the first label's offset
   * @param batch the sample count, in {@code [1, maxBatch]}
   * @param out receives {@link #parameterCount()} floats
   * @return the batch's mean softmax cross-entropy, in nats
   * @throws IllegalArgumentException if {@code batch}, a label or {@code out}'s length is out of
   *     range (nothing is changed)
   * @throws IndexOutOfBoundsException if a slice does not fit its array
   */
  public float gradient(
      float[] xs, int xsOffset, int[] labels, int labelsOffset, int batch, float[] out) {
    checkFlat("out", out);
    float loss = computeGradients(xs, xsOffset, labels, labelsOffset, batch);
    int k = 0;
    for (float[] b : gradBlocks) {
      System.arraycopy(b, 0, out, k, b.length);
      k += b.length;
    }
    return loss;
  }

  /**
   * One optimizer step with a given gradient in the flat layout (for example one aggregated from
   * peers), plus the regularizer's gradient if one is set. A non-finite gradient is rejected.
   *
   * @param gradient {@link #parameterCount()} floats
   * @throws IllegalArgumentException if the length differs or an element is not finite (nothing
   *     is changed)
   */
  public void applyGradient(float[] gradient) {
    checkFlat("gradient", gradient);
    for (float v : gradient) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("gradient must be finite, found " + v);
      }
    }
    int k = 0;
    for (float[] b : gradBlocks) {
      System.arraycopy(gradient, k, b, 0, b.length);
      k += b.length;
    }
    if (regularizer != null) {
      regularizer.addGradient(paramBlocks, gradBlocks);
      if (!finiteGradients()) {
        return;
      }
    }
    state.step(paramBlocks, gradBlocks, 1f);
  }

  private void checkFlat(String name, float[] v) {
    int n = parameterCount();
    if (v.length != n) {
      throw new IllegalArgumentException(name + " must have length " + n + ", had " + v.length);
    }
  }

  /**
   * The fraction of {@code count} samples the current weights classify correctly (see {@link
   * ModelPlan#accuracy}).
   *
   * @param xs the array holding the inputs, {@code count x inputDim} row-major; read only
   * @param xsOffset the index in {@code xs} of the first sample's first float
   * @param labels the array holding the classes; read only
   * @param labelsOffset the index in {@code labels} of the first sample's class
   * @param count the number of samples, {@code >= 1}
   * @return the fraction in {@code [0, 1]} predicted correctly (the largest output is the class)
   * @throws IllegalArgumentException if {@code count < 1}
   * @throws IndexOutOfBoundsException if a slice does not fit its array
   */
  public double accuracy(float[] xs, int xsOffset, int[] labels, int labelsOffset, int count) {
    return plan.accuracy(xs, xsOffset, labels, labelsOffset, count);
  }

  /**
   * The current weights as a frozen model: new {@link DenseLayer}s holding copies, with the
   * trainer's activations and no adapters. Later training does not affect it.
   *
   * @return a new model holding copies of the current weights, independent of later training
   */
  public Model freeze() {
    Model.Builder mb = Model.builder(inputDim);
    int in = inputDim;
    for (int l = 0; l < layerCount; l++) {
      int out = biases[l].length;
      mb.dense(DenseLayer.of(in, out, weights[l], biases[l]), activations[l]);
      in = out;
    }
    return mb.build();
  }

  /**
   * Forward, loss and backward of one batch, leaving the mean gradient in gradW/gradB.
   * Package-private for the gradient tests.
   */
  float computeGradients(float[] xs, int xsOffset, int[] labels, int labelsOffset, int batch) {
    if (batch < 1 || batch > maxBatch) {
      throw new IllegalArgumentException("batch must be in [1, " + maxBatch + "], was " + batch);
    }
    Objects.checkFromIndexSize(labelsOffset, batch, labels.length);
    Objects.checkFromIndexSize(xsOffset, batch * inputDim, xs.length);
    SoftmaxCrossEntropy.checkLabels(labels, labelsOffset, batch, live.outputDim());
    for (int l = 0; l < layerCount; l++) {
      Arrays.fill(gradW[l], 0f);
      Arrays.fill(gradB[l], 0f);
    }
    plan.forward(xs, xsOffset, batch);
    float loss = plan.loss(labels, labelsOffset);
    plan.backward();
    float inv = 1f / batch;
    for (int l = 0; l < layerCount; l++) {
      scale(gradW[l], inv);
      scale(gradB[l], inv);
    }
    return loss;
  }

  /** The live mean weight gradient of layer {@code l} after {@link #computeGradients}. */
  float[] weightGradient(int l) {
    return gradW[l];
  }

  /** The live mean bias gradient of layer {@code l} after {@link #computeGradients}. */
  float[] biasGradient(int l) {
    return gradB[l];
  }

  /** The live weights of layer {@code l}, for the gradient tests. */
  float[] liveWeights(int l) {
    return weights[l];
  }

  private boolean finiteGradients() {
    for (int l = 0; l < layerCount; l++) {
      if (!finite(gradW[l]) || !finite(gradB[l])) {
        return false;
      }
    }
    return true;
  }

  private static boolean finite(float[] g) {
    for (float v : g) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  private static void scale(float[] g, float c) {
    for (int i = 0; i < g.length; i++) {
      g[i] *= c;
    }
  }

  @Override
  public String toString() {
    return "DenseTrainer[" + live + ", " + state.optimizer() + ", steps " + state.steps() + "]";
  }

  /**
   * Configures a {@link DenseTrainer}: at least one layer, an optimizer and a random source are
   * required; {@code maxBatch} defaults to 32. Not thread-safe.
   */
  public static final class Builder {
    private final int inputDim;
    private final List<Integer> widths = new ArrayList<>();
    private final List<Activation> activations = new ArrayList<>();
    private Optimizer optimizer;
    private RandomSource random;
    private GradientRegularizer regularizer;
    private int maxBatch = 32;

    private Builder(int inputDim) {
      this.inputDim = inputDim;
    }

    /**
     * Adds a layer with {@code outputDim} outputs (its input is the previous layer's output). The
     * last layer's outputs are the logits; its activation is normally {@link
     * Activation#IDENTITY}.
     *
     * @param outputDim the layer's number of outputs, {@code >= 1}
     * @param activation the layer's activation
     * @return this builder
     * @throws IllegalArgumentException if {@code outputDim < 1}
     */
    public Builder layer(int outputDim, Activation activation) {
      if (outputDim < 1) {
        throw new IllegalArgumentException("outputDim must be >= 1, was " + outputDim);
      }
      widths.add(outputDim);
      activations.add(Objects.requireNonNull(activation, "activation"));
      return this;
    }

    /**
     * The optimizer (required), e.g. {@link Optimizer#adam(float)}.
     *
     * @param optimizer the update rule and its hyper-parameters
     * @return this builder
     */
    public Builder optimizer(Optimizer optimizer) {
      this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
      return this;
    }

    /**
     * Adds a penalty's gradient (for example EWC) to each batch's mean gradient before the
     * optimizer step. Blocks are passed as {@code [W0, b0, W1, b1, ...]}, each {@code W}
     * row-major {@code out x in}. Off by default.
     *
     * @param regularizer the penalty
     * @return this builder
     */
    public Builder regularizer(GradientRegularizer regularizer) {
      this.regularizer = Objects.requireNonNull(regularizer, "regularizer");
      return this;
    }

    /**
     * The source of the initial weights (required).
     *
     * @param random the seeded stream the initial weights are drawn from, uniform on {@code
     *     +-1/sqrt(fanIn)} (biases start at 0); it advances at {@link #build()}
     * @return this builder
     */
    public Builder random(RandomSource random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * The largest batch (default 32).
     *
     * @param maxBatch the largest batch, {@code >= 1}; the buffers are sized for it at {@link
     *     #build()}
     * @return this builder
     * @throws IllegalArgumentException if {@code maxBatch < 1}
     */
    public Builder maxBatch(int maxBatch) {
      if (maxBatch < 1) {
        throw new IllegalArgumentException("maxBatch must be >= 1, was " + maxBatch);
      }
      this.maxBatch = maxBatch;
      return this;
    }

    /**
     * A trainer with freshly initialized weights.
     *
     * @return a new trainer
     * @throws IllegalStateException if no layer, optimizer or random source was given
     */
    public DenseTrainer build() {
      if (widths.isEmpty()) {
        throw new IllegalStateException("at least one layer is required: call layer(...)");
      }
      if (optimizer == null) {
        throw new IllegalStateException("an optimizer is required: call optimizer(...)");
      }
      if (random == null) {
        throw new IllegalStateException("a random source is required: call random(...)");
      }
      return new DenseTrainer(this);
    }
  }
}
