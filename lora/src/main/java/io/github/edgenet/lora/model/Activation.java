package io.github.edgenet.lora.model;

/**
 * The element-wise function a {@link Model} layer applies after its affine part: {@code a = f(z)}.
 *
 * <p>{@link #GELU} is the tanh approximation of Hendrycks and Gimpel (2016), the form GPT-2 and
 * llama.cpp's {@code ggml_gelu} use: {@code 0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3)))}.
 *
 * <p>Immutable and thread-safe, like every enum.
 */
public enum Activation {
  /** {@code f(z) = z}: the last layer of a classifier, whose outputs are the logits. */
  IDENTITY,
  /** {@code f(z) = max(0, z)}; its derivative at 0 is taken as 0. */
  RELU,
  /** {@code f(z) = tanh(z)}. */
  TANH,
  /** The tanh approximation of the Gaussian error linear unit (see the type's documentation). */
  GELU;

  private static final float GELU_C = (float) Math.sqrt(2.0 / Math.PI);
  private static final float GELU_K = 0.044715f;

  /**
   * {@code f(z)}. NaN in, NaN out (also for {@link #RELU}, so that a bad input is not hidden).
   *
   * @param z the pre-activation, any float
   * @return {@code f(z)}; NaN for a NaN input
   */
  public float apply(float z) {
    return switch (this) {
      case IDENTITY -> z;
      case RELU -> Math.max(z, 0f);
      case TANH -> (float) Math.tanh(z);
      case GELU -> gelu(z);
    };
  }

  /**
   * The derivative {@code f'(z)}. NaN in, NaN out.
   *
   * @param z the pre-activation the derivative is taken at (for ReLU, 0 at {@code z <= 0})
   * @return the derivative {@code f'(z)}
   */
  public float derivative(float z) {
    return switch (this) {
      case IDENTITY -> 1f;
      case RELU -> Math.signum(Math.max(z, 0f));
      case TANH -> {
        float t = (float) Math.tanh(z);
        yield 1f - t * t;
      }
      case GELU -> geluDerivative(z);
    };
  }

  /** {@code a[off+i] = f(z[off+i])} for {@code i < n}; {@code a} may be {@code z}. */
  void apply(float[] z, float[] a, int off, int n) {
    switch (this) {
      case IDENTITY -> {
        if (a != z) {
          System.arraycopy(z, off, a, off, n);
        }
      }
      case RELU -> {
        for (int i = off; i < off + n; i++) {
          a[i] = Math.max(z[i], 0f); // vectorized by C2, unlike a conditional
        }
      }
      case TANH -> {
        for (int i = off; i < off + n; i++) {
          a[i] = (float) Math.tanh(z[i]);
        }
      }
      case GELU -> {
        for (int i = off; i < off + n; i++) {
          a[i] = gelu(z[i]);
        }
      }
    }
  }

  /**
   * Turns the gradient with respect to the output into the gradient with respect to the input, in
   * place: {@code g[off+i] *= f'(z[off+i])}; {@code a} holds {@code f(z)} (ReLU and tanh use it).
   */
  void backwardInPlace(float[] z, float[] a, float[] g, int off, int n) {
    switch (this) {
      case IDENTITY -> {
        // f' = 1
      }
      case RELU -> {
        for (int i = off; i < off + n; i++) {
          g[i] *= Math.signum(a[i]); // a = max(z, 0): 1 where z > 0, else 0; vectorized by C2
        }
      }
      case TANH -> {
        for (int i = off; i < off + n; i++) {
          float t = a[i];
          g[i] *= 1f - t * t;
        }
      }
      case GELU -> {
        for (int i = off; i < off + n; i++) {
          g[i] *= geluDerivative(z[i]);
        }
      }
    }
  }

  private static float gelu(float z) {
    float t = (float) Math.tanh(GELU_C * (z + GELU_K * z * z * z));
    return 0.5f * z * (1f + t);
  }

  private static float geluDerivative(float z) {
    float z2 = z * z;
    float t = (float) Math.tanh(GELU_C * (z + GELU_K * z2 * z));
    return 0.5f * (1f + t) + 0.5f * z * (1f - t * t) * GELU_C * (1f + 3f * GELU_K * z2);
  }
}
