package io.github.edgenet.lora;

import java.util.Objects;

/**
 * The state of an {@link Optimizer} over a fixed list of parameter blocks (each a {@code float[]}
 * of a fixed length), and the one implementation of its update rule: {@link LoraTrainer}, {@code
 * model.DenseTrainer}, and any other trainer (federated rounds, EWC experiments) step through this
 * class. The equations are exactly those documented on {@link Optimizer}.
 *
 * <pre>{@code
 * float[] theta = ...;                          // parameters, updated in place
 * float[] grad = new float[theta.length];
 * OptimizerState state = OptimizerState.create(Optimizer.adamW(1e-3f, 0.01f), theta.length);
 * for (...) {
 *   computeGradient(theta, grad);
 *   state.step(theta, grad);                    // one Adam(W) step, t = state.steps()
 * }
 * }</pre>
 *
 * <p>State is allocated once at creation (one array per block for momentum, two for Adam; none
 * for plain SGD); {@link #step} allocates nothing and writes each parameter once, element by
 * element, so a reader of the parameters sees each element either before or after the step.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one thread steps (the trainers call it under their own
 * locks).
 */
public final class OptimizerState {
  private final int[] lengths;
  private final float[][] first;
  private final float[][] second;
  private Optimizer optimizer;
  private double beta1Power = 1.0;
  private double beta2Power = 1.0;
  private long steps;

  private OptimizerState(Optimizer optimizer, int[] lengths) {
    this.optimizer = optimizer;
    this.lengths = lengths;
    boolean hasFirst = optimizer instanceof Optimizer.Adam
        || ((Optimizer.Sgd) optimizer).momentum() > 0f;
    boolean hasSecond = optimizer instanceof Optimizer.Adam;
    first = hasFirst ? new float[lengths.length][] : null;
    second = hasSecond ? new float[lengths.length][] : null;
    for (int b = 0; b < lengths.length; b++) {
      if (hasFirst) {
        first[b] = new float[lengths[b]];
      }
      if (hasSecond) {
        second[b] = new float[lengths[b]];
      }
    }
  }

  /**
   * Zero state for {@code optimizer} over blocks of the given lengths.
   *
   * @param optimizer the update rule
   * @param blockLengths the length of each parameter block, in the order {@link #step} takes them
   * @return a fresh state, {@link #steps()} 0
   * @throws IllegalArgumentException if no block is given or a length is negative
   * @throws NullPointerException if {@code optimizer} is null
   */
  public static OptimizerState create(Optimizer optimizer, int... blockLengths) {
    Objects.requireNonNull(optimizer, "optimizer");
    if (blockLengths.length == 0) {
      throw new IllegalArgumentException("at least one block length is required, had 0");
    }
    for (int b = 0; b < blockLengths.length; b++) {
      if (blockLengths[b] < 0) {
        throw new IllegalArgumentException(
            "blockLengths[" + b + "] must be >= 0, was " + blockLengths[b]);
      }
    }
    return new OptimizerState(optimizer, blockLengths.clone());
  }

  /**
   * The optimizer in use.
   *
   * @return the current optimizer (its learning rate may have been changed)
   */
  public Optimizer optimizer() {
    return optimizer;
  }

  /**
   * Changes the learning rate from the next step on; moments and step count are kept.
   *
   * @param learningRate the new rate
   * @throws IllegalArgumentException if {@code learningRate} is not finite and positive
   */
  public void setLearningRate(float learningRate) {
    optimizer = optimizer.withLearningRate(learningRate);
  }

  /**
   * Steps applied so far (Adam's {@code t} after the last step).
   *
   * @return the step count
   */
  public long steps() {
    return steps;
  }

  /**
   * The number of parameter blocks.
   *
   * @return the block count given at creation
   */
  public int blockCount() {
    return lengths.length;
  }

  /**
   * One step over a single-block state: {@code step(new float[][] {parameters}, new float[][]
   * {gradient}, 1f)}, without the wrapping arrays' cost mattering to anyone.
   *
   * @param parameters the parameters, updated in place
   * @param gradient the gradient of the loss with respect to them (not modified)
   * @throws IllegalArgumentException if the state has more than one block or a length differs
   */
  public void step(float[] parameters, float[] gradient) {
    if (lengths.length != 1) {
      throw new IllegalArgumentException("state has " + lengths.length + " blocks, not 1");
    }
    checkLength(0, parameters, gradient);
    advance();
    update(0, parameters, gradient, 1f);
  }

