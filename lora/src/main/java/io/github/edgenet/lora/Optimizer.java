package io.github.edgenet.lora;

/**
 * How a trainer ({@link LoraTrainer}, {@code model.DenseTrainer}, or any caller of
 * {@link OptimizerState}) turns a gradient into a weight update: {@link Sgd SGD} (with optional
 * momentum and Nesterov) or {@link Adam Adam} (with optional decoupled weight decay, AdamW). An
 * immutable value; the optimizer's state (velocities, moments) lives in an {@link OptimizerState},
 * the one implementation of these equations, which every trainer calls.
 *
 * <p>The update equations follow PyTorch's {@code torch.optim.SGD} (dampening 0) and
 * {@code torch.optim.Adam}/{@code AdamW}, so hyper-parameters carry over unchanged. With {@code g}
 * the (averaged, clipped) gradient of one weight {@code w} and {@code t} the step number from 1:
 *
 * <pre>{@code
 * SGD:      v = momentum * v + g;   w -= lr * v                      (v starts at 0)
 * Nesterov: v = momentum * v + g;   w -= lr * (g + momentum * v)
 * Adam:     m = beta1 * m + (1 - beta1) * g
 *           v = beta2 * v + (1 - beta2) * g * g
 *           w -= lr * weightDecay * w                                  (decoupled, AdamW; 0 = Adam)
 *           w -= (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + epsilon)
 * }</pre>
 *
 * <p>Adam is Algorithm 1 of Kingma and Ba (2015) with the bias corrections folded into the step
 * size and {@code epsilon} added to the bias-corrected {@code sqrt(v)}, exactly as PyTorch does;
 * the decoupled decay is Loshchilov and Hutter (2019), applied before the Adam step like
 * PyTorch's {@code AdamW}.
 *
 * <p>Every factory and wither validates its arguments and throws {@link IllegalArgumentException}
 * naming the parameter and its value. Instances are immutable and thread-safe.
 */
public sealed interface Optimizer permits Optimizer.Sgd, Optimizer.Adam {

  /**
   * The learning rate, finite and {@code > 0}.
   *
   * @return the step size, finite and {@code > 0}
   */
  float learningRate();

  /**
   * This optimizer with another learning rate (for schedules).
   *
   * @param learningRate the new step size, finite and {@code > 0}
   * @return an optimizer of the same kind and hyper-parameters with that rate; this one is
   *     unchanged
   * @throws IllegalArgumentException if {@code learningRate} is not finite and positive
   */
  Optimizer withLearningRate(float learningRate);

  /**
   * Plain SGD, {@code w -= learningRate * g}.
   *
   * @param learningRate the step size, finite and {@code > 0}
   * @return plain SGD (momentum 0)
   * @throws IllegalArgumentException if {@code learningRate} is not finite and positive
   */
  static Sgd sgd(float learningRate) {
    return new Sgd(learningRate, 0f, false);
  }

  /**
   * SGD with heavy-ball momentum (PyTorch convention, see the type's documentation).
   *
   * @param learningRate the step size, finite and {@code > 0}
   * @param momentum the heavy-ball coefficient in {@code [0, 1)}; 0 gives plain SGD
   * @return SGD with that momentum, without Nesterov
   * @throws IllegalArgumentException if {@code learningRate} is not finite and positive or
   *     {@code momentum} is not in {@code [0, 1)}
   */
  static Sgd sgd(float learningRate, float momentum) {
    return new Sgd(learningRate, momentum, false);
  }

  /**
   * Adam with the usual defaults: {@code beta1 = 0.9}, {@code beta2 = 0.999},
   * {@code epsilon = 1e-8}, no weight decay.
   *
   * @param learningRate the step size, finite and {@code > 0} ({@code 1e-3} is the usual start)
   * @return Adam with the defaults above
   * @throws IllegalArgumentException if {@code learningRate} is not finite and positive
   */
  static Adam adam(float learningRate) {
    return new Adam(learningRate, 0.9f, 0.999f, 1e-8f, 0f);
  }

  /**
   * AdamW: {@link #adam(float) Adam} with decoupled weight decay {@code weightDecay} (PyTorch's
   * {@code AdamW} default is {@code 0.01}).
   *
   * @param learningRate the step size, finite and {@code > 0}
   * @param weightDecay the decoupled decay per unit of learning rate, finite and {@code >= 0}; each
   *     step first shrinks every weight by the factor {@code 1 - learningRate * weightDecay}
   * @return Adam with the usual defaults and that weight decay
   * @throws IllegalArgumentException if an argument is out of range
   */
  static Adam adamW(float learningRate, float weightDecay) {
    return new Adam(learningRate, 0.9f, 0.999f, 1e-8f, weightDecay);
  }

