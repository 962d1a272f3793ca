package io.github.edgenet.swarm.node;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.testing.SeededCases;
import io.github.edgenet.core.testing.Digits;
import io.github.edgenet.lora.LoraAdapter;
import io.github.edgenet.lora.Optimizer;
import io.github.edgenet.lora.model.Activation;
import io.github.edgenet.lora.model.DenseLayer;
import io.github.edgenet.lora.model.DenseTrainer;
import io.github.edgenet.lora.model.Model;
import java.util.function.IntPredicate;

/**
 * The {@code digits} task type of the learning tests: a task is one 8x8 digit (scikit-learn's
 * digits, core's test data) whose 64 pixels, permuted by a fixed seeded permutation, are the task
 * embedding; its payload is the label (one byte). The executor classifies the adapted embedding
 * with a frozen linear softmax head trained on the original, unpermuted pixels, and returns the
 * class as one byte; the objective is that head's cross-entropy at the label. The frozen head alone
 * is near chance on permuted pixels: only the type's adapter ({@code x + B A x}) can win the
 * accuracy back, so the held-out accuracy measures what the network learned.
 */
public final class DigitsTasks {
  /** The embedding dimension: 64 pixels. */
  public static final int DIM = Digits.PIXELS;
  /** The task type. */
  public static final String TYPE = "digits";

  private final float[] w;
  private final float[] b;
  private final float[] trainX;
  private final int[] trainY;
  private final float[] testX;
  private final int[] testY;

  private DigitsTasks(float[] w, float[] b, float[] trainX, int[] trainY, float[] testX,
      int[] testY) {
    this.w = w;
    this.b = b;
    this.trainX = trainX;
    this.trainY = trainY;
    this.testX = testX;
    this.testY = testY;
  }

  /**
   * A seeded split (1,297 train, 500 held out), the head trained on the original train pixels
   * (Adam 0.01, 1,500 batches of 32), a seeded pixel permutation applied to both splits.
   */
  public static DigitsTasks create(long seed) {
    Digits all = Digits.load();
    RandomSource r = RandomSource.seeded(seed);
    int n = all.size();
    int[] order = SeededCases.permutation(r.derive("split"), n);
    int nTest = 500;
    int nTrain = n - nTest;
    float[] x = all.x();
    int[] y = all.y();
    DenseTrainer head = DenseTrainer.builder(DIM).layer(Digits.CLASSES, Activation.IDENTITY)
        .optimizer(Optimizer.adam(0.01f)).random(r.derive("head")).build();
    float[] xs = new float[32 * DIM];
    int[] ys = new int[32];
    RandomSource batches = r.derive("batches");
    for (int step = 0; step < 1500; step++) {
      for (int k = 0; k < 32; k++) {
        int i = order[nTest + batches.nextInt(nTrain)];
        System.arraycopy(x, i * DIM, xs, k * DIM, DIM);
        ys[k] = y[i];
      }
      head.trainBatch(xs, 0, ys, 0, 32);
    }
    Model model = head.freeze();
    DenseLayer layer = model.layer(0);
    float[] w = new float[Digits.CLASSES * DIM];
    float[] b = new float[Digits.CLASSES];
    layer.viewWeights().get(w);
    layer.viewBias().get(b);
    int[] pixels = SeededCases.permutation(r.derive("pixels"), DIM);
    float[] trainX = new float[nTrain * DIM];
    int[] trainY = new int[nTrain];
    float[] testX = new float[nTest * DIM];
    int[] testY = new int[nTest];
    for (int k = 0; k < n; k++) {
      int i = order[k];
      boolean test = k < nTest;
      float[] dst = test ? testX : trainX;
      int row = test ? k : k - nTest;
      for (int p = 0; p < DIM; p++) {
        dst[row * DIM + p] = x[i * DIM + pixels[p]];
      }
      (test ? testY : trainY)[row] = y[i];
    }
    return new DigitsTasks(w, b, trainX, trainY, testX, testY);
  }

  /** Training samples. */
  public int trainSize() {
    return trainY.length;
  }

  /** Held-out samples. */
  public int testSize() {
    return testY.length;
  }

