package io.github.edgenet.swarm.demo;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.swarm.node.ResultVerifier;
import io.github.edgenet.swarm.node.TaskExecutor;
import io.github.edgenet.swarm.node.TaskObjective;

/**
 * The demo's learned task type: classify an embedding into one of {@value #CLASSES} classes. A
 * hidden teacher labels each embedding {@code x} with {@code argmax(U V x)} ({@code V} is 2 x d,
 * {@code U} is 4 x 2: a rank-2 rule, which a rank-2 adapter can represent); the providers' frozen
 * head reads the first {@value #CLASSES} coordinates of the adapted embedding {@code x +
 * adapter(x)} and answers their argmax. Before any learning the adapter is a no-op and the head
 * is right about one time in four; the providers learn the shared adapter from the label the
 * submitter sends with each task (its payload), the way a host would feed back a supervised
 * signal.
 *
 * <p>Immutable and thread-safe.
 */
final class Classify {
  static final String TYPE = "classify";
  static final int CLASSES = 4;
  private static final int RANK = 2;
  private final float[][] u = new float[CLASSES][RANK];
  private final float[][] v;
  private final int dim;

  Classify(int dim, RandomSource random) {
    this.dim = dim;
    this.v = new float[RANK][dim];
    for (float[] row : v) {
      for (int j = 0; j < dim; j++) {
        row[j] = (float) (random.nextGaussian() / StrictMath.sqrt(dim));
      }
    }
    // Four directions in the plane, 90 degrees apart: each class owns a quarter of it.
    for (int c = 0; c < CLASSES; c++) {
      double angle = Math.PI / 2 * c;
      u[c][0] = (float) Math.cos(angle);
      u[c][1] = (float) Math.sin(angle);
    }
  }

  /** A fresh task embedding: standard normal coordinates. */
  float[] embedding(RandomSource random) {
    float[] x = new float[dim];
    for (int j = 0; j < dim; j++) {
      x[j] = (float) random.nextGaussian();
    }
    return x;
  }

  /** The teacher's label of {@code x}. */
  int label(float[] x) {
    float[] z = new float[RANK];
    for (int k = 0; k < RANK; k++) {
      float s = 0;
      for (int j = 0; j < dim; j++) {
        s += v[k][j] * x[j];
      }
      z[k] = s;
    }
    int best = 0;
    float bestLogit = Float.NEGATIVE_INFINITY;
    for (int c = 0; c < CLASSES; c++) {
      float logit = u[c][0] * z[0] + u[c][1] * z[1];
      if (logit > bestLogit) {
        bestLogit = logit;
        best = c;
      }
    }
    return best;
  }

  /** The head: the argmax of the first classes' coordinates of the adapted embedding. */
  static int predict(float[] adapted) {
    int best = 0;
    for (int c = 1; c < CLASSES; c++) {
      if (adapted[c] > adapted[best]) {
        best = c;
      }
    }
    return best;
  }

  static TaskExecutor executor() {
    return ctx -> new byte[] {(byte) predict(ctx.adapted())};
  }

  /** The answer is one byte naming a class. */
  static ResultVerifier verifier() {
    return (task, result) -> result.length == 1 && result[0] >= 0 && result[0] < CLASSES;
  }

  /**
   * Softmax cross-entropy of the head's logits against the label in the payload's first byte; a
   * payload without a valid label gives NaN (the sample is skipped).
   */
  static TaskObjective objective() {
    return (payload, adapted, gradient) -> {
      if (payload.length < 1 || payload[0] < 0 || payload[0] >= CLASSES) {
        return Float.NaN;
      }
      int label = payload[0];
      float max = Float.NEGATIVE_INFINITY;
      for (int c = 0; c < CLASSES; c++) {
        max = Math.max(max, adapted[c]);
      }
      float sum = 0;
      for (int c = 0; c < CLASSES; c++) {
        sum += (float) StrictMath.exp(adapted[c] - max);
      }
      for (int c = 0; c < CLASSES; c++) {
        float p = (float) StrictMath.exp(adapted[c] - max) / sum;
        gradient[c] = p - (c == label ? 1 : 0);
      }
      return (float) -(adapted[label] - max - StrictMath.log(sum));
    };
  }
}
