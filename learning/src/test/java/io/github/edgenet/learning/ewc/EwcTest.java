package io.github.edgenet.learning.ewc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.lora.LoraScaling;
import io.github.edgenet.lora.LoraTrainer;
import io.github.edgenet.lora.MicroLora;
import io.github.edgenet.lora.Optimizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EwcTest {

  @Test
  void penaltyAndGradientByHand() {
    Ewc ewc = Ewc.builder(3).lambda(2f).build();
    float[][] theta = {{1f, 2f}, {3f}};
    assertEquals(0.0, ewc.penalty(theta), "no anchor, no penalty");
    ewc.consolidate(new float[] {0f, 2f, 1f}, new float[] {0.5f, 9f, 1f});
    // (2/2) * (0.5 * 1 + 9 * 0 + 1 * 4) = 4.5
    assertEquals(4.5, ewc.penalty(theta), 1e-9);
    float[][] g = {{0f, 0f}, {1f}};
    ewc.addGradient(theta, g);
    // lambda F (theta - anchor) = 2 * [0.5, 0, 2]
    assertArrayEquals(new float[] {1f, 0f}, g[0]);
    assertArrayEquals(new float[] {5f}, g[1]);
  }

  /** The gradient of the penalty matches central differences, over several tasks. */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void gradientMatchesFiniteDifferencesOverSeveralTasks(long seed) {
    System.out.println("EwcTest seed " + seed);
    RandomSource r = RandomSource.seeded(seed);
    int n = 17;
    Ewc ewc = Ewc.builder(n).lambda(3f).build();
    for (int t = 0; t < 3; t++) {
      float[] a = new float[n];
      float[] f = new float[n];
      for (int i = 0; i < n; i++) {
        a[i] = (float) r.nextGaussian();
        f[i] = (float) r.nextDouble();
      }
      ewc.consolidate(a, f);
    }
    assertEquals(3, ewc.anchors());
    float[] theta = new float[n];
    for (int i = 0; i < n; i++) {
      theta[i] = (float) r.nextGaussian();
    }
    float[][] g = {new float[n]};
    ewc.addGradient(new float[][] {theta}, g);
    for (int i = 0; i < n; i++) {
      float[] plus = theta.clone();
      float[] minus = theta.clone();
      plus[i] += 1e-2f;
      minus[i] -= 1e-2f;
      double fd = (ewc.penalty(new float[][] {plus}) - ewc.penalty(new float[][] {minus}))
          / (plus[i] - minus[i]);
      assertEquals(fd, g[0][i], 1e-3 * Math.max(1, Math.abs(fd)), "parameter " + i);
    }
  }

  @Test
  void onlineAndEwcPlusPlusKeepOneAnchor() {
    Ewc online = Ewc.builder(1).online(0.5f).build();
    online.consolidate(new float[] {1f}, new float[] {2f});
    online.consolidate(new float[] {3f}, new float[] {1f});
    assertEquals(1, online.anchors());
    // F = 0.5 * 2 + 1 = 2, anchor 3: penalty at 5 = 0.5 * 2 * 4 = 4
    assertEquals(4.0, online.penalty(new float[][] {{5f}}), 1e-9);
    Ewc pp = Ewc.builder(1).ewcPlusPlus(0.25f).build();
    pp.consolidate(new float[] {0f}, new float[] {4f});
    pp.consolidate(new float[] {0f}, new float[] {8f}); // 0.25 * 8 + 0.75 * 4 = 5
    pp.updateFisherMovingAverage(new float[] {2f});      // 0.25 * 4 + 0.75 * 5 = 4.75
    assertEquals(0.5 * 4.75, pp.penalty(new float[][] {{1f}}), 1e-6);
    assertThrows(IllegalStateException.class,
        () -> online.updateFisherMovingAverage(new float[] {1f}));
  }

  @Test
  void fisherIsTheMeanSquaredGradient() {
    FisherEstimator fisher = new FisherEstimator(2);
    fisher.add(new float[] {1f, -2f});
    fisher.add(new float[][] {{3f}, {0f}});
    assertArrayEquals(new float[] {5f, 2f}, fisher.fisher());
    assertThrows(IllegalArgumentException.class, () -> fisher.add(new float[] {Float.NaN, 0f}));
    assertEquals(2, fisher.samples());
  }

  /**
   * Through LoraTrainer's hook on a MicroLora with a zero data gradient: a step of SGD with lr
   * moves each parameter by -lr * lambda * F * (theta - anchor).
   */
  @Test
  void pullsAMicroLoraTowardsItsAnchorThroughTheTrainerHook() {
    MicroLora lora = MicroLora.ofWeights(2, 1, 1, 1f, LoraScaling.STANDARD,
        new float[] {1f, -1f}, new float[] {2f});
    Ewc ewc = Ewc.builder(3).lambda(1f).build();
    ewc.consolidate(new float[] {0f, 0f, 0f}, new float[] {1f, 1f, 0.5f});
    LoraTrainer trainer = LoraTrainer.builder(lora).optimizer(Optimizer.sgd(0.1f))
        .regularizer(ewc).build();
    trainer.setGradients(new float[2], new float[1]);
    trainer.step();
    float[] a = new float[2];
    float[] bt = new float[1];
    lora.viewA().get(a);
    lora.viewBTransposed().get(bt);
    assertArrayEquals(new float[] {0.9f, -0.9f}, a, 1e-6f);
    assertArrayEquals(new float[] {1.9f}, bt, 1e-6f);
  }
}