  /** The label of training sample {@code i}. */
  public int trainLabel(int i) {
    return trainY[i];
  }

  /** The label of held-out sample {@code i}. */
  public int testLabel(int i) {
    return testY[i];
  }

  /** The embedding (permuted pixels) of training sample {@code i}, a fresh array. */
  public float[] trainEmbedding(int i) {
    return java.util.Arrays.copyOfRange(trainX, i * DIM, (i + 1) * DIM);
  }

  /** The embedding of held-out sample {@code i}, a fresh array. */
  public float[] testEmbedding(int i) {
    return java.util.Arrays.copyOfRange(testX, i * DIM, (i + 1) * DIM);
  }

  /** Indices of the training samples whose label passes {@code filter}. */
  public int[] trainWhere(IntPredicate filter) {
    return java.util.stream.IntStream.range(0, trainY.length).filter(i -> filter.test(trainY[i]))
        .toArray();
  }

  /** A task of training sample {@code i}: its embedding, its label as payload. */
  public Task trainTask(int i, long maxPrice, java.time.Duration deadline) {
    return new Task(TYPE, new byte[] {(byte) trainY[i]}, trainEmbedding(i), maxPrice, deadline);
  }

  /** A task of held-out sample {@code i}. */
  public Task testTask(int i, long maxPrice, java.time.Duration deadline) {
    return new Task(TYPE, new byte[] {(byte) testY[i]}, testEmbedding(i), maxPrice, deadline);
  }

  /** The head's logits of {@code adapted}. */
  void logits(float[] adapted, float[] logits) {
    for (int c = 0; c < Digits.CLASSES; c++) {
      float s = b[c];
      for (int p = 0; p < DIM; p++) {
        s += w[c * DIM + p] * adapted[p];
      }
      logits[c] = s;
    }
  }

  static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  /** The executor: the head's class of the adapted embedding, one byte. */
  public TaskExecutor executor() {
    return ctx -> {
      float[] logits = new float[Digits.CLASSES];
      logits(ctx.adapted(), logits);
      return new byte[] {(byte) argmax(logits)};
    };
  }

  /**
   * The objective: softmax cross-entropy of the head at the payload's label; {@code dL/dadapted =
   * W^T (softmax - onehot)}. One instance per node (scratch arrays), allocation-free.
   */
  public TaskObjective objective() {
    float[] logits = new float[Digits.CLASSES];
    return (payload, adapted, gradient) -> {
      if (payload.length != 1 || payload[0] < 0 || payload[0] >= Digits.CLASSES) {
        return Float.NaN;
      }
      int label = payload[0];
      logits(adapted, logits);
      float max = logits[argmax(logits)];
      double sum = 0;
      for (int c = 0; c < Digits.CLASSES; c++) {
        sum += Math.exp(logits[c] - max);
      }
      float loss = (float) (max - logits[label] + Math.log(sum));
      for (int c = 0; c < Digits.CLASSES; c++) {
        float g = (float) (Math.exp(logits[c] - max) / sum) - (c == label ? 1f : 0f);
        for (int p = 0; p < DIM; p++) {
          gradient[p] += g * w[c * DIM + p];
        }
      }
      return loss;
    };
  }

  /** Held-out accuracy of the head after {@code adapter} (null: the head alone). */
  public double accuracy(LoraAdapter adapter) {
    return accuracy(adapter, i -> true);
  }

  /** Held-out accuracy on the samples whose label passes {@code filter}. */
  public double accuracy(LoraAdapter adapter, IntPredicate filter) {
    float[] e = new float[DIM];
    float[] a = new float[DIM];
    float[] logits = new float[Digits.CLASSES];
    int right = 0;
    int count = 0;
    for (int i = 0; i < testY.length; i++) {
      if (!filter.test(testY[i])) {
        continue;
      }
      System.arraycopy(testX, i * DIM, e, 0, DIM);
      System.arraycopy(e, 0, a, 0, DIM);
      if (adapter != null) {
        adapter.forward(e, a);
      }
      logits(a, logits);
      count++;
      if (argmax(logits) == testY[i]) {
        right++;
      }
    }
    return (double) right / count;
  }
}
