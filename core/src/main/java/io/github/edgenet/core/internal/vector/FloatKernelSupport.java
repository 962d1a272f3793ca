package io.github.edgenet.core.internal.vector;

/**
 * The float kernels behind {@link io.github.edgenet.core.vector.VectorKernels}, implemented twice: by
 * {@link ScalarKernels} (plain Java, always available) and by {@code PanamaKernels} (the incubating
 * Vector API, used when {@code jdk.incubator.vector} is in the boot layer).
 *
 * <p>Arguments are not checked here: the facade checks every range once, before delegating, so
 * that implementations stay small and the JIT can drop the array bounds checks. Matrices are dense,
 * row-major, {@code rows x cols} starting at an offset. No method allocates. The block-quantized
 * kernels are the other family, {@link BlockKernelSupport}, chosen separately by
 * {@link KernelProvider}.
 */
public interface FloatKernelSupport {

  /** A short name for logs and benchmarks, e.g. {@code "Panama(512-bit, FMA)"} or {@code "scalar"}. */
  String name();

  /** Whether these kernels use SIMD (the Vector API) rather than plain Java loops. */
  boolean vectorized();

  /** {@code sum(a[ao+i] * b[bo+i])} for {@code i < n}. */
  float dot(float[] a, int ao, float[] b, int bo, int n);

  /** {@code y[yo+i] += alpha * x[xo+i]}. */
  void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n);

  /** {@code x[xo+i] *= alpha}. */
  void scale(float alpha, float[] x, int xo, int n);

  /** {@code out[oo+i] = a[ao+i] + b[bo+i]}; {@code out} may be {@code a} or {@code b}. */
  void add(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n);

  /** {@code sum(x[xo+i])}. */
  float sum(float[] x, int xo, int n);

  /** {@code sum((a[ao+i] - b[bo+i])^2)}. */
  float squaredDistance(float[] a, int ao, float[] b, int bo, int n);

  /** {@code dot(a,b) / (|a| |b|)}, or 0 when either vector is all zeros. */
  float cosine(float[] a, int ao, float[] b, int bo, int n);

  /** {@code y[yo+r] = sum_c m[mo + r*cols + c] * x[xo+c]} for {@code r < rows}. */
  void gemv(float[] m, int mo, int rows, int cols, float[] x, int xo, float[] y, int yo);

  /**
   * {@link #gemv} that also returns {@code sum_c x[xo+c]^2}, read in the same pass over {@code x}
   * where the implementation can (a training step needs both).
   */
  float gemvAndSquaredNorm(float[] m, int mo, int rows, int cols, float[] x, int xo, float[] y, int yo);

  /**
   * {@code gemv} for {@code batch} vectors stored one after another: vector {@code b} is
   * {@code xs[xo + b*cols ..]}, its result {@code ys[yo + b*rows ..]}.
   */
  void gemvBatch(
      float[] m, int mo, int rows, int cols, float[] xs, int xo, int batch, float[] ys, int yo);

  /** {@code y[yo+c] += sum_r m[mo + r*cols + c] * x[xo+r]} for {@code c < cols}: y += M<sup>T</sup>x. */
  void gemvTransposedAdd(float[] m, int mo, int rows, int cols, float[] x, int xo, float[] y, int yo);

  /**
   * Adds an outer product: {@code M += u x^T}, that is {@code m[mo + r*cols + c] += u[uo+r] *
   * x[xo+c]}: the gradient of a linear layer for one sample, and the rank-1 update of an SGD step.
   */
  void addOuterProduct(float[] m, int mo, int rows, int cols, float[] u, int uo, float[] x, int xo);

  /**
   * Adds a low-rank product: {@code y += scale * Bt^T (A x)}, where {@code A} is {@code rank x in}
   * at {@code a[ao..]} and {@code Bt} (B transposed) is {@code rank x out} at {@code bt[bo..]}, both
   * row-major. Needs no scratch: the {@code rank} intermediate values live in registers.
   */
  void lowRankAdd(
      float[] a, int ao, float[] bt, int bo, int rank, int in, int out, float scale,
      float[] x, int xo, float[] y, int yo);

  /**
   * {@link #lowRankAdd} for {@code batch} vectors stored one after another ({@code xs} is
   * {@code batch x in}, {@code ys} is {@code batch x out}, both row-major).
   */
  void lowRankAddBatch(
      float[] a, int ao, float[] bt, int bo, int rank, int in, int out, float scale,
      float[] xs, int xo, float[] ys, int yo, int batch);

  /**
   * {@link #lowRankAdd} for the rows of a batch listed in {@code rows[ro .. ro+count)}: row
   * {@code r} reads {@code xs[xo + r*in ..]} and adds into {@code ys[yo + r*out ..]}. Rows must be
   * distinct. This lets a mixed batch run each adapter over its own rows without copying them.
   */
  void lowRankAddRows(
      float[] a, int ao, float[] bt, int bo, int rank, int in, int out, float scale,
      float[] xs, int xo, float[] ys, int yo, int[] rows, int ro, int count);
}
