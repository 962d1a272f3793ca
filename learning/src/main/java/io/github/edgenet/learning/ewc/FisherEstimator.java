package io.github.edgenet.learning.ewc;

/**
 * Accumulates the diagonal of the empirical Fisher information, {@code F_i = (1/N) sum_n
 * (d log p(y_n | x_n) / d theta_i)^2}, from per-sample gradients of the loss (the sign does not
 * matter). The gradient may come as one flat vector or as a trainer's parameter blocks (the
 * layout {@link io.github.edgenet.lora.GradientRegularizer} documents), concatenated in order.
 *
 * <p>Not thread-safe. Sums are kept in double.
 */
public final class FisherEstimator {
  private final double[] sumSquares;
  private long samples;

  /**
   * An empty estimator for {@code parameterCount} parameters.
   *
   * @param parameterCount the parameter count, {@code >= 1}
   * @throws IllegalArgumentException if {@code parameterCount < 1}
   */
  public FisherEstimator(int parameterCount) {
    if (parameterCount < 1) {
      throw new IllegalArgumentException("parameterCount must be >= 1, was " + parameterCount);
    }
    sumSquares = new double[parameterCount];
  }

  /**
   * Adds one sample's gradient.
   *
   * @param gradient the per-sample gradient, {@code parameterCount} floats, finite
   * @throws IllegalArgumentException if the length differs or an element is not finite (nothing
   *     is added)
   */
  public void add(float[] gradient) {
    add(new float[][] {gradient});
  }

  /**
   * Adds one sample's gradient given as blocks, concatenated in order.
   *
   * @param gradientBlocks the blocks, total length {@code parameterCount}, finite
   * @throws IllegalArgumentException if the total length differs or an element is not finite
   *     (nothing is added)
   */
  public void add(float[][] gradientBlocks) {
    int total = 0;
    for (float[] b : gradientBlocks) {
      for (float v : b) {
        if (!Float.isFinite(v)) {
          throw new IllegalArgumentException("gradient element " + total + " is not finite: " + v);
        }
        total++;
      }
    }
    if (total != sumSquares.length) {
      throw new IllegalArgumentException(
          "gradient must have " + sumSquares.length + " elements, had " + total);
    }
    int k = 0;
    for (float[] b : gradientBlocks) {
      for (float v : b) {
        sumSquares[k++] += (double) v * v;
      }
    }
    samples++;
  }

  /**
   * Samples added so far.
   *
   * @return the count
   */
  public long samples() {
    return samples;
  }

  /**
   * The diagonal Fisher estimate: the mean squared gradient.
   *
   * @return a new array of {@code parameterCount} values {@code >= 0}
   * @throws IllegalStateException if no sample was added
   */
  public float[] fisher() {
    if (samples == 0) {
      throw new IllegalStateException("no sample was added");
    }
    float[] f = new float[sumSquares.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) (sumSquares[i] / samples);
    }
    return f;
  }
}
