package io.github.edgenet.lora.model;

import java.util.Objects;

/**
 * Softmax cross-entropy of a batch of logits against integer labels, numerically stable.
 *
 * <p>For one sample with logits {@code z} ({@code classes} values) and label {@code y}, the loss
 * is {@code l = logsumexp(z) - z[y]}, computed as {@code (max - z[y]) + log(sum(exp(z - max)))} in
 * double precision, so large logits neither overflow nor lose the label's term. Its gradient is
 * {@code dl/dz = softmax(z) - onehot(y)}. Over a batch, the loss reported is the <em>mean</em>
 * {@code L = (1/batch) sum_b l_b}.
 *
 * <p><b>Gradient convention.</b> The gradient rows written are each sample's own
 * {@code dl_b/dz_b}, not divided by {@code batch}: that is what {@link
 * io.github.edgenet.lora.LoraTrainer#accumulate} expects, since its step already averages over
 * the samples. Divide by {@code batch} for {@code dL/dz} of the mean loss.
 *
 * <p>Layouts are batch-major and row-major: sample {@code b}'s logits are
 * {@code logits[logitsOffset + b * classes ..]}. Stateless and thread-safe; nothing allocates.
 */
public final class SoftmaxCrossEntropy {
  private SoftmaxCrossEntropy() {}

  /**
   * The mean loss of {@code batch} samples; if {@code gradient} is not null, also writes each
   * sample's {@code softmax(z_b) - onehot(y_b)} to {@code gradient[gradientOffset + b * classes
   * ..]} (which may be the logits slice itself, overwriting it).
   *
   * @param logits the array holding the logits, {@code batch * classes} floats, row after row
   * @param logitsOffset the index in {@code logits} of its first element used
   * @param classes the number of classes, {@code >= 1}
   * @param labels the array holding each sample's class, {@code batch} ints in {@code [0, classes)}
   * @param labelsOffset the index in {@code labels} of its first element used
   * @param batch the number of samples, {@code >= 1}
   * @param gradient where each sample's gradient is written, {@code batch * classes} floats; or
   *     {@code null} to compute only the loss
   * @param gradientOffset the index in {@code gradient} of its first element used
   * @return the mean loss in nats (natural logarithm); NaN or infinite if a logit is not finite
   * @throws IllegalArgumentException if {@code classes < 1}, {@code batch < 1} or a label is not
   *     in {@code [0, classes)} (nothing is written)
   * @throws IndexOutOfBoundsException if a slice does not fit its array (nothing is written)
   */
  public static float lossAndGradient(
      float[] logits, int logitsOffset, int classes, int[] labels, int labelsOffset, int batch,
      float[] gradient, int gradientOffset) {
    if (classes < 1) {
      throw new IllegalArgumentException("classes must be >= 1, was " + classes);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, was " + batch);
    }
    int n = Math.multiplyExact(batch, classes);
    Objects.checkFromIndexSize(logitsOffset, n, logits.length);
    Objects.checkFromIndexSize(labelsOffset, batch, labels.length);
    if (gradient != null) {
      Objects.checkFromIndexSize(gradientOffset, n, gradient.length);
    }
    checkLabels(labels, labelsOffset, batch, classes);
    return compute(logits, logitsOffset, classes, labels, labelsOffset, batch, gradient, gradientOffset);
  }

  /**
   * The loss only; see {@link #lossAndGradient}.
   *
   * @param logits the array holding the logits, {@code batch * classes} floats, row after row
   * @param logitsOffset the index in {@code logits} of its first element used
   * @param classes the number of classes, {@code >= 1}
   * @param labels the array holding each sample's class, {@code batch} ints in {@code [0, classes)}
   * @param labelsOffset the index in {@code labels} of its first element used
   * @param batch the number of samples, {@code >= 1}
   * @return the loss only
   */
  public static float loss(
      float[] logits, int logitsOffset, int classes, int[] labels, int labelsOffset, int batch) {
    return lossAndGradient(logits, logitsOffset, classes, labels, labelsOffset, batch, null, 0);
  }

  static void checkLabels(int[] labels, int offset, int batch, int classes) {
    for (int b = 0; b < batch; b++) {
      int y = labels[offset + b];
      if (y < 0 || y >= classes) {
        throw new IllegalArgumentException(
            "labels[" + (offset + b) + "] must be in [0, " + classes + "), was " + y);
      }
    }
  }

  /** The unchecked computation; the plan checks once and calls this. */
  static float compute(
      float[] logits, int logitsOffset, int classes, int[] labels, int labelsOffset, int batch,
      float[] gradient, int gradientOffset) {
    double total = 0;
    for (int b = 0; b < batch; b++) {
      int zo = logitsOffset + b * classes;
      int y = labels[labelsOffset + b];
      float max = Float.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        max = Math.max(max, logits[zo + c]);
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += Math.exp((double) logits[zo + c] - max);
      }
      double logSum = Math.log(sum);
      // (max - z[y]) first: max + logSum would drop logSum when |max| is large.
      total += ((double) max - logits[zo + y]) + logSum;
      if (gradient != null) {
        int go = gradientOffset + b * classes;
        for (int c = 0; c < classes; c++) {
          double p = Math.exp(((double) logits[zo + c] - max) - logSum);
          gradient[go + c] = (float) (c == y ? p - 1 : p);
        }
      }
    }
    return (float) (total / batch);
  }
}
