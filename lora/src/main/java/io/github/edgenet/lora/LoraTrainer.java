package io.github.edgenet.lora;

import io.github.edgenet.core.vector.VectorKernels;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Trains both factors of a {@link MicroLora} by backpropagation: exact gradients for {@code A} and
 * {@code B}, accumulated over samples, applied by an {@link Optimizer} (through the shared {@link OptimizerState}) with
 * optional global gradient-norm clipping and an optional {@link GradientRegularizer} such as EWC.
 *
 * <pre>{@code
 * LoraTrainer trainer = LoraTrainer.builder(adapter)
 *     .optimizer(Optimizer.adam(1e-3f))
 *     .maxGradientNorm(1f)
 *     .build();
 * for (Sample s : batch) {
 *   // the host ran the forward pass: y = W0 x + adapter(x), and has dL/dy for its loss L
 *   trainer.accumulate(s.x(), s.dLdy());
 * }
 * float gradientNorm = trainer.step(); // mean gradient of the batch, clipped, applied
 * }</pre>
 *
 * <p><b>Gradients.</b> The adapter computes {@code y += s B h} with {@code h = A x} and {@code s}
 * its {@link MicroLora#scale() scale}. For one sample with upstream gradient {@code dy = dL/dy}:
 *
 * <pre>{@code
 * dL/dB[o][k] = s * dy[o] * h[k]          (stored transposed: dBt[k] += s h[k] dy)
 * u[k]        = s * (B^T dy)[k]           (= s * Bt[k] . dy)
 * dL/dA[k][i] = u[k] * x[i]               (dA[k] += u[k] x)
 * dL/dx       = A^T u                     (only the adapter's part; the frozen W0^T dy is the host's)
 * }</pre>
 *
 * <p>{@link #accumulate} adds these to buffers allocated once, in the trainer; {@link #step()}
 * averages them over the samples accumulated since the last step (the gradient of the <em>mean</em>
 * loss of the batch, so the learning rate does not depend on the batch size), clips the average
 * to {@link Builder#maxGradientNorm(float) the maximum norm} if one is set, applies the optimizer
 * to {@code A} and {@code B} and clears the gradients.
 *
 * <p><b>Learning signals.</b> {@link #reinforce(float[], float[], float)} is the same gradient path
 * for a scalar reward: it accumulates the gradient of {@code L = -reward * <direction, y>}, so a
 * step moves the adapter's output for {@code x} along {@code direction} when the reward is
 * positive and against it when negative, in proportion to the reward.
 *
 * <p><b>Cost.</b> {@code accumulate} and {@code step} allocate nothing; each is a few passes over
 * the weights with core's {@link VectorKernels} and loops the JIT vectorizes. A single pending
 * sample is kept in factored form (its gradients are the outer products {@code u x^T} and
 * {@code h dy^T}), so the online-learning pattern "one sample, then step" never writes a gradient
 * matrix; from the second sample on, gradients are summed in dense buffers.
 *
 * <p><b>Thread-safety.</b> A trainer is not thread-safe: use it from one thread at a time (one
 * trainer per adapter). It honours the adapter's model: {@link #step()} writes the weights under
 * the adapter's write lock, one element at a time, so other threads may keep running the adapter's
 * lock-free forward methods while it trains and always read finite weights, each from just before
 * or just after the step. {@code accumulate} reads the weights without locking; it relies on this
 * trainer being the adapter's only writer while it runs (a concurrent
 * {@link MicroLora#copyWeightsFrom} would give that sample a gradient from mixed versions).
 *
 * <p><b>Failures.</b> Wrong lengths throw {@link IllegalArgumentException}, slices that do not fit
 * throw {@link IndexOutOfBoundsException}, before anything is written. A non-finite gradient (from a
 * non-finite input or upstream gradient) is detected by {@link #step()}, which then discards the
 * gradients and leaves the weights and the optimizer state untouched.
 */
public final class LoraTrainer {
  private final MicroLora adapter;
  private final int in;
  private final int out;
  private final int rank;
  private final float scale;
  private final float maxNorm;
  private final OptimizerState state;
  private final GradientRegularizer regularizer;
  private final float[][] paramBlocks;
  private final float[][] gradBlocks;

  // The accumulated gradient, in one of two forms. While one sample is pending it is kept
  // factored: dL/dA = uOne (x) xOne and dL/dBt = hOne (x) dyOne (rank-1 rows), which makes the
  // common "one sample, then step" case cost a few passes over the inputs instead of writing and
  // reading two gradient matrices. From the second sample on, it is materialized in gradA/gradBt
  // (sums over the samples). The buffers' contents are meaningless while pending == 0.
  private final float[] gradA;
  private final float[] gradBt;
  private final float[] xOne;
  private final float[] dyOne;
  private final float[] hOne;
  private final float[] uOne;
  private float xSquared;
  private float dySquared;
  private boolean factored;
  // Where the factored sample's x and dy live: the copies xOne/dyOne, or, during update(), the
  // caller's own arrays (the step runs before update returns, so nothing needs copying).
  private float[] fx;
  private int fxo;
  private float[] fdy;
  private int fdyo;
  // Per-sample scratch: h = c A x and u = c Bt dy (c = scale times the dy factor).
  private final float[] h;
  private final float[] u;
  private long pending;
  private long plainSteps;

  private LoraTrainer(
      MicroLora adapter, Optimizer optimizer, float maxNorm, GradientRegularizer regularizer) {
    this.adapter = adapter;
    this.in = adapter.inputDim();
    this.out = adapter.outputDim();
    this.rank = adapter.rank();
    this.scale = adapter.scale();
    this.maxNorm = maxNorm;
    this.regularizer = regularizer;
    this.gradA = new float[rank * in];
    this.gradBt = new float[rank * out];
    this.xOne = new float[in];
    this.dyOne = new float[out];
    this.fx = xOne;
    this.fdy = dyOne;
    this.hOne = new float[rank];
    this.uOne = new float[rank];
    this.h = new float[rank];
    this.u = new float[rank];
    this.state = OptimizerState.create(optimizer, rank * in, rank * out);
    this.paramBlocks = new float[][] {adapter.a(), adapter.bt()};
    this.gradBlocks = new float[][] {gradA, gradBt};
  }

  /**
   * A builder for a trainer of {@code adapter}.
   *
   * @param adapter the f32 adapter whose weights the trainer's steps change in place
   * @return a builder; an optimizer is still required
   * @throws NullPointerException if {@code adapter} is null
   */
  public static Builder builder(MicroLora adapter) {
    return new Builder(Objects.requireNonNull(adapter, "adapter"));
  }

  /**
   * The adapter this trainer updates.
   *
   * @return the adapter passed to {@link #builder}, the live object the steps write to
   */
  public MicroLora adapter() {
    return adapter;
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
   * Changes the learning rate from the next step on (for schedules); the optimizer's state is kept.
   *
   * @param learningRate the new rate, finite and {@code > 0}
   * @throws IllegalArgumentException if {@code learningRate} is not finite and positive
   */
  public void setLearningRate(float learningRate) {
    state.setLearningRate(learningRate);
  }

  /**
   * The gradient-norm limit, or {@link Float#POSITIVE_INFINITY} when clipping is off.
   *
   * @return the limit on the mean gradient's Euclidean norm over both factors, or {@link
   *     Float#POSITIVE_INFINITY}
   */
  public float maxGradientNorm() {
    return maxNorm;
  }

  /**
   * Samples accumulated since the last step or {@link #zeroGradients()}.
   *
   * @return how many samples the pending mean gradient averages, {@code >= 0}
   */
  public long pendingSamples() {
    return pending;
  }

  /**
   * Optimizer steps applied so far (Adam's {@code t}); skipped non-finite steps do not count.
   *
   * @return the number of steps taken, {@code >= 0}
   */
  public long steps() {
    return state.steps() + plainSteps;
  }

  /**
   * Adds one sample's gradients: {@code x} is the adapter's input ({@link MicroLora#inputDim()}
   * floats), {@code dy} the gradient of the loss with respect to the layer's output
   * ({@link MicroLora#outputDim()} floats).
   *
   * @param x the adapter's input for this sample, {@link MicroLora#inputDim()} floats; read, not
   *     kept
   * @param dy the gradient of the loss with respect to the adapter's output, {@link
   *     MicroLora#outputDim()} floats; read, not kept
   * @throws IllegalArgumentException if a length does not match the adapter
   */
  public void accumulate(float[] x, float[] dy) {
    checkLength("x", x, in);
    checkLength("dy", dy, out);
    accumulateOne(x, 0, dy, 0, 1f, null, 0);
  }

  /**
   * {@link #accumulate(float[], float[])} on slices: {@code x[xOffset..xOffset+inputDim)} and
   * {@code dy[dyOffset..dyOffset+outputDim)}.
   *
   * @param x the array holding the input; read, not kept
   * @param xOffset the index in {@code x} of the input's first float
   * @param dy the array holding the output gradient; read, not kept
   * @param dyOffset the index in {@code dy} of its first float
   * @throws IndexOutOfBoundsException if a slice does not fit its array (nothing is written)
   */
  public void accumulate(float[] x, int xOffset, float[] dy, int dyOffset) {
    Objects.checkFromIndexSize(xOffset, in, x.length);
    Objects.checkFromIndexSize(dyOffset, out, dy.length);
    accumulateOne(x, xOffset, dy, dyOffset, 1f, null, 0);
  }

  /**
   * Adds one sample's gradients and also <em>adds</em> the adapter's part of {@code dL/dx},
   * {@code A^T u}, to {@code dx[dxOffset..dxOffset+inputDim)}, so that a host layer can backprop
   * through the adapter into the layers below ({@code dx} typically already holds
   * {@code W0^T dy}). {@code dx} must not overlap {@code x} or {@code dy}.
   *
   * @param x the array holding the input; read, not kept
   * @param xOffset the index in {@code x} of the input's first float
   * @param dy the array holding the output gradient; read, not kept
   * @param dyOffset the index in {@code dy} of its first float
   * @param dx the array the input gradient is added to, {@link MicroLora#inputDim()} floats from
   *     {@code dxOffset}
   * @param dxOffset the index in {@code dx} of its first float
   * @throws IndexOutOfBoundsException if a slice does not fit its array (nothing is written)
   */
  public void accumulate(float[] x, int xOffset, float[] dy, int dyOffset, float[] dx, int dxOffset) {
    Objects.checkFromIndexSize(xOffset, in, x.length);
    Objects.checkFromIndexSize(dyOffset, out, dy.length);
    Objects.checkFromIndexSize(dxOffset, in, dx.length);
    accumulateOne(x, xOffset, dy, dyOffset, 1f, dx, dxOffset);
  }

  /**
   * Adds the gradients of {@code batch} samples stored one after another: {@code xs} is a
   * {@code batch x inputDim} row-major matrix from {@code xsOffset}, {@code dys} a
   * {@code batch x outputDim} one from {@code dysOffset}. Equivalent to {@code batch} single calls;
   * each sample counts once in the mean.
   *
   * @param xs the inputs, row after row; read, not kept
   * @param xsOffset the index in {@code xs} of the first row's first float
   * @param dys the output gradients, row after row; read, not kept
   * @param dysOffset the index in {@code dys} of the first row's first float
   * @param batch the number of samples, {@code >= 0} (0 adds nothing)
   * @throws IllegalArgumentException if {@code batch < 0}
   * @throws IndexOutOfBoundsException if a slice does not fit its array (nothing is written)
   */
  public void accumulateBatch(float[] xs, int xsOffset, float[] dys, int dysOffset, int batch) {
    checkBatch(xs, xsOffset, dys, dysOffset, batch);
    for (int b = 0; b < batch; b++) {
      accumulateOne(xs, xsOffset + b * in, dys, dysOffset + b * out, 1f, null, 0);
    }
  }

  /**
   * {@link #accumulateBatch(float[], int, float[], int, int)} that also adds each sample's
   * {@code dL/dx} to the rows of {@code dxs}, a {@code batch x inputDim} row-major matrix from
   * {@code dxsOffset} (see {@link #accumulate(float[], int, float[], int, float[], int)}).
   *
   * @param xs the inputs, row after row; read, not kept
   * @param xsOffset the index in {@code xs} of the first row's first float
   * @param dys the output gradients, row after row; read, not kept
   * @param dysOffset the index in {@code dys} of the first row's first float
   * @param dxs the rows the input gradients are added to; must not overlap {@code xs} or {@code
   *     dys}
   * @param dxsOffset the index in {@code dxs} of the first row's first float
   * @param batch the number of samples, {@code >= 0} (0 adds nothing)
   * @throws IllegalArgumentException if {@code batch < 0}
   * @throws IndexOutOfBoundsException if a slice does not fit its array (nothing is written)
   */
  public void accumulateBatch(
      float[] xs, int xsOffset, float[] dys, int dysOffset, float[] dxs, int dxsOffset, int batch) {
    checkBatch(xs, xsOffset, dys, dysOffset, batch);
    Objects.checkFromIndexSize(dxsOffset, Math.multiplyExact(batch, in), dxs.length);
    for (int b = 0; b < batch; b++) {
      accumulateOne(xs, xsOffset + b * in, dys, dysOffset + b * out, 1f, dxs, dxsOffset + b * in);
    }
  }

  /**
   * Adds a learning signal for input {@code x}: the gradient of {@code L = -reward * <direction,
   * y>}, that is {@link #accumulate(float[], float[]) accumulate} with {@code dy = -reward *
   * direction}. After a step, a positive reward moves the adapter's output for {@code x} along
   * {@code direction} (and for similar inputs), a negative one against it; the size of the move is
   * proportional to the reward (before clipping and Adam's normalization). It counts as one sample
   * in the mean and may be mixed with ordinary samples.
   *
   * @param x the adapter's input, {@link MicroLora#inputDim()} floats; read, not kept
   * @param direction where the output should move for a positive reward, {@link
   *     MicroLora#outputDim()} floats (any length: its norm scales the signal); read, not kept
   * @param reward the signal's sign and strength, finite: positive rewards, negative punishes, zero
   *     adds a sample that moves nothing
   * @throws IllegalArgumentException if a length does not match the adapter or {@code reward} is
   *     not finite
   */
  public void reinforce(float[] x, float[] direction, float reward) {
    checkLength("x", x, in);
    checkLength("direction", direction, out);
    reinforce(x, 0, direction, 0, reward);
  }

  /**
   * {@link #reinforce(float[], float[], float)} on slices.
   *
   * @param x the array holding the input; read, not kept
   * @param xOffset the index in {@code x} of the input's first float
   * @param direction the array holding the direction, {@link MicroLora#outputDim()} floats; read,
   *     not kept
   * @param directionOffset the index in {@code direction} of its first float
   * @param reward the signal, finite (see {@link #reinforce(float[], float[], float)})
   * @throws IllegalArgumentException if {@code reward} is not finite
   * @throws IndexOutOfBoundsException if a slice does not fit its array (nothing is written)
   */
  public void reinforce(float[] x, int xOffset, float[] direction, int directionOffset, float reward) {
    if (!Float.isFinite(reward)) {
      throw new IllegalArgumentException("reward must be finite, was " + reward);
    }
    Objects.checkFromIndexSize(xOffset, in, x.length);
    Objects.checkFromIndexSize(directionOffset, out, direction.length);
    accumulateOne(x, xOffset, direction, directionOffset, -reward, null, 0);
  }

  /**
   * One online step on one sample: the same as {@link #accumulate(float[], float[]) accumulate(x,
   * dy)} followed by {@link #step()}, but when nothing else is pending the sample is not buffered:
   * the step reads {@code x} and {@code dy} in place (two rank-{@code r} outer products). This is
   * the edge's common case, one learning signal per task outcome.
   *
   * @param x the adapter's input, {@link MicroLora#inputDim()} floats; read, not kept
   * @param dy the gradient of the loss with respect to the output, {@link MicroLora#outputDim()}
   *     floats; read, not kept
   * @return the gradient norm before clipping, as {@link #step()}
   * @throws IllegalArgumentException if a length does not match the adapter
   */
  public float update(float[] x, float[] dy) {
    checkLength("x", x, in);
    checkLength("dy", dy, out);
    return update(x, 0, dy, 0);
  }

  /**
   * {@link #update(float[], float[])} on slices.
   *
   * @param x the array holding the input; read, not kept
   * @param xOffset the index in {@code x} of the input's first float
   * @param dy the array holding the output gradient; read, not kept
   * @param dyOffset the index in {@code dy} of its first float
   * @return the gradient norm before clipping, as {@link #step()}
   * @throws IndexOutOfBoundsException if a slice does not fit its array (nothing is written)
   */
  public float update(float[] x, int xOffset, float[] dy, int dyOffset) {
    Objects.checkFromIndexSize(xOffset, in, x.length);
    Objects.checkFromIndexSize(dyOffset, out, dy.length);
    if (pending > 0) {
      accumulateOne(x, xOffset, dy, dyOffset, 1f, null, 0);
      return step();
    }
    factorOne(x, xOffset, dy, dyOffset, 1f, hOne, uOne);
    fx = x;
    fxo = xOffset;
    fdy = dy;
    fdyo = dyOffset;
    factored = true;
    pending = 1;
    try {
      return step();
    } finally {
      fx = xOne;
      fxo = 0;
      fdy = dyOne;
      fdyo = 0;
    }
  }

  /**
   * Applies the optimizer to both factors with the mean of the accumulated gradients, clipped to
   * the maximum norm if one is set, then clears the gradients and counts the step.
   *
   * <p>Clipping is global (PyTorch's {@code clip_grad_norm_} over both factors): if the mean
   * gradient's Euclidean norm {@code n} exceeds the limit {@code c}, the gradient is multiplied by
   * {@code c / n}, so its norm becomes exactly {@code c} (up to float rounding).
   *
   * <p>If the gradient is not finite, the weights and the optimizer state are left untouched, the
   * gradients are discarded, the step is not counted, and the (non-finite) norm is returned.
   *
   * @return the Euclidean norm of the mean gradient over {@code A} and {@code B}, before clipping
   * @throws IllegalStateException if no sample was accumulated since the last step
   */
  public float step() {
    if (pending == 0) {
      throw new IllegalStateException("no gradient accumulated since the last step or zeroGradients()");
    }
    double norm = Math.sqrt(gradientSumOfSquares()) / pending;
    float invCount = (float) (1.0 / pending);
    pending = 0;
    if (!Double.isFinite(norm)) {
      factored = false;
      return (float) norm;
    }
    float coef = invCount;
    if (norm > maxNorm) {
      coef = (float) (invCount * (maxNorm / norm));
    }
    if (regularizer != null) {
      // The penalty sees the mean, clipped gradient; the step then applies it unscaled.
      materialize();
      VectorKernels.scale(coef, gradA);
      VectorKernels.scale(coef, gradBt);
      coef = 1f;
      regularizer.addGradient(paramBlocks, gradBlocks);
      if (!Double.isFinite(sumOfSquares(gradA) + sumOfSquares(gradBt))) {
        factored = false;
        return (float) norm;
      }
    }
    ReentrantLock lock = adapter.writeLock();
    lock.lock();
    try {
      // The factored single-sample gradient under plain SGD is two rank-r outer products added to
      // the weights: the same rule as OptimizerState's, without materializing the gradient.
      if (factored && state.optimizer() instanceof Optimizer.Sgd sgd && sgd.momentum() == 0f) {
        plainSteps++;
        sgdStep(coef, sgd.learningRate());
      } else {
        materialize();
        state.step(paramBlocks, gradBlocks, coef);
      }
    } finally {
      lock.unlock();
    }
    factored = false;
    return (float) norm;
  }

  /** Discards the gradients accumulated since the last step; the optimizer state is kept. */
  public void zeroGradients() {
    pending = 0;
    factored = false;
  }

  /**
   * Copies the mean of the accumulated gradients (what {@link #step()} would apply before
   * clipping; zeros when nothing is pending) into {@code gradA} ({@code rank x inputDim}) and
   * {@code gradBt} ({@code dL/dB} transposed, {@code rank x outputDim}), both row-major: the
   * gradient a node shares with its peers.
   *
   * @param gradA receives the mean gradient of {@code A}, {@code rank * inputDim} floats,
   *     overwritten
   * @param gradBt receives the mean gradient of {@code Bt}, {@code rank * outputDim} floats,
   *     overwritten
   * @throws IllegalArgumentException if a length does not match the adapter
   */
  public void copyGradients(float[] gradA, float[] gradBt) {
    checkLength("gradA", gradA, this.gradA.length);
    checkLength("gradBt", gradBt, this.gradBt.length);
    if (pending == 0) {
      Arrays.fill(gradA, 0f);
      Arrays.fill(gradBt, 0f);
      return;
    }
    materialize();
    float invCount = (float) (1.0 / pending);
    scaledCopy(invCount, this.gradA, 0, gradA, 0, gradA.length);
    scaledCopy(invCount, this.gradBt, 0, gradBt, 0, gradBt.length);
  }

  /**
   * Replaces the accumulated gradients by a given mean gradient (for example one aggregated from
   * peers), in the layout of {@link #copyGradients}; the next {@link #step()} applies it (clipped
   * like any other, and rejected if not finite). It counts as one sample if more samples are
   * accumulated before that step.
   *
   * @param gradA the mean gradient of {@code A}, {@code rank * inputDim} floats; copied
   * @param gradBt the mean gradient of {@code Bt}, {@code rank * outputDim} floats; copied
   * @throws IllegalArgumentException if a length does not match the adapter
   */
  public void setGradients(float[] gradA, float[] gradBt) {
    checkLength("gradA", gradA, this.gradA.length);
    checkLength("gradBt", gradBt, this.gradBt.length);
    System.arraycopy(gradA, 0, this.gradA, 0, gradA.length);
    System.arraycopy(gradBt, 0, this.gradBt, 0, gradBt.length);
    pending = 1;
    factored = false;
  }

  @Override
  public String toString() {
    return "LoraTrainer[" + adapter + ", " + state.optimizer() + ", maxGradientNorm " + maxNorm
        + ", steps " + steps() + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // Hot path: ranges are checked by the callers, nothing allocates.

  private void accumulateOne(
      float[] x, int xo, float[] dy, int dyo, float dyFactor, float[] dx, int dxo) {
    // The first sample stays factored (hOne, uOne); later ones go through the scratch h, u.
    boolean first = pending == 0;
    float[] hk = first ? hOne : h;
    float[] uk = first ? uOne : u;
    factorOne(x, xo, dy, dyo, dyFactor, hk, uk);
    if (dx != null) {
      VectorKernels.gemvTransposedAdd(adapter.a(), 0, rank, in, uk, 0, dx, dxo);
    }
    if (first) {
      System.arraycopy(x, xo, xOne, 0, in);
      System.arraycopy(dy, dyo, dyOne, 0, out);
      factored = true;
    } else {
      materialize();
      VectorKernels.addOuterProduct(gradBt, 0, rank, out, hk, 0, dy, dyo);
      VectorKernels.addOuterProduct(gradA, 0, rank, in, uk, 0, x, xo);
    }
    pending++;
  }

  /**
   * hk = c A x and uk = c Bt dy, with c = scale * dyFactor, using the weights before any step;
   * |x|^2 and |dy|^2 into xSquared and dySquared (those of the factored sample while factored).
   */
  private void factorOne(
      float[] x, int xo, float[] dy, int dyo, float dyFactor, float[] hk, float[] uk) {
    float c = scale * dyFactor;
    xSquared = VectorKernels.gemvAndSquaredNorm(adapter.a(), 0, rank, in, x, xo, hk, 0);
    dySquared = VectorKernels.gemvAndSquaredNorm(adapter.bt(), 0, rank, out, dy, dyo, uk, 0);
    for (int k = 0; k < rank; k++) {
      hk[k] *= c;
      uk[k] *= c;
    }
  }

  /** Writes a factored single-sample gradient out into gradA and gradBt. */
  private void materialize() {
    if (!factored) {
      return;
    }
    for (int k = 0; k < rank; k++) {
      System.arraycopy(fdy, fdyo, gradBt, k * out, out);
      VectorKernels.scale(hOne[k], gradBt, k * out, out);
      System.arraycopy(fx, fxo, gradA, k * in, in);
      VectorKernels.scale(uOne[k], gradA, k * in, in);
    }
    factored = false;
  }

  /**
   * The squared Frobenius norm of the summed gradient; NaN or infinite if any part is not finite.
   * For a factored gradient it is {@code |u|^2 |x|^2 + |h|^2 |dy|^2}: two dot products.
   */
  private double gradientSumOfSquares() {
    if (factored) {
      double uu = 0;
      double hh = 0;
      for (int k = 0; k < rank; k++) {
        uu += (double) uOne[k] * uOne[k];
        hh += (double) hOne[k] * hOne[k];
      }
      // A NaN or infinity in x or dy also reaches h or u, and 0 * NaN = 0 * inf = NaN.
      return uu * xSquared + hh * dySquared;
    }
    double sumSq = (double) VectorKernels.dot(gradA, gradA) + VectorKernels.dot(gradBt, gradBt);
    if (!Double.isFinite(sumSq)) {
      sumSq = sumOfSquares(gradA) + sumOfSquares(gradBt); // float overflow or a NaN/Inf gradient
    }
    return sumSq;
  }

  /** w -= lr * coef * g for the factored single-sample gradient. */
  private void sgdStep(float coef, float lr) {
    float[] a = adapter.a();
    float[] bt = adapter.bt();
    float c = -lr * coef;
    for (int k = 0; k < rank; k++) {
      u[k] = c * uOne[k];
      h[k] = c * hOne[k];
    }
    VectorKernels.addOuterProduct(a, 0, rank, in, u, 0, fx, fxo);
    VectorKernels.addOuterProduct(bt, 0, rank, out, h, 0, fdy, fdyo);
  }

  // The loops below index every array with the same i from 0, which the JIT vectorizes.

  /** {@code dst[d..d+n) = alpha * src[s..s+n)}. */
  private static void scaledCopy(float alpha, float[] src, int s, float[] dst, int d, int n) {
    for (int i = 0; i < n; i++) {
      dst[d + i] = alpha * src[s + i];
    }
  }

  private static double sumOfSquares(float[] g) {
    double s = 0;
    for (float v : g) {
      s += (double) v * v;
    }
    return s;
  }

  private void checkBatch(float[] xs, int xsOffset, float[] dys, int dysOffset, int batch) {
    if (batch < 0) {
      throw new IllegalArgumentException("batch must be >= 0, was " + batch);
    }
    Objects.checkFromIndexSize(xsOffset, Math.multiplyExact(batch, in), xs.length);
    Objects.checkFromIndexSize(dysOffset, Math.multiplyExact(batch, out), dys.length);
  }

  private static void checkLength(String name, float[] v, int expected) {
    if (v.length != expected) {
      throw new IllegalArgumentException(name + " must have length " + expected + ", had " + v.length);
    }
  }

  /**
   * Configures a {@link LoraTrainer}. An optimizer is required; gradient clipping is off by
   * default. Not thread-safe; each {@link #build()} gives a trainer with fresh optimizer state.
   */
  public static final class Builder {
    private final MicroLora adapter;
    private Optimizer optimizer;
    private float maxNorm = Float.POSITIVE_INFINITY;
    private GradientRegularizer regularizer;

    private Builder(MicroLora adapter) {
      this.adapter = adapter;
    }

    /**
     * The optimizer (required), e.g. {@link Optimizer#adam(float)}.
     *
     * @param optimizer the update rule and its hyperparameters; one {@code Optimizer} may configure
     *     many trainers (each keeps its own state)
     * @return this builder
     */
    public Builder optimizer(Optimizer optimizer) {
      this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
      return this;
    }

    /**
     * Clips the mean gradient to this Euclidean norm over both factors before each step
     * ({@link Float#POSITIVE_INFINITY}, the default, turns clipping off).
     *
     * @param maxNorm the largest Euclidean norm of the mean gradient over {@code A} and {@code Bt},
     *     {@code > 0}, or {@link Float#POSITIVE_INFINITY} for no clipping
     * @return this builder
     * @throws IllegalArgumentException if {@code maxNorm} is not positive (or is NaN)
     */
    public Builder maxGradientNorm(float maxNorm) {
      if (!(maxNorm > 0f)) {
        throw new IllegalArgumentException("maxGradientNorm must be > 0, was " + maxNorm);
      }
      this.maxNorm = maxNorm;
      return this;
    }

    /**
     * Adds a penalty's gradient (for example EWC) before each step: the regularizer receives the
     * blocks {@code [A, Bt]} ({@code rank x inputDim} and {@code rank x outputDim}, row-major) and
     * the mean gradient after clipping, in the same layout, and adds its gradient to it. Off by
     * default; the penalty itself is not clipped.
     *
     * @param regularizer the penalty
     * @return this builder
     */
    public Builder regularizer(GradientRegularizer regularizer) {
      this.regularizer = Objects.requireNonNull(regularizer, "regularizer");
      return this;
    }

    /**
     * A new trainer with zero optimizer state and no pending gradient.
     *
     * @return a new trainer of the builder's adapter
     * @throws IllegalStateException if no optimizer was given
     */
    public LoraTrainer build() {
      if (optimizer == null) {
        throw new IllegalStateException("an optimizer is required: call optimizer(...)");
      }
      return new LoraTrainer(adapter, optimizer, maxNorm, regularizer);
    }
  }
}