  /**
   * Stochastic gradient descent with optional momentum.
   *
   * @param learningRate step size, finite and {@code > 0}
   * @param momentum heavy-ball coefficient in {@code [0, 1)}; 0 means plain SGD (no velocity state)
   * @param nesterov whether to use Nesterov momentum (requires {@code momentum > 0})
   */
  record Sgd(float learningRate, float momentum, boolean nesterov) implements Optimizer {
    /**
     * Validates the hyper-parameters.
     *
     * @throws IllegalArgumentException if one is out of range
     */
    public Sgd {
      checkLearningRate(learningRate);
      if (!(momentum >= 0f && momentum < 1f)) {
        throw new IllegalArgumentException("momentum must be in [0, 1), was " + momentum);
      }
      if (nesterov && momentum == 0f) {
        throw new IllegalArgumentException("nesterov requires momentum > 0, was " + momentum);
      }
    }

    @Override
    public Sgd withLearningRate(float learningRate) {
      return new Sgd(learningRate, momentum, nesterov);
    }

    /**
     * This optimizer with Nesterov momentum on.
     *
     * @return this optimizer with Nesterov momentum, same rate and momentum
     * @throws IllegalArgumentException if this optimizer's momentum is 0 (Nesterov needs momentum)
     */
    public Sgd withNesterov() {
      return new Sgd(learningRate, momentum, true);
    }
  }

  /**
   * Adam (Kingma and Ba, 2015) with bias correction, optionally with decoupled weight decay
   * (AdamW).
   *
   * @param learningRate step size, finite and {@code > 0}
   * @param beta1 first-moment decay in {@code [0, 1)}
   * @param beta2 second-moment decay in {@code [0, 1)}
   * @param epsilon added to the denominator, finite and {@code > 0}
   * @param weightDecay decoupled decay per unit of learning rate, finite and {@code >= 0}
   */
  record Adam(float learningRate, float beta1, float beta2, float epsilon, float weightDecay)
      implements Optimizer {
    /**
     * Validates the hyper-parameters.
     *
     * @throws IllegalArgumentException if one is out of range
     */
    public Adam {
      checkLearningRate(learningRate);
      if (!(beta1 >= 0f && beta1 < 1f)) {
        throw new IllegalArgumentException("beta1 must be in [0, 1), was " + beta1);
      }
      if (!(beta2 >= 0f && beta2 < 1f)) {
        throw new IllegalArgumentException("beta2 must be in [0, 1), was " + beta2);
      }
      if (!(Float.isFinite(epsilon) && epsilon > 0f)) {
        throw new IllegalArgumentException("epsilon must be finite and > 0, was " + epsilon);
      }
      if (!(Float.isFinite(weightDecay) && weightDecay >= 0f)) {
        throw new IllegalArgumentException("weightDecay must be finite and >= 0, was " + weightDecay);
      }
    }

    @Override
    public Adam withLearningRate(float learningRate) {
      return new Adam(learningRate, beta1, beta2, epsilon, weightDecay);
    }

    /**
     * This optimizer with other moment decays.
     *
     * @param beta1 the first-moment decay in {@code [0, 1)} (default 0.9)
     * @param beta2 the second-moment decay in {@code [0, 1)} (default 0.999)
     * @return an Adam optimizer with these decays and this one's other values
     * @throws IllegalArgumentException if a decay is outside {@code [0, 1)}
     */
    public Adam withBetas(float beta1, float beta2) {
      return new Adam(learningRate, beta1, beta2, epsilon, weightDecay);
    }

    /**
     * This optimizer with another {@code epsilon}.
     *
     * @param epsilon the term added to the denominator, finite and {@code > 0} (default {@code
     *     1e-8})
     * @return an Adam optimizer with this epsilon and this one's other values
     * @throws IllegalArgumentException if {@code epsilon} is not finite and positive
     */
    public Adam withEpsilon(float epsilon) {
      return new Adam(learningRate, beta1, beta2, epsilon, weightDecay);
    }

    /**
     * This optimizer with another decoupled weight decay (0 turns it off).
     *
     * @param weightDecay the decoupled decay per unit of learning rate, finite and {@code >= 0}
     * @return an Adam optimizer with this decay and this one's other values
     * @throws IllegalArgumentException if {@code weightDecay} is negative or not finite
     */
    public Adam withWeightDecay(float weightDecay) {
      return new Adam(learningRate, beta1, beta2, epsilon, weightDecay);
    }
  }

  private static void checkLearningRate(float learningRate) {
    if (!(Float.isFinite(learningRate) && learningRate > 0f)) {
      throw new IllegalArgumentException("learningRate must be finite and > 0, was " + learningRate);
    }
  }
}
