package io.github.edgenet.lora;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.vector.VectorKernels;
import java.lang.foreign.MemorySegment;
import java.nio.FloatBuffer;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A trainable low-rank adapter with 32-bit float weights: {@code y += scale * B A x}.
 *
 * <p>Built with {@link #builder(int, int)}: rank 1 to {@value #MAX_RANK}, {@code alpha} and the
 * {@link LoraScaling scaling rule}, and a seeded {@link RandomSource}. {@code A} starts
 * Kaiming-uniform, {@code U(-1/sqrt(inputDim), 1/sqrt(inputDim))} (PyTorch's {@code
 * kaiming_uniform_(a=sqrt(5))}, as in the reference LoRA code), and {@code B} starts at zero, so a
 * new adapter is an exact no-op until trained. Both factors train (see {@link LoraTrainer}).
 *
 * <p><b>Layout.</b> {@code A} is {@code rank x inputDim} row-major. {@code B} ({@code outputDim x
 * rank}) is stored transposed, as {@code Bt}, a {@code rank x outputDim} row-major matrix:
 * {@code Bt[k][o] = B[o][k]}. Both factors are then read along rows by the kernels, and
 * {@link #viewA()}/{@link #viewBTransposed()} expose them in that layout without copying.
 *
 * <p><b>Thread-safety.</b> The forward methods never lock and never allocate; any number of threads
 * may run them at once. The weights change only through a {@link LoraTrainer} step or
 * {@link #copyWeightsFrom}; those writers are serialized by the adapter's lock. A forward that
 * overlaps a step reads every weight either before or after it (float reads are atomic in Java), so
 * its output lies within one optimizer step of a consistent version - the lock-free "Hogwild"
 * regime (Recht et al., 2011). Callers that need one exact version use {@link #snapshot()}.
 */
public final class MicroLora implements LoraAdapter {
  /** Largest supported rank. */
  public static final int MAX_RANK = 16;

  private final int inputDim;
  private final int outputDim;
  private final int rank;
  private final float alpha;
  private final LoraScaling scaling;
  private final float scale;
  private final float[] a;
  private final float[] bt;
  private final ReentrantLock writeLock = new ReentrantLock();

  private MicroLora(
      int inputDim, int outputDim, int rank, float alpha, LoraScaling scaling, float[] a, float[] bt) {
    this.inputDim = inputDim;
    this.outputDim = outputDim;
    this.rank = rank;
    this.alpha = alpha;
    this.scaling = scaling;
    this.scale = scaling.scale(alpha, rank);
    this.a = a;
    this.bt = bt;
  }

  /**
   * A builder for an adapter on a layer with {@code inputDim} inputs and {@code outputDim} outputs.
   *
   * @param inputDim the length of the layer's input {@code x}, {@code >= 1}
   * @param outputDim the length of the layer's output {@code y}, {@code >= 1}
   * @return a builder for an adapter on a layer with {@code inputDim} inputs and {@code outputDim}
   *     outputs
   * @throws IllegalArgumentException if a dimension is less than 1
   */
  public static Builder builder(int inputDim, int outputDim) {
    checkDims(inputDim, outputDim);
    return new Builder(inputDim, outputDim);
  }

  /**
   * An adapter with the given weights (copied): {@code a} is {@code rank x inputDim} row-major,
   * {@code bt} is {@code B} transposed, {@code rank x outputDim} row-major.
   *
   * @param inputDim the length of {@code x}, {@code >= 1}
   * @param outputDim the length of {@code y}, {@code >= 1}
   * @param rank the rank, 1 to {@value #MAX_RANK}
   * @param alpha the {@code alpha} hyper-parameter, finite and {@code > 0}
   * @param scaling how {@code alpha} and the rank give the scale
   * @param a {@code A}, {@code rank * inputDim} finite floats; copied
   * @param bt {@code B} transposed, {@code rank * outputDim} finite floats; copied
   * @return an adapter with the given weights (copied)
   * @throws IllegalArgumentException if a dimension, the rank or an array length is wrong, or a
   *     weight or {@code alpha} is not finite
   */
  public static MicroLora ofWeights(
      int inputDim, int outputDim, int rank, float alpha, LoraScaling scaling, float[] a, float[] bt) {
    checkDims(inputDim, outputDim);
    checkRank(rank);
    checkAlpha(alpha);
    Objects.requireNonNull(scaling, "scaling");
    checkWeights("a", a, rank * inputDim);
    checkWeights("bt", bt, rank * outputDim);
    return new MicroLora(inputDim, outputDim, rank, alpha, scaling, a.clone(), bt.clone());
  }

  @Override
  public int inputDim() {
    return inputDim;
  }

  @Override
  public int outputDim() {
    return outputDim;
  }

  @Override
  public int rank() {
    return rank;
  }

  /**
   * The {@code alpha} hyper-parameter the scale was derived from.
   *
   * @return the {@code alpha} hyper-parameter the scale was derived from
   */
  public float alpha() {
    return alpha;
  }

  /**
   * The rule that turned {@link #alpha()} into {@link #scale()}.
   *
   * @return the rule that turned {@link #alpha()} into {@link #scale()}
   */
  public LoraScaling scaling() {
    return scaling;
  }

  @Override
  public float scale() {
    return scale;
  }

  @Override
  public WeightFormat format() {
    return WeightFormat.F32;
  }

  @Override
  public long weightBytes() {
    return 4L * (a.length + bt.length);
  }

  @Override
  public void forward(float[] x, int xOffset, float[] y, int yOffset) {
    VectorKernels.lowRankAdd(a, 0, bt, 0, rank, inputDim, outputDim, scale, x, xOffset, y, yOffset);
  }

  @Override
  public void forwardBatch(float[] xs, int xsOffset, float[] ys, int ysOffset, int batch) {
    VectorKernels.lowRankAddBatch(
        a, 0, bt, 0, rank, inputDim, outputDim, scale, xs, xsOffset, ys, ysOffset, batch);
  }

  @Override
  public void forwardRows(
      float[] xs, int xsOffset, float[] ys, int ysOffset, int[] rows, int rowsOffset, int count) {
    VectorKernels.lowRankAddRows(
        a, 0, bt, 0, rank, inputDim, outputDim, scale, xs, xsOffset, ys, ysOffset, rows, rowsOffset,
        count);
  }

  @Override
  public float[] deltaWeight() {
    float[] delta = new float[outputDim * inputDim];
    writeLock.lock();
    try {
      for (int k = 0; k < rank; k++) {
        for (int o = 0; o < outputDim; o++) {
          float c = scale * bt[k * outputDim + o];
          if (c != 0f) {
            VectorKernels.axpy(c, a, k * inputDim, delta, o * inputDim, inputDim);
          }
        }
      }
    } finally {
      writeLock.unlock();
    }
    return delta;
  }

  /**
   * A read-only, zero-copy view of {@code A} ({@code rank x inputDim}, row-major).
   *
   * @return a read-only, zero-copy view of {@code A} ({@code rank x inputDim}, row-major)
   */
  public FloatBuffer viewA() {
    return FloatBuffer.wrap(a).asReadOnlyBuffer();
  }

  /**
   * A read-only, zero-copy view of {@code Bt} ({@code B} transposed: {@code rank x outputDim}).
   *
   * @return a read-only, zero-copy view of {@code Bt}
   */
  public FloatBuffer viewBTransposed() {
    return FloatBuffer.wrap(bt).asReadOnlyBuffer();
  }

  /**
   * A read-only, zero-copy {@link MemorySegment} over {@code A} (heap memory, native byte order
   * floats), for hosts that hand weights to a native runtime.
   *
   * @return a read-only, zero-copy {@link MemorySegment} over {@code A} (heap memory, native byte
   *     order floats), for hosts that hand weights to a native runtime
   */
  public MemorySegment segmentA() {
    return MemorySegment.ofArray(a).asReadOnly();
  }

  /**
   * A read-only, zero-copy {@link MemorySegment} over {@code Bt}.
   *
   * @return a read-only, zero-copy {@link MemorySegment} over {@code Bt}
   */
  public MemorySegment segmentBTransposed() {
    return MemorySegment.ofArray(bt).asReadOnly();
  }

  /**
   * An independent copy with the same configuration and one consistent version of the weights.
   *
   * @return an independent copy with the same configuration and one consistent version of the
   *     weights
   */
  public MicroLora snapshot() {
    writeLock.lock();
    try {
      return new MicroLora(inputDim, outputDim, rank, alpha, scaling, a.clone(), bt.clone());
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Replaces this adapter's weights with {@code other}'s (same dimensions and rank), as one step
   * under this adapter's lock: how a trained copy is published to a live adapter.
   *
   * @param other an adapter of the same input and output dimensions and rank; its weights are read
   *     under its own lock, so a trainer may be stepping it
   * @throws IllegalArgumentException if the shapes differ
   */
  public void copyWeightsFrom(MicroLora other) {
    if (other.inputDim != inputDim || other.outputDim != outputDim || other.rank != rank) {
      throw new IllegalArgumentException(
          "shape mismatch: this is " + shape() + ", other is " + other.shape());
    }
    MicroLora source = other.snapshot();
    writeLock.lock();
    try {
      System.arraycopy(source.a, 0, a, 0, a.length);
      System.arraycopy(source.bt, 0, bt, 0, bt.length);
    } finally {
      writeLock.unlock();
    }
  }

  /** The live {@code A} array, for this package's trainer. */
  float[] a() {
    return a;
  }

  /** The live {@code Bt} array, for this package's trainer. */
  float[] bt() {
    return bt;
  }

  /** The lock that serializes weight writers. */
  ReentrantLock writeLock() {
    return writeLock;
  }

  private String shape() {
    return inputDim + "->" + outputDim + " rank " + rank;
  }

  @Override
  public String toString() {
    return "MicroLora[" + shape() + ", scale " + scale + "]";
  }

  static void checkDims(int inputDim, int outputDim) {
    if (inputDim < 1 || outputDim < 1) {
      throw new IllegalArgumentException(
          "inputDim and outputDim must be >= 1, were " + inputDim + " and " + outputDim);
    }
  }

  static void checkRank(int rank) {
    if (rank < 1 || rank > MAX_RANK) {
      throw new IllegalArgumentException("rank must be in 1.." + MAX_RANK + ", was " + rank);
    }
  }

  private static void checkAlpha(float alpha) {
    if (!Float.isFinite(alpha) || alpha <= 0f) {
      throw new IllegalArgumentException("alpha must be finite and > 0, was " + alpha);
    }
  }

  private static void checkWeights(String name, float[] w, int expectedLength) {
    if (w.length != expectedLength) {
      throw new IllegalArgumentException(
          name + " must have " + expectedLength + " weights, had " + w.length);
    }
    for (int i = 0; i < w.length; i++) {
      if (!Float.isFinite(w[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] is not finite: " + w[i]);
      }
    }
  }

  /**
   * Configures a new {@link MicroLora}. Defaults: rank 2, {@code alpha} equal to the rank (so the
   * scale is 1 under either rule), {@link LoraScaling#STANDARD}. A random source is required: the
   * library never draws from global randomness.
   *
   * <p>Not thread-safe; a builder may be reused to build several adapters (each draws its own
   * initial {@code A} from the random source).
   */
  public static final class Builder {
    private final int inputDim;
    private final int outputDim;
    private int rank = 2;
    private float alpha = Float.NaN;
    private LoraScaling scaling = LoraScaling.STANDARD;
    private RandomSource random;

    private Builder(int inputDim, int outputDim) {
      this.inputDim = inputDim;
      this.outputDim = outputDim;
    }

    /**
     * The rank of the update, 1 to {@value MicroLora#MAX_RANK}.
     *
     * @param rank the rank, 1 to {@value MicroLora#MAX_RANK} (default 2)
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder rank(int rank) {
      checkRank(rank);
      this.rank = rank;
      return this;
    }

    /**
     * The {@code alpha} hyper-parameter (default: the rank).
     *
     * @param alpha {@code alpha}, finite and {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if not finite and positive
     */
    public Builder alpha(float alpha) {
      checkAlpha(alpha);
      this.alpha = alpha;
      return this;
    }

    /**
     * How alpha becomes the scale (default {@link LoraScaling#STANDARD}).
     *
     * @param scaling the scaling rule
     * @return this builder
     */
    public Builder scaling(LoraScaling scaling) {
      this.scaling = Objects.requireNonNull(scaling, "scaling");
      return this;
    }

    /**
     * The source of the initial {@code A} (required).
     *
     * @param random the seeded stream {@code A}'s initial values are drawn from (it advances by
     *     {@code rank * inputDim} draws at {@link #build()})
     * @return this builder
     */
    public Builder random(RandomSource random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Shorthand for {@code random(RandomSource.seeded(seed))}.
     *
     * @param seed the seed of a new {@link RandomSource} for {@code A}'s initial values
     * @return this builder
     */
    public Builder seed(long seed) {
      return random(RandomSource.seeded(seed));
    }

    /**
     * A new adapter: {@code A} Kaiming-uniform from the random source, {@code B = 0}.
     *
     * @return a new adapter
     * @throws IllegalStateException if no random source was given
     */
    public MicroLora build() {
      if (random == null) {
        throw new IllegalStateException("a random source is required: call random(...) or seed(...)");
      }
      float effectiveAlpha = Float.isNaN(alpha) ? rank : alpha;
      float[] a = new float[rank * inputDim];
      double bound = 1.0 / Math.sqrt(inputDim);
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) ((2 * random.nextDouble() - 1) * bound);
      }
      return new MicroLora(
          inputDim, outputDim, rank, effectiveAlpha, scaling, a, new float[rank * outputDim]);
    }
  }
}
