package io.github.edgenet.optimize.internal;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.lora.model.Activation;
import io.github.edgenet.lora.model.DenseTrainer;
import io.github.edgenet.lora.model.Model;
import java.util.List;

/** Brief from-scratch training of an MLP with lora's {@link DenseTrainer}. */
public final class Training {
  private Training() {}

  /**
   * Trains {@code inputDim -> widths... -> classes} (hidden layers with {@code activation}, the
   * output layer with identity) with Adam for {@code epochs} passes over the training set in a
   * seeded shuffled order, and returns the frozen f32 model.
   *
   * @param xs the training inputs, {@code n x inputDim} row-major; read only
   * @param labels the training labels, {@code n} ints in {@code [0, classes)}
   * @param inputDim the input length, {@code >= 1}
   * @param classes the number of outputs
   * @param widths the hidden layers' widths, input side first (may be empty)
   * @param activation the hidden layers' activation
   * @param epochs passes over the training set, {@code >= 1}
   * @param batch samples per step
   * @param learningRate Adam's step size
   * @param random the seeded stream of the initial weights and the shuffling
   * @return the trained model, frozen (f32 layers, no adapters)
   */
  public static Model trainMlp(float[] xs, int[] labels, int inputDim, int classes,
      List<Integer> widths, Activation activation, int epochs, int batch, float learningRate,
      RandomSource random) {
    DenseTrainer.Builder b = DenseTrainer.builder(inputDim).maxBatch(batch)
        .random(random.derive("init"))
        // The one use of lora's optimizer type in this module (renamed to Optimizer in lora).
        .optimizer(io.github.edgenet.lora.Optimizer.adam(learningRate));
    for (int w : widths) {
      b.layer(w, activation);
    }
    b.layer(classes, Activation.IDENTITY);
    DenseTrainer trainer = b.build();
    int n = labels.length;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    float[] bx = new float[batch * inputDim];
    int[] by = new int[batch];
    RandomSource shuffle = random.derive("shuffle");
    for (int e = 0; e < epochs; e++) {
      for (int i = n - 1; i > 0; i--) {
        int j = shuffle.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      for (int start = 0; start + batch <= n; start += batch) {
        for (int k = 0; k < batch; k++) {
          System.arraycopy(xs, order[start + k] * inputDim, bx, k * inputDim, inputDim);
          by[k] = labels[order[start + k]];
        }
        trainer.trainBatch(bx, 0, by, 0, batch);
      }
    }
    return trainer.freeze();
  }
}
