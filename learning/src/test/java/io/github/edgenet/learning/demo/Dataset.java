package io.github.edgenet.learning.demo;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.testing.SeededCases;
import io.github.edgenet.lora.Optimizer;
import io.github.edgenet.lora.model.Activation;
import io.github.edgenet.lora.model.DenseTrainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * A labelled image data set for the demonstrations: {@code size() x features} pixels scaled to [0,
 * 1], row-major, and labels in {@code [0, classes)}. Two sources: the UCI digits (1,797 8x8 images,
 * from core's test helpers, split 70/30 with a seed) and Fashion-MNIST (28x28, its own 60,000 /
 * 10,000 split, read by {@link Idx} from a directory given at run time).
 *
 * <p>The demonstrations hand nodes and shards index arrays into one data set ({@link
 * #indicesWhere}, {@link #fillBatch}) rather than copies: 50 non-IID shards of Fashion-MNIST would
 * otherwise copy 1.9 GB.
 */
record Dataset(String name, int features, int classes, float[] x, int[] y) {
  static final Dataset DIGITS = digits();

  Dataset {
    if (x.length != (long) y.length * features) {
      throw new IllegalArgumentException(x.length + " pixels for " + y.length + " x " + features);
    }
  }

  int size() {
    return y.length;
  }

  private static Dataset digits() {
    io.github.edgenet.core.testing.Digits d = io.github.edgenet.core.testing.Digits.load();
    return new Dataset("digits", io.github.edgenet.core.testing.Digits.PIXELS,
        io.github.edgenet.core.testing.Digits.CLASSES, d.x(), d.y());
  }

  /** Digits: train (first 70% of a seeded shuffle) and test (the rest). */
  static Dataset[] digitsSplit(long seed) {
    int[] p = SeededCases.permutation(RandomSource.seeded(seed), DIGITS.size());
    int cut = (int) (0.7 * p.length);
    return new Dataset[] {DIGITS.select(Arrays.copyOfRange(p, 0, cut)),
        DIGITS.select(Arrays.copyOfRange(p, cut, p.length))};
  }

  /**
   * Fashion-MNIST's train (60,000) and test (10,000) sets from the four {@code *-ubyte.gz} files in
   * {@code dir} (what {@code apt-get install dataset-fashion-mnist} puts in
   * {@code /usr/share/datasets/fashion-mnist}).
   */
  static Dataset[] fashionMnist(Path dir) throws IOException {
    return new Dataset[] {
        Idx.load("fashion-mnist train", dir.resolve("train-images-idx3-ubyte.gz"),
            dir.resolve("train-labels-idx1-ubyte.gz"), 10),
        Idx.load("fashion-mnist test", dir.resolve("t10k-images-idx3-ubyte.gz"),
            dir.resolve("t10k-labels-idx1-ubyte.gz"), 10)};
  }

  /** The samples at {@code indices}, in that order (a copy). */
  Dataset select(int[] indices) {
    float[] xs = new float[indices.length * features];
    int[] ys = new int[indices.length];
    for (int s = 0; s < indices.length; s++) {
      System.arraycopy(x, indices[s] * features, xs, s * features, features);
      ys[s] = y[indices[s]];
    }
    return new Dataset(name, features, classes, xs, ys);
  }

  /** The indices of the samples whose label satisfies the filter, in order. */
  int[] indicesWhere(IntPredicate label) {
    return IntStream.range(0, size()).filter(i -> label.test(y[i])).toArray();
  }

  /** The samples whose label satisfies the filter (a copy). */
  Dataset where(IntPredicate label) {
    return select(indicesWhere(label));
  }

  /** Every image with its pixels permuted by {@code perm}. */
  Dataset permutePixels(int[] perm) {
    float[] xs = new float[x.length];
    for (int s = 0; s < size(); s++) {
      for (int i = 0; i < features; i++) {
        xs[s * features + i] = x[s * features + perm[i]];
      }
    }
    return new Dataset(name + " permuted", features, classes, xs, y.clone());
  }

  /** A softmax classifier ({@code features -> classes}) on lora's model layer. */
  DenseTrainer softmax(Optimizer optimizer, long seed) {
    return DenseTrainer.builder(features).layer(classes, Activation.IDENTITY)
        .optimizer(optimizer).random(RandomSource.seeded(seed)).maxBatch(64).build();
  }

  /** Accuracy of a trainer on this data set, in batches of its maxBatch. */
  double accuracy(DenseTrainer t) {
    double correct = 0;
    int b = t.maxBatch();
    for (int s = 0; s < size(); s += b) {
      int n = Math.min(b, size() - s);
      correct += t.accuracy(x, s * features, y, s, n) * n;
    }
    return correct / size();
  }

  /** Trains on shuffled batches of this (training) set; returns the accuracy on {@code test}. */
  double trainCentral(DenseTrainer t, Dataset test, int steps, int batch, RandomSource r) {
    float[] xs = new float[batch * features];
    int[] ys = new int[batch];
    for (int step = 0; step < steps; step++) {
      fillBatch(null, r, xs, ys, batch);
      t.trainBatch(xs, 0, ys, 0, batch);
    }
    return test.accuracy(t);
  }

  /**
   * A random batch (with replacement) from the samples at {@code indices}, or from every sample if
   * {@code indices} is null.
   */
  void fillBatch(int[] indices, RandomSource r, float[] xs, int[] ys, int batch) {
    int n = indices == null ? size() : indices.length;
    for (int k = 0; k < batch; k++) {
      int s = r.nextInt(n);
      if (indices != null) {
        s = indices[s];
      }
      System.arraycopy(x, s * features, xs, k * features, features);
      ys[k] = y[s];
    }
  }

  @Override
  public String toString() {
    return name + " (" + size() + " x " + features + ", " + classes + " classes)";
  }
}
