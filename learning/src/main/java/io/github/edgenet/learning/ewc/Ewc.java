package io.github.edgenet.learning.ewc;

import io.github.edgenet.lora.GradientRegularizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Elastic weight consolidation (Kirkpatrick et al. 2017): after a task, the parameters {@code
 * theta*} and the diagonal Fisher {@code F} are consolidated, and later training adds the penalty
 * {@code (lambda/2) sum_i F_i (theta_i - theta*_i)^2}, whose gradient {@code lambda F_i (theta_i -
 * theta*_i)} this class adds through lora's {@link GradientRegularizer} hook:
 *
 * <pre>{@code
 * Ewc ewc = Ewc.builder(trainer.parameterCount()).lambda(100f).build();
 * ... train task A ...
 * FisherEstimator fisher = new FisherEstimator(trainer.parameterCount());
 * for (sample of A) { trainer.gradient(x, 0, y, 0, 1, g); fisher.add(g); }
 * trainer.copyParameters(theta);
 * ewc.consolidate(theta, fisher.fisher());
 * DenseTrainer next = DenseTrainer.builder(...).regularizer(ewc)...   // or LoraTrainer's builder
 * }</pre>
 *
 * <p>Three modes, for several tasks in sequence:
 *
 * <ul>
 *   <li>{@link Mode#MULTI_TASK}: one anchor per consolidated task, penalties summed (the original
 *       paper); memory grows with the tasks.
 *   <li>{@link Mode#ONLINE}: online EWC (Schwarz et al. 2018): one anchor, the latest
 *       parameters, with {@code F = gamma F_old + F_new}.
 *   <li>{@link Mode#EWC_PLUS_PLUS}: EWC++ (Chaudhry et al. 2018): one anchor, {@code F = alpha
 *       F_new + (1 - alpha) F_old}, a moving average that may also be updated during training
 *       with {@link #updateFisherMovingAverage}.
 * </ul>
 *
 * <p>Parameters are a flat vector, or a trainer's blocks concatenated in order ({@code [A, Bt]}
 * for a {@code LoraTrainer} on a MicroLora, {@code [W0, b0, W1, b1, ...]} for a {@code
 * DenseTrainer}). Before the first consolidation the penalty is zero.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: consolidate between training phases, from the
 * training thread.
 */
public final class Ewc implements GradientRegularizer {
  /** How several consolidated tasks combine. */
  public enum Mode {
    /** One anchor and Fisher per task, penalties summed. */
    MULTI_TASK,
    /** Online EWC: one anchor, Fisher decayed by gamma and summed. */
    ONLINE,
    /** EWC++: one anchor, Fisher as a moving average with weight alpha. */
    EWC_PLUS_PLUS
  }

  private final int parameterCount;
  private final float lambda;
  private final Mode mode;
  private final float decay;
  private final List<float[]> anchors = new ArrayList<>();
  private final List<float[]> fishers = new ArrayList<>();

  private Ewc(Builder b) {
    this.parameterCount = b.parameterCount;
    this.lambda = b.lambda;
    this.mode = b.mode;
    this.decay = b.decay;
  }

  /**
   * A builder for {@code parameterCount} parameters.
   *
   * @param parameterCount the parameter count, {@code >= 1}
   * @return the builder (lambda 1, {@link Mode#MULTI_TASK})
   * @throws IllegalArgumentException if {@code parameterCount < 1}
   */
  public static Builder builder(int parameterCount) {
    if (parameterCount < 1) {
      throw new IllegalArgumentException("parameterCount must be >= 1, was " + parameterCount);
    }
    return new Builder(parameterCount);
  }

  /**
   * The parameter count.
   *
   * @return the count given to the builder
   */
  public int parameterCount() {
    return parameterCount;
  }

  /**
   * Anchors held: consolidated tasks in {@link Mode#MULTI_TASK}, at most 1 otherwise.
   *
   * @return the count
   */
  public int anchors() {
    return anchors.size();
  }

  /**
   * Consolidates a finished task: its final parameters and its diagonal Fisher.
   *
   * @param parameters {@code theta*}, {@code parameterCount} finite floats (copied)
   * @param fisher {@code F}, {@code parameterCount} finite floats {@code >= 0} (copied)
   * @throws IllegalArgumentException if a length differs or a value is out of range (nothing
   *     changes)
   */
  public void consolidate(float[] parameters, float[] fisher) {
    check("parameters", parameters, false);
    check("fisher", fisher, true);
    if (mode == Mode.MULTI_TASK || anchors.isEmpty()) {
      anchors.add(parameters.clone());
      fishers.add(fisher.clone());
      return;
    }
    anchors.set(0, parameters.clone());
    float[] f = fishers.get(0);
    for (int i = 0; i < f.length; i++) {
      f[i] = mode == Mode.ONLINE ? decay * f[i] + fisher[i]
          : decay * fisher[i] + (1 - decay) * f[i];
    }
  }

  /**
   * EWC++'s running update during training: {@code F = alpha g^2 + (1 - alpha) F} for one
   * per-sample (or mini-batch) gradient {@code g}. Only in {@link Mode#EWC_PLUS_PLUS} with an
   * anchor.
   *
   * @param gradient the gradient, {@code parameterCount} finite floats
   * @throws IllegalStateException if the mode is not EWC++ or nothing is consolidated yet
   * @throws IllegalArgumentException if the gradient is bad
   */
  public void updateFisherMovingAverage(float[] gradient) {
    if (mode != Mode.EWC_PLUS_PLUS || anchors.isEmpty()) {
      throw new IllegalStateException("moving-average updates need EWC++ and an anchor; mode "
          + mode + ", anchors " + anchors.size());
    }
    check("gradient", gradient, false);
    float[] f = fishers.get(0);
    for (int i = 0; i < f.length; i++) {
      f[i] = decay * gradient[i] * gradient[i] + (1 - decay) * f[i];
    }
  }

  /**
   * The penalty {@code sum_tasks (lambda/2) sum_i F_i (theta_i - theta*_i)^2} at {@code
   * parameters}.
   *
   * @param parameters the current parameters as blocks, concatenated in order
   * @return the penalty, in the loss's units; 0 before any consolidation
   * @throws IllegalArgumentException if the total length differs from {@code parameterCount}
   */
  public double penalty(float[][] parameters) {
    checkBlocks(parameters);
    double s = 0;
    for (int t = 0; t < anchors.size(); t++) {
      float[] a = anchors.get(t);
      float[] f = fishers.get(t);
      int k = 0;
      for (float[] block : parameters) {
        for (float v : block) {
          double d = v - a[k];
          s += f[k] * d * d;
          k++;
        }
      }
    }
    return 0.5 * lambda * s;
  }

  /**
   * Adds {@code lambda sum_tasks F_i (theta_i - theta*_i)} to the gradient: the hook the trainers
   * call before each optimizer step.
   *
   * @param parameters the trainer's parameter blocks
   * @param gradients the gradient blocks, same shapes
   * @throws IllegalArgumentException if the total length differs from {@code parameterCount}
   */
  @Override
  public void addGradient(float[][] parameters, float[][] gradients) {
    checkBlocks(parameters);
    checkBlocks(gradients);
    for (int t = 0; t < anchors.size(); t++) {
      float[] a = anchors.get(t);
      float[] f = fishers.get(t);
      int k = 0;
      for (int b = 0; b < parameters.length; b++) {
        float[] p = parameters[b];
        float[] g = gradients[b];
        for (int i = 0; i < p.length; i++, k++) {
          g[i] += lambda * f[k] * (p[i] - a[k]);
        }
      }
    }
  }

  private void checkBlocks(float[][] blocks) {
    long total = 0;
    for (float[] b : blocks) {
      total += b.length;
    }
    if (total != parameterCount) {
      throw new IllegalArgumentException(
          "blocks must hold " + parameterCount + " parameters in total, held " + total);
    }
  }

  private void check(String name, float[] v, boolean nonNegative) {
    if (v.length != parameterCount) {
      throw new IllegalArgumentException(
          name + " must have length " + parameterCount + ", had " + v.length);
    }
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i]) || (nonNegative && v[i] < 0)) {
        throw new IllegalArgumentException(name + "[" + i + "] must be finite"
            + (nonNegative ? " and >= 0" : "") + ", was " + v[i]);
      }
    }
  }

  @Override
  public String toString() {
    return "Ewc[" + mode + ", lambda " + lambda + ", " + anchors.size() + " anchors, "
        + parameterCount + " parameters]";
  }

  /** Configures an {@link Ewc}. Not thread-safe. */
  public static final class Builder {
    private final int parameterCount;
    private float lambda = 1f;
    private Mode mode = Mode.MULTI_TASK;
    private float decay = 1f;

    private Builder(int parameterCount) {
      this.parameterCount = parameterCount;
    }

    /**
     * The penalty strength {@code lambda} (default 1).
     *
     * @param lambda finite and {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder lambda(float lambda) {
      if (!(Float.isFinite(lambda) && lambda >= 0f)) {
        throw new IllegalArgumentException("lambda must be finite and >= 0, was " + lambda);
      }
      this.lambda = lambda;
      return this;
    }

    /**
     * One anchor per task, penalties summed (the default).
     *
     * @return this builder
     */
    public Builder multiTask() {
      this.mode = Mode.MULTI_TASK;
      return this;
    }

    /**
     * Online EWC: {@code F = gamma F_old + F_new}, one anchor.
     *
     * @param gamma the decay of the old Fisher, in {@code [0, 1]}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder online(float gamma) {
      if (!(gamma >= 0f && gamma <= 1f)) {
        throw new IllegalArgumentException("gamma must be in [0, 1], was " + gamma);
      }
      this.mode = Mode.ONLINE;
      this.decay = gamma;
      return this;
    }

    /**
     * EWC++: {@code F = alpha F_new + (1 - alpha) F_old}, one anchor.
     *
     * @param alpha the weight of the new Fisher, in {@code (0, 1]}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder ewcPlusPlus(float alpha) {
      if (!(alpha > 0f && alpha <= 1f)) {
        throw new IllegalArgumentException("alpha must be in (0, 1], was " + alpha);
      }
      this.mode = Mode.EWC_PLUS_PLUS;
      this.decay = alpha;
      return this;
    }

    /**
     * A regularizer with no anchor yet (zero penalty).
     *
     * @return the regularizer
     */
    public Ewc build() {
      return new Ewc(this);
    }
  }
}
