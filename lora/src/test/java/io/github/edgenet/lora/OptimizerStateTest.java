package io.github.edgenet.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.lora.model.Activation;
import io.github.edgenet.lora.model.DenseTrainer;
import org.junit.jupiter.api.Test;

/** The shared optimizer step, on its own and through the regularizer hook of both trainers. */
class OptimizerStateTest {

  /**
   * Kingma and Ba (2015), Algorithm 1, first two steps on a fixed gradient g: m1 = 0.1 g,
   * v1 = 0.001 g^2, so the bias-corrected first step is lr * sign(g) (up to epsilon); the second,
   * with the same g, is lr * sign(g) again.
   */
  @Test
  void adamFirstTwoStepsMatchKingmaBa() {
    float[] w = {0.5f, -1f, 2f};
    float[] g = {1f, -2f, 0.25f};
    OptimizerState state = OptimizerState.create(Optimizer.adam(0.01f), 3);
    state.step(w, g);
    assertArrayEquals(new float[] {0.49f, -0.99f, 1.99f}, w, 1e-6f);
    state.step(w, g);
    assertArrayEquals(new float[] {0.48f, -0.98f, 1.98f}, w, 2e-6f);
    // A different second gradient g2: m2 = 0.09 g + 0.1 g2, v2 = 0.000999 g^2 + 0.001 g2^2,
    // step = 0.01 * (m2 / 0.19) / sqrt(v2 / 0.001999).
    float[] w2 = {0f};
    OptimizerState s2 = OptimizerState.create(Optimizer.adam(0.01f), 1);
    s2.step(w2, new float[] {1f});
    s2.step(w2, new float[] {3f});
    double m2 = 0.09 * 1 + 0.1 * 3;
    double v2 = 0.000999 * 1 + 0.001 * 9;
    double expected = -0.01 - 0.01 * (m2 / 0.19) / Math.sqrt(v2 / 0.001999);
    assertEquals(expected, w2[0], 1e-6);
    assertEquals(2, s2.steps());
  }

  @Test
  void sgdMomentumNesterovAndAdamWFollowThePyTorchEquations() {
    float[] w = {1f};
    OptimizerState sgd = OptimizerState.create(Optimizer.sgd(0.1f, 0.9f), 1);
    sgd.step(w, new float[] {1f}); // v = 1, w = 0.9
    sgd.step(w, new float[] {1f}); // v = 1.9, w = 0.71
    assertEquals(0.71f, w[0], 1e-6f);
    float[] n = {1f};
    OptimizerState nesterov = OptimizerState.create(Optimizer.sgd(0.1f, 0.9f).withNesterov(), 1);
    nesterov.step(n, new float[] {1f}); // v = 1, w -= 0.1 (1 + 0.9)
    assertEquals(0.81f, n[0], 1e-6f);
    float[] d = {2f};
    OptimizerState adamW = OptimizerState.create(Optimizer.adamW(0.01f, 0.5f), 1);
    adamW.step(d, new float[] {-3f});
    assertEquals(2f * 0.995f + 0.01f, d[0], 1e-6f);
  }

  @Test
  void multiBlockStepScalesTheGradientAndValidates() {
    float[][] w = {{1f, 2f}, {3f}};
    float[][] g = {{1f, 1f}, {2f}};
    OptimizerState state = OptimizerState.create(Optimizer.sgd(0.5f), 2, 1);
    state.step(w, g, 0.5f);
    assertArrayEquals(new float[] {0.75f, 1.75f}, w[0]);
    assertArrayEquals(new float[] {2.5f}, w[1]);
    assertArrayEquals(new float[] {1f, 1f}, g[0], "gradient untouched");
    assertThrows(IllegalArgumentException.class, () -> state.step(w[0], g[0]));
    assertThrows(IllegalArgumentException.class,
        () -> state.step(w, new float[][] {{1f}, {1f}}, 1f));
    assertThrows(IllegalArgumentException.class, () -> state.step(w, g, Float.NaN));
    assertThrows(IllegalArgumentException.class, () -> OptimizerState.create(Optimizer.sgd(1f)));
    assertEquals(1, state.steps(), "rejected steps do not count");
    assertArrayEquals(new float[] {2.5f}, w[1], "rejected steps change nothing");
  }

