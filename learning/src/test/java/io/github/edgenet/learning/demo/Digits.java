package io.github.edgenet.learning.demo;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.lora.Optimizer;
import io.github.edgenet.lora.model.Activation;
import io.github.edgenet.lora.model.DenseTrainer;

/**
 * The UCI digits (1,797 8x8 images, from core's test helpers: {@code io.github.edgenet.core.testing.Digits}), pixels
 * scaled to [0, 1], with a seeded train/test split and the classifiers the demonstrations use.
 */
record Digits(float[] x, int[] y) {
  static final int PIXELS = 64;
  static final int CLASSES = 10;
  static final Digits ALL = load();

  int size() {
    return y.length;
  }

  static Digits load() {
    io.github.edgenet.core.testing.Digits d = io.github.edgenet.core.testing.Digits.load();
    return new Digits(d.x(), d.y());
  }

  /** A seeded permutation of [0, n). */
  static int[] permutation(RandomSource r, int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** The samples at {@code indices}, in that order. */
  Digits select(int[] indices) {
    float[] xs = new float[indices.length * PIXELS];
    int[] ys = new int[indices.length];
    for (int s = 0; s < indices.length; s++) {
      System.arraycopy(x, indices[s] * PIXELS, xs, s * PIXELS, PIXELS);
      ys[s] = y[indices[s]];
    }
    return new Digits(xs, ys);
  }

  /** The samples whose label satisfies the filter. */
  Digits where(java.util.function.IntPredicate label) {
    return select(java.util.stream.IntStream.range(0, size()).filter(i -> label.test(y[i]))
        .toArray());
  }

  /** Every image with its pixels permuted by {@code perm}. */
  Digits permutePixels(int[] perm) {
    float[] xs = new float[x.length];
    for (int s = 0; s < size(); s++) {
      for (int i = 0; i < PIXELS; i++) {
        xs[s * PIXELS + i] = x[s * PIXELS + perm[i]];
      }
    }
    return new Digits(xs, y.clone());
  }

  /** Train (first 70% of a seeded shuffle) and test (the rest). */
  static Digits[] split(long seed) {
    int[] p = permutation(RandomSource.seeded(seed), ALL.size());
    int cut = (int) (0.7 * p.length);
    return new Digits[] {ALL.select(java.util.Arrays.copyOfRange(p, 0, cut)),
        ALL.select(java.util.Arrays.copyOfRange(p, cut, p.length))};
  }

  /** A softmax classifier (64 -> 10) on lora's model layer. */
  static DenseTrainer softmax(Optimizer optimizer, long seed) {
    return DenseTrainer.builder(PIXELS).layer(CLASSES, Activation.IDENTITY).optimizer(optimizer)
        .random(RandomSource.seeded(seed)).maxBatch(64).build();
  }

  /** Accuracy of a trainer on a data set, in batches of its maxBatch. */
  static double accuracy(DenseTrainer t, Digits d) {
    double correct = 0;
    int b = t.maxBatch();
    for (int s = 0; s < d.size(); s += b) {
      int n = Math.min(b, d.size() - s);
      correct += t.accuracy(d.x(), s * PIXELS, d.y(), s, n) * n;
    }
    return correct / d.size();
  }

  /** Trains centrally on shuffled batches; returns the test accuracy. */
  static double trainCentral(DenseTrainer t, Digits train, Digits test, int steps, int batch,
      RandomSource r) {
    float[] xs = new float[batch * PIXELS];
    int[] ys = new int[batch];
    for (int step = 0; step < steps; step++) {
      fillBatch(train, r, xs, ys, batch);
      t.trainBatch(xs, 0, ys, 0, batch);
    }
    return accuracy(t, test);
  }

  /** A random batch (with replacement) from {@code d}. */
  static void fillBatch(Digits d, RandomSource r, float[] xs, int[] ys, int batch) {
    for (int k = 0; k < batch; k++) {
      int s = r.nextInt(d.size());
      System.arraycopy(d.x(), s * PIXELS, xs, k * PIXELS, PIXELS);
      ys[k] = d.y()[s];
    }
  }
}