  /**
   * One optimizer step over every block: block {@code b} of the parameters is updated with the
   * gradient {@code gradientScale * gradients[b]} (the scale folds a mean or a clipping factor in
   * without a pass). The gradients are not modified. The caller checks the gradient is finite; a
   * non-finite one would make the parameters non-finite.
   *
   * @param parameters the parameter blocks, updated in place
   * @param gradients the gradient blocks, same lengths
   * @param gradientScale a factor applied to every gradient element, finite
   * @throws IllegalArgumentException if the number of blocks or a length differs from creation, or
   *     {@code gradientScale} is not finite (nothing is changed)
   */
  public void step(float[][] parameters, float[][] gradients, float gradientScale) {
    if (parameters.length != lengths.length || gradients.length != lengths.length) {
      throw new IllegalArgumentException("expected " + lengths.length + " blocks, had "
          + parameters.length + " parameter and " + gradients.length + " gradient blocks");
    }
    if (!Float.isFinite(gradientScale)) {
      throw new IllegalArgumentException("gradientScale must be finite, was " + gradientScale);
    }
    for (int b = 0; b < lengths.length; b++) {
      checkLength(b, parameters[b], gradients[b]);
    }
    advance();
    for (int b = 0; b < lengths.length; b++) {
      update(b, parameters[b], gradients[b], gradientScale);
    }
  }

  private void checkLength(int b, float[] w, float[] g) {
    if (w.length != lengths[b] || g.length != lengths[b]) {
      throw new IllegalArgumentException("block " + b + " must have length " + lengths[b]
          + ", had parameters " + w.length + " and gradient " + g.length);
    }
  }

  private void advance() {
    steps++;
    if (optimizer instanceof Optimizer.Adam adam) {
      beta1Power *= adam.beta1();
      beta2Power *= adam.beta2();
    }
  }

  // The loops index every array with the same i from 0, which the JIT vectorizes.
  private void update(int b, float[] w, float[] g, float coef) {
    if (optimizer instanceof Optimizer.Sgd sgd) {
      float lr = sgd.learningRate();
      float mu = sgd.momentum();
      if (mu == 0f) {
        float c = -lr * coef;
        for (int i = 0; i < w.length; i++) {
          w[i] += c * g[i];
        }
        return;
      }
      float[] m = first[b];
      if (sgd.nesterov()) {
        for (int i = 0; i < w.length; i++) {
          float gi = coef * g[i];
          float vi = mu * m[i] + gi;
          m[i] = vi;
          w[i] -= lr * (gi + mu * vi);
        }
      } else {
        for (int i = 0; i < w.length; i++) {
          float vi = mu * m[i] + coef * g[i];
          m[i] = vi;
          w[i] -= lr * vi;
        }
      }
      return;
    }
    Optimizer.Adam adam = (Optimizer.Adam) optimizer;
    float lr = adam.learningRate();
    float b1 = adam.beta1();
    float b2 = adam.beta2();
    float c1 = 1f - b1;
    float c2 = 1f - b2;
    float eps = adam.epsilon();
    float stepSize = (float) (lr / (1.0 - beta1Power));
    float invSqrtBc2 = (float) (1.0 / Math.sqrt(1.0 - beta2Power));
    float decay = 1f - lr * adam.weightDecay();
    float[] m = first[b];
    float[] v = second[b];
    for (int i = 0; i < w.length; i++) {
      float gi = coef * g[i];
      float mi = b1 * m[i] + c1 * gi;
      float vi = b2 * v[i] + c2 * (gi * gi);
      m[i] = mi;
      v[i] = vi;
      w[i] = decay * w[i] - stepSize * mi / ((float) Math.sqrt(vi) * invSqrtBc2 + eps);
    }
  }

  @Override
  public String toString() {
    return "OptimizerState[" + optimizer + ", " + lengths.length + " blocks, steps " + steps + "]";
  }
}