  /** An L2 pull c/2 |theta|^2 added through the hook gives gradient g + c theta in LoraTrainer. */
  @Test
  void loraTrainerAddsTheRegularizerGradientBeforeTheStep() {
    MicroLora lora = LoraTrainerTest.tiny();
    float c = 0.5f;
    LoraTrainer trainer = LoraTrainer.builder(lora).optimizer(Optimizer.sgd(0.1f))
        .regularizer((p, grads) -> {
          for (int b = 0; b < p.length; b++) {
            for (int i = 0; i < p[b].length; i++) {
              grads[b][i] += c * p[b][i];
            }
          }
        }).build();
    LoraTrainerTest.tinyStep(trainer);
    // data gradient dA = [1, 2], dBt = [-0.75]; plus 0.5 * [0.5, -1] and 0.5 * [2]
    assertArrayEquals(new float[] {0.5f - 0.1f * 1.25f, -1f - 0.1f * 1.5f}, lora.a(), 1e-6f);
    assertArrayEquals(new float[] {2f - 0.1f * (-0.75f + 1f)}, lora.bt(), 1e-6f);
    assertEquals(1, trainer.steps());
  }

  /** The same L2 hook in DenseTrainer: with lr * c = 1 and a zero data gradient... */
  @Test
  void denseTrainerPassesEveryBlockToTheRegularizer() {
    int[] calls = {0};
    int[] lengths = new int[4];
    float[] xs = {1f, 0f, 0f, 1f};
    int[] labels = {0, 1};
    DenseTrainer plain = DenseTrainer.builder(2).layer(3, Activation.RELU)
        .layer(2, Activation.IDENTITY).optimizer(Optimizer.sgd(0.1f))
        .random(RandomSource.seeded(4)).build();
    DenseTrainer pulled = DenseTrainer.builder(2).layer(3, Activation.RELU)
        .layer(2, Activation.IDENTITY).optimizer(Optimizer.sgd(0.1f))
        .random(RandomSource.seeded(4))
        .regularizer((p, grads) -> {
          calls[0]++;
          for (int b = 0; b < p.length; b++) {
            lengths[b] = p[b].length;
            for (int i = 0; i < p[b].length; i++) {
              grads[b][i] += 2f * p[b][i];
            }
          }
        }).build();
    float[] w0 = plain.freeze().layer(0).copyWeights();
    plain.trainBatch(xs, 0, labels, 0, 2);
    pulled.trainBatch(xs, 0, labels, 0, 2);
    assertEquals(1, calls[0]);
    assertArrayEquals(new int[] {6, 3, 6, 2}, lengths);
    float[] a = plain.freeze().layer(0).copyWeights();
    float[] b = pulled.freeze().layer(0).copyWeights();
    for (int i = 0; i < a.length; i++) {
      // pulled = plain - lr * 2 * w0
      assertEquals(a[i] - 0.2f * w0[i], b[i], 1e-6f, "weight " + i);
    }
    assertTrue(a[0] != b[0]);
  }

  /** gradient() then applyGradient() is trainBatch(); parameters round-trip in the flat layout. */
  @Test
  void denseTrainerFlatParametersAndGradientsEqualTrainBatch() {
    float[] xs = {1f, 0.5f, -1f, 2f, 0f, 1f};
    int[] labels = {0, 1, 1};
    DenseTrainer a = DenseTrainer.builder(2).layer(3, Activation.RELU)
        .layer(2, Activation.IDENTITY).optimizer(Optimizer.adam(0.05f))
        .random(RandomSource.seeded(8)).build();
    DenseTrainer b = DenseTrainer.builder(2).layer(3, Activation.RELU)
        .layer(2, Activation.IDENTITY).optimizer(Optimizer.adam(0.05f))
        .random(RandomSource.seeded(8)).build();
    assertEquals(6 + 3 + 6 + 2, a.parameterCount());
    float[] g = new float[a.parameterCount()];
    for (int step = 0; step < 3; step++) {
      float la = a.trainBatch(xs, 0, labels, 0, 3);
      float lb = b.gradient(xs, 0, labels, 0, 3, g);
      b.applyGradient(g);
      assertEquals(la, lb);
    }
    float[] pa = new float[a.parameterCount()];
    float[] pb = new float[b.parameterCount()];
    a.copyParameters(pa);
    b.copyParameters(pb);
    assertArrayEquals(pa, pb);
    float[] shifted = pa.clone();
    shifted[0] += 1f;
    b.setParameters(shifted);
    b.copyParameters(pb);
    assertArrayEquals(shifted, pb);
    assertEquals(b.freeze().layer(0).copyWeights()[0], shifted[0]);
    float[] bad = shifted.clone();
    bad[3] = Float.NaN;
    assertThrows(IllegalArgumentException.class, () -> b.setParameters(bad));
    assertThrows(IllegalArgumentException.class, () -> b.applyGradient(bad));
    assertThrows(IllegalArgumentException.class, () -> b.copyParameters(new float[3]));
    b.copyParameters(pb);
    assertArrayEquals(shifted, pb, "rejected calls change nothing");
  }
}
