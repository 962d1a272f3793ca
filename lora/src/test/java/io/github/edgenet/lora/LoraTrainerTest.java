package io.github.edgenet.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoraTrainerTest {

  // ---------------------------------------------------------------------------------------------
  // Reference arithmetic in double.

  static float[] gaussian(RandomSource r, int n, double sd) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (sd * r.nextGaussian());
    }
    return v;
  }

  /** y = base + s Bt^T (A x), in double from the adapter's float weights. */
  static double[] forward(MicroLora lora, float[] x, float[] base) {
    int in = lora.inputDim(), out = lora.outputDim(), rank = lora.rank();
    float[] a = lora.a(), bt = lora.bt();
    double[] y = new double[out];
    for (int o = 0; o < out; o++) {
      y[o] = base[o];
    }
    for (int k = 0; k < rank; k++) {
      double hk = 0;
      for (int i = 0; i < in; i++) {
        hk += (double) a[k * in + i] * x[i];
      }
      for (int o = 0; o < out; o++) {
        y[o] += (double) lora.scale() * bt[k * out + o] * hk;
      }
    }
    return y;
  }

  /** A scalar loss of the layer output and its gradient dL/dy. */
  interface Loss {
    double value(double[] y);

    double[] gradient(double[] y);
  }

  /** L = 0.5 |y - t|^2. */
  static Loss squaredError(float[] target) {
    return new Loss() {
      @Override
      public double value(double[] y) {
        double s = 0;
        for (int o = 0; o < y.length; o++) {
          double d = y[o] - target[o];
          s += d * d;
        }
        return 0.5 * s;
      }

      @Override
      public double[] gradient(double[] y) {
        double[] g = new double[y.length];
        for (int o = 0; o < y.length; o++) {
          g[o] = y[o] - target[o];
        }
        return g;
      }
    };
  }

  /** L = -log softmax(y)[label]. */
  static Loss crossEntropy(int label) {
    return new Loss() {
      @Override
      public double value(double[] y) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : y) {
          max = Math.max(max, v);
        }
        double z = 0;
        for (double v : y) {
          z += Math.exp(v - max);
        }
        return Math.log(z) + max - y[label];
      }

      @Override
      public double[] gradient(double[] y) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : y) {
          max = Math.max(max, v);
        }
        double z = 0;
        for (double v : y) {
          z += Math.exp(v - max);
        }
        double[] g = new double[y.length];
        for (int o = 0; o < y.length; o++) {
          g[o] = Math.exp(y[o] - max) / z - (o == label ? 1 : 0);
        }
        return g;
      }
    };
  }

  static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  static MicroLora randomAdapter(RandomSource r, int in, int out, int rank) {
    // Non-zero B (a fresh adapter's B = 0 would make dL/dA trivially zero) and a scale != 1.
    return MicroLora.ofWeights(in, out, rank, 3f, LoraScaling.RANK_STABILIZED,
        gaussian(r, rank * in, 1 / Math.sqrt(in)), gaussian(r, rank * out, 1 / Math.sqrt(rank)));
  }

  static LoraTrainer sgd(MicroLora lora, float lr) {
    return LoraTrainer.builder(lora).optimizer(Optimizer.sgd(lr)).build();
  }

  // ---------------------------------------------------------------------------------------------
  // Gradients.

  /**
   * Every element (or, on big shapes, a seeded subset of 200) of dL/dA and dL/dB against a
   * central difference of the loss computed in double. For the squared error the loss is exactly
   * quadratic in any single weight, so the central difference is exact up to double rounding.
   */
  @ParameterizedTest(name = "{0}->{1} rank {2}, {3}")
  @CsvSource({
    "1,1,1,mse", "1,2,1,ce", "7,5,1,mse", "7,5,1,ce", "17,13,3,mse", "17,13,3,ce",
    "33,65,16,mse", "33,65,16,ce", "64,48,2,ce", "129,31,16,mse", "256,256,2,mse", "256,256,2,ce"
  })
  void gradientsOfBothFactorsMatchCentralDifferences(int in, int out, int rank, String lossName) {
    long seed = 1000L * in + 10L * out + rank + lossName.hashCode();
    RandomSource r = RandomSource.seeded(seed);
    MicroLora lora = randomAdapter(r, in, out, rank);
    float[] x = gaussian(r, in, 1);
    float[] base = gaussian(r, out, 1);
    Loss loss =
        lossName.equals("mse") ? squaredError(gaussian(r, out, 1)) : crossEntropy(r.nextInt(out));

    LoraTrainer trainer = sgd(lora, 0.1f);
    trainer.accumulate(x, toFloat(loss.gradient(forward(lora, x, base))));
    float[] gradA = new float[rank * in];
    float[] gradBt = new float[rank * out];
    trainer.copyGradients(gradA, gradBt);

    checkAgainstFiniteDifferences("A", lora.a(), gradA, lora, x, base, loss, r, seed);
    checkAgainstFiniteDifferences("Bt", lora.bt(), gradBt, lora, x, base, loss, r, seed);
  }

  private static void checkAgainstFiniteDifferences(
      String name, float[] w, float[] grad, MicroLora lora, float[] x, float[] base, Loss loss,
      RandomSource r, long seed) {
    double maxGrad = 0;
    for (float g : grad) {
      maxGrad = Math.max(maxGrad, Math.abs(g));
    }
    assertTrue(maxGrad > 0, "gradient of " + name + " is zero; the check would be vacuous");
    int checks = Math.min(w.length, 200);
    for (int c = 0; c < checks; c++) {
      int idx = w.length <= 200 ? c : r.nextInt(w.length);
      float saved = w[idx];
      float plus = saved + 1e-3f;
      float minus = saved - 1e-3f;
      w[idx] = plus;
      double lPlus = loss.value(forward(lora, x, base));
      w[idx] = minus;
      double lMinus = loss.value(forward(lora, x, base));
      w[idx] = saved;
      double fd = (lPlus - lMinus) / ((double) plus - minus);
      assertEquals(fd, grad[idx], 1e-4 * maxGrad + 1e-4 * Math.abs(fd),
          () -> "d L / d " + name + "[" + idx + "], seed " + seed);
    }
  }

  @ParameterizedTest(name = "{0}->{1} rank {2}")
  @CsvSource({"1,1,1", "9,4,3", "40,17,16", "256,256,2"})
  void inputGradientMatchesCentralDifferencesAndIsAdded(int in, int out, int rank) {
    long seed = 77L * in + out + rank;
    RandomSource r = RandomSource.seeded(seed);
    MicroLora lora = randomAdapter(r, in, out, rank);
    float[] x = gaussian(r, in, 1);
    float[] base = gaussian(r, out, 1);
    Loss loss = crossEntropy(r.nextInt(out));
    float[] dx = gaussian(r, in + 3, 1); // a slice at offset 2, and something already in it
    float[] before = dx.clone();
    sgd(lora, 0.1f).accumulate(x, 0, toFloat(loss.gradient(forward(lora, x, base))), 0, dx, 2);
    assertEquals(before[0], dx[0]);
    assertEquals(before[1], dx[1]);
    assertEquals(before[in + 2], dx[in + 2]);
    for (int i = 0; i < in; i++) {
      float saved = x[i];
      float plus = saved + 1e-3f;
      float minus = saved - 1e-3f;
      x[i] = plus;
      double lPlus = loss.value(forward(lora, x, base));
      x[i] = minus;
      double lMinus = loss.value(forward(lora, x, base));
      x[i] = saved;
      double fd = (lPlus - lMinus) / ((double) plus - minus);
      assertEquals(fd, dx[i + 2] - before[i + 2], 1e-4 * (1 + Math.abs(fd)), "dL/dx[" + i + "]");
    }
  }

  @Test
  void batchAccumulationEqualsTheSumOfSingles() {
    int in = 37, out = 19, rank = 5, batch = 6;
    RandomSource r = RandomSource.seeded(11);
    MicroLora lora = randomAdapter(r, in, out, rank);
    float[] xs = gaussian(r, 1 + batch * in, 1);
    float[] dys = gaussian(r, batch * out, 1);
    float[] dxSingle = gaussian(r, batch * in, 1);
    float[] dxBatch = dxSingle.clone();

    LoraTrainer single = sgd(lora, 0.1f);
    for (int b = 0; b < batch; b++) {
      single.accumulate(xs, 1 + b * in, dys, b * out, dxSingle, b * in);
    }
    LoraTrainer batched = sgd(lora, 0.1f);
    batched.accumulateBatch(xs, 1, dys, 0, dxBatch, 0, batch);
    assertEquals(batch, batched.pendingSamples());
    assertArrayEquals(dxSingle, dxBatch);

    float[] gA1 = new float[rank * in], gB1 = new float[rank * out];
    float[] gA2 = new float[rank * in], gB2 = new float[rank * out];
    single.copyGradients(gA1, gB1);
    batched.copyGradients(gA2, gB2);
    assertArrayEquals(gA1, gA2);
    assertArrayEquals(gB1, gB2);

    // And the mean is the mean: the reference sum in double, divided by the batch size.
    double[] refBt = new double[rank * out];
    for (int b = 0; b < batch; b++) {
      for (int k = 0; k < rank; k++) {
        double hk = 0;
        for (int i = 0; i < in; i++) {
          hk += (double) lora.a()[k * in + i] * xs[1 + b * in + i];
        }
        for (int o = 0; o < out; o++) {
          refBt[k * out + o] += lora.scale() * hk * dys[b * out + o] / batch;
        }
      }
    }
    for (int i = 0; i < refBt.length; i++) {
      assertEquals(refBt[i], gB2[i], 1e-5 * (1 + Math.abs(refBt[i])));
    }

    // The batch variant without dx gives the same gradients.
    LoraTrainer plain = sgd(lora, 0.1f);
    plain.accumulateBatch(xs, 1, dys, 0, batch);
    plain.copyGradients(gA1, gB1);
    assertArrayEquals(gA2, gA1);
    assertArrayEquals(gB2, gB1);
  }

  @Test
  void stepUsesTheMeanOfTheBatchAndClearsTheGradients() {
    RandomSource r = RandomSource.seeded(12);
    MicroLora once = randomAdapter(r, 8, 6, 2);
    MicroLora twice = once.snapshot();
    float[] x = gaussian(r, 8, 1);
    float[] dy = gaussian(r, 6, 1);
    LoraTrainer t1 = sgd(once, 0.5f);
    t1.accumulate(x, dy);
    t1.step();
    LoraTrainer t2 = sgd(twice, 0.5f);
    t2.accumulate(x, dy);
    t2.accumulate(x, dy);
    t2.step();
    // One sample takes the factored path, two the materialized one: equal up to rounding.
    assertArrayEquals(once.a(), twice.a(), 1e-6f);
    assertArrayEquals(once.bt(), twice.bt(), 1e-5f);
    assertEquals(0, t2.pendingSamples());
    assertEquals(1, t2.steps());
    float[] gA = gaussian(r, 16, 1), gB = gaussian(r, 12, 1);
    t2.copyGradients(gA, gB);
    assertArrayEquals(new float[16], gA, "no pending gradient reads as zero");
    assertThrows(IllegalStateException.class, t2::step);
    t2.accumulate(x, dy);
    t2.zeroGradients();
    assertThrows(IllegalStateException.class, t2::step);
  }

  // ---------------------------------------------------------------------------------------------
  // Optimizers: a 2 -> 1 rank-1 adapter whose steps are computed by hand.
  // A = [0.5, -1], B = [2], scale 1, x = [1, 2], dy = [0.5]:
  // h = A x = -1.5, dL/dB = h dy = -0.75, u = B dy = 1, dL/dA = u x = [1, 2].

  static MicroLora tiny() {
    return MicroLora.ofWeights(2, 1, 1, 1f, LoraScaling.STANDARD,
        new float[] {0.5f, -1f}, new float[] {2f});
  }

  static void tinyStep(LoraTrainer trainer) {
    trainer.accumulate(new float[] {1f, 2f}, new float[] {0.5f});
    trainer.step();
  }

  @Test
  void sgdWithMomentumFollowsThePyTorchConvention() {
    MicroLora lora = tiny();
    LoraTrainer trainer = LoraTrainer.builder(lora).optimizer(Optimizer.sgd(0.1f, 0.9f)).build();
    tinyStep(trainer);
    // v = g; w -= 0.1 v
    assertArrayEquals(new float[] {0.4f, -1.2f}, lora.a(), 1e-6f);
    assertArrayEquals(new float[] {2.075f}, lora.bt(), 1e-6f);
    tinyStep(trainer);
    // h = -2, dL/dB = -1, u = 1.0375, dL/dA = [1.0375, 2.075];
    // vA = 0.9 [1, 2] + [1.0375, 2.075] = [1.9375, 3.875]; vB = 0.9 (-0.75) - 1 = -1.675
    assertArrayEquals(new float[] {0.20625f, -1.5875f}, lora.a(), 1e-6f);
    assertArrayEquals(new float[] {2.2425f}, lora.bt(), 1e-6f);
  }

  @Test
  void nesterovAndPlainSgdFirstSteps() {
    MicroLora lora = tiny();
    LoraTrainer nesterov = LoraTrainer.builder(lora)
        .optimizer(Optimizer.sgd(0.1f, 0.9f).withNesterov()).build();
    tinyStep(nesterov);
    // v = g; w -= 0.1 (g + 0.9 v) = 0.19 g
    assertArrayEquals(new float[] {0.31f, -1.38f}, lora.a(), 1e-6f);
    assertArrayEquals(new float[] {2.1425f}, lora.bt(), 1e-6f);

    MicroLora plain = tiny();
    tinyStep(sgd(plain, 0.1f));
    assertArrayEquals(new float[] {0.4f, -1.2f}, plain.a(), 1e-6f);
    assertArrayEquals(new float[] {2.075f}, plain.bt(), 1e-6f);
  }

  @Test
  void adamFirstTwoStepsMatchKingmaBa() {
    MicroLora lora = tiny();
    LoraTrainer trainer = LoraTrainer.builder(lora).optimizer(Optimizer.adam(0.01f)).build();
    tinyStep(trainer);
    // Bias-corrected first step: w -= lr * g / (|g| + eps), i.e. lr against the gradient's sign.
    assertArrayEquals(new float[] {0.49f, -1.01f}, lora.a(), 1e-6f);
    assertArrayEquals(new float[] {2.01f}, lora.bt(), 1e-6f);
    tinyStep(trainer);
    // h = -1.53, dL/dB = -0.765, u = 1.005, dL/dA = [1.005, 2.01]; m = 0.9 m + 0.1 g,
    // v = 0.999 v + 0.001 g^2, w -= 0.01 / 0.19 * m / (sqrt(v / 0.001999) + 1e-8).
    assertArrayEquals(new float[] {0.47999873f, -1.0200013f}, lora.a(), 2e-6f);
    assertArrayEquals(new float[] {2.0200047f}, lora.bt(), 2e-6f);
    assertEquals(2, trainer.steps());
  }

  @Test
  void adamWDecaysTheWeightsBeforeTheAdamStep() {
    MicroLora lora = tiny();
    LoraTrainer trainer =
        LoraTrainer.builder(lora).optimizer(Optimizer.adamW(0.01f, 0.5f)).build();
    tinyStep(trainer);
    // w = w (1 - 0.01 * 0.5) - 0.01 sign(g)
    assertArrayEquals(new float[] {0.5f * 0.995f - 0.01f, -0.995f - 0.01f}, lora.a(), 1e-6f);
    assertArrayEquals(new float[] {2f * 0.995f + 0.01f}, lora.bt(), 1e-6f);
  }

  /**
   * 400 steps of each optimizer against the update equations in double (PyTorch's conventions,
   * straightforward state), with the gradient of each step computed in double from the adapter's
   * current weights. Each sample is accumulated once (the factored single-sample path) or twice
   * (the materialized path, same mean): both must track the reference. 400 steps exercise the
   * folding of the momentum's lazy scale (every ~130 steps at momentum 0.9).
   */
  @ParameterizedTest(name = "{0}, accumulated {1}x")
  @CsvSource({
    "sgd,1", "sgd,2", "momentum,1", "momentum,2", "nesterov,1", "nesterov,2", "adam,1", "adam,2",
    "adamw,1", "adamw,2"
  })
  void optimizersMatchADoublePrecisionReferenceOverManySteps(String which, int copies) {
    int in = 12, out = 7, rank = 3, n = rank * (in + out);
    RandomSource r = RandomSource.seeded(which.hashCode() * 7L + copies);
    MicroLora lora = randomAdapter(r, in, out, rank);
    Optimizer optimizer = switch (which) {
      case "sgd" -> Optimizer.sgd(0.005f);
      case "momentum" -> Optimizer.sgd(0.001f, 0.9f);
      case "nesterov" -> Optimizer.sgd(0.001f, 0.9f).withNesterov();
      case "adam" -> Optimizer.adam(0.01f);
      default -> Optimizer.adamW(0.01f, 0.1f);
    };
    LoraTrainer trainer = LoraTrainer.builder(lora).optimizer(optimizer).build();
    double[] w = new double[n];
    double[] m = new double[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = i < rank * in ? lora.a()[i] : lora.bt()[i - rank * in];
    }
    float[] gA = new float[rank * in];
    float[] gB = new float[rank * out];
    for (int t = 1; t <= 400; t++) {
      float[] x = gaussian(r, in, 1);
      float[] target = gaussian(r, out, 1);
      float[] dy = toFloat(squaredError(target).gradient(forward(lora, x, new float[out])));
      for (int c = 0; c < copies; c++) {
        trainer.accumulate(x, dy);
      }
      trainer.copyGradients(gA, gB);
      trainer.step();
      for (int i = 0; i < n; i++) {
        double g = i < rank * in ? gA[i] : gB[i - rank * in];
        switch (optimizer) {
          case Optimizer.Sgd sgd -> {
            if (sgd.momentum() == 0) {
              w[i] -= sgd.learningRate() * g;
            } else {
              m[i] = sgd.momentum() * m[i] + g;
              w[i] -= sgd.learningRate() * (sgd.nesterov() ? g + sgd.momentum() * m[i] : m[i]);
            }
          }
          case Optimizer.Adam adam -> {
            m[i] = adam.beta1() * m[i] + (1 - adam.beta1()) * g;
            v[i] = adam.beta2() * v[i] + (1 - adam.beta2()) * g * g;
            w[i] -= adam.learningRate() * adam.weightDecay() * w[i];
            double mHat = m[i] / (1 - Math.pow(adam.beta1(), t));
            double vHat = v[i] / (1 - Math.pow(adam.beta2(), t));
            w[i] -= adam.learningRate() * mHat / (Math.sqrt(vHat) + adam.epsilon());
          }
        }
      }
    }
    float[] got = concat(lora.a(), lora.bt());
    double scaleOfW = norm(got) / Math.sqrt(n);
    for (int i = 0; i < n; i++) {
      assertEquals(w[i], got[i], 2e-4 * scaleOfW, which + ": weight " + i);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Clipping.

  @Test
  void clippingScalesTheGradientToExactlyTheMaximumNorm() {
    RandomSource r = RandomSource.seeded(21);
    MicroLora lora = randomAdapter(r, 30, 20, 4);
    float[] before = concat(lora.a(), lora.bt());
    float[] x = gaussian(r, 30, 3);
    float[] dy = gaussian(r, 20, 3);
    LoraTrainer trainer = LoraTrainer.builder(lora)
        .optimizer(Optimizer.sgd(1f)).maxGradientNorm(0.25f).build();
    assertEquals(0.25f, trainer.maxGradientNorm());
    trainer.accumulate(x, dy);
    trainer.accumulate(gaussian(r, 30, 3), gaussian(r, 20, 3));
    float[] gA = new float[4 * 30], gB = new float[4 * 20];
    trainer.copyGradients(gA, gB);
    double norm = norm(concat(gA, gB));
    assertTrue(norm > 1, "the test needs a gradient above the limit, had " + norm);

    float reported = trainer.step();
    assertEquals(norm, reported, 1e-5 * norm, "step reports the norm before clipping");
    float[] after = concat(lora.a(), lora.bt());
    double moved = 0;
    for (int i = 0; i < after.length; i++) {
      double d = (double) after[i] - before[i];
      moved += d * d;
      // the direction is the gradient's: w -= (0.25 / norm) g
      double g = i < gA.length ? gA[i] : gB[i - gA.length];
      assertEquals(-0.25 / norm * g, d, 1e-6);
    }
    assertEquals(0.25, Math.sqrt(moved), 1e-5);

    // Below the limit nothing is scaled.
    MicroLora small = randomAdapter(RandomSource.seeded(22), 30, 20, 4);
    float[] smallBefore = small.a().clone();
    LoraTrainer unclipped = LoraTrainer.builder(small)
        .optimizer(Optimizer.sgd(1f)).maxGradientNorm(1e6f).build();
    unclipped.accumulate(x, dy);
    unclipped.copyGradients(gA, gB);
    unclipped.step();
    for (int i = 0; i < gA.length; i++) {
      assertEquals(smallBefore[i] - gA[i], small.a()[i], 1e-6);
    }
  }

  static float[] concat(float[] a, float[] b) {
    float[] c = new float[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  static double norm(float[] v) {
    double s = 0;
    for (float f : v) {
      s += (double) f * f;
    }
    return Math.sqrt(s);
  }

  // ---------------------------------------------------------------------------------------------
  // Learning.

  /**
   * Fits a random rank-3 target update ΔW* (24 x 32) from a fresh adapter (B = 0) on random
   * inputs, with the squared error: the loss must fall by more than three orders of magnitude, and
   * both factors must have moved.
   */
  @ParameterizedTest
  @CsvSource({"adam", "momentum"})
  void trainingFitsALowRankTarget(String which) {
    int in = 32, out = 24, rank = 4, targetRank = 3, batch = 16;
    RandomSource r = RandomSource.seeded(31);
    float[] tb = gaussian(r, out * targetRank, 1), ta = gaussian(r, targetRank * in, 1 / Math.sqrt(in));
    double[] target = new double[out * in];
    for (int o = 0; o < out; o++) {
      for (int i = 0; i < in; i++) {
        for (int k = 0; k < targetRank; k++) {
          target[o * in + i] += (double) tb[o * targetRank + k] * ta[k * in + i];
        }
      }
    }
    MicroLora lora = MicroLora.builder(in, out).rank(rank).seed(32).build();
    float[] initialA = lora.a().clone();
    Optimizer optimizer =
        which.equals("adam") ? Optimizer.adam(0.01f) : Optimizer.sgd(0.05f, 0.9f);
    LoraTrainer trainer = LoraTrainer.builder(lora).optimizer(optimizer).maxGradientNorm(10f).build();

    float[] xs = new float[batch * in];
    float[] dys = new float[batch * out];
    float[] ys = new float[batch * out];
    double first = Double.NaN;
    double last = Double.NaN;
    int steps = 1500;
    for (int s = 0; s < steps; s++) {
      if (s == 1000) {
        trainer.setLearningRate(optimizer.learningRate() / 10);
      }
      for (int i = 0; i < xs.length; i++) {
        xs[i] = (float) r.nextGaussian();
      }
      Arrays.fill(ys, 0f);
      lora.forwardBatch(xs, 0, ys, 0, batch);
      double loss = 0;
      for (int b = 0; b < batch; b++) {
        for (int o = 0; o < out; o++) {
          double t = 0;
          for (int i = 0; i < in; i++) {
            t += target[o * in + i] * xs[b * in + i];
          }
          double d = ys[b * out + o] - t;
          dys[b * out + o] = (float) d;
          loss += 0.5 * d * d / batch;
        }
      }
      if (s == 0) {
        first = loss;
      }
      last = loss;
      trainer.accumulateBatch(xs, 0, dys, 0, batch);
      trainer.step();
    }
    assertTrue(last < first * 1e-6, which + ": loss went from " + first + " to " + last);
    assertTrue(norm(lora.bt()) > 1, "B moved from zero");
    float[] movedA = lora.a().clone();
    for (int i = 0; i < movedA.length; i++) {
      movedA[i] -= initialA[i];
    }
    assertTrue(norm(movedA) > 0.1 * norm(initialA), "A moved: " + norm(movedA));
  }

  // ---------------------------------------------------------------------------------------------
  // Learning signals.

  @Test
  void positiveRewardMovesTheOutputTowardTheDirection() {
    RandomSource r = RandomSource.seeded(41);
    for (float reward : new float[] {1f, -1f, 0.5f}) {
      for (boolean freshB : new boolean[] {true, false}) {
        MicroLora lora = freshB
            ? MicroLora.builder(20, 12).rank(3).seed(42).build()
            : randomAdapter(r, 20, 12, 3);
        float[] x = gaussian(r, 20, 1);
        float[] direction = gaussian(r, 12, 1);
        double before = dot(direction, forward(lora, x, new float[12]));
        LoraTrainer trainer = sgd(lora, 0.01f);
        trainer.reinforce(x, direction, reward);
        trainer.step();
        double after = dot(direction, forward(lora, x, new float[12]));
        assertTrue(Math.signum(after - before) == Math.signum(reward),
            "reward " + reward + ": <direction, y> went from " + before + " to " + after);
      }
    }
  }

  @Test
  void reinforceIsAccumulateWithMinusRewardTimesDirection() {
    RandomSource r = RandomSource.seeded(43);
    MicroLora one = randomAdapter(r, 16, 10, 2);
    MicroLora two = one.snapshot();
    float[] x = gaussian(r, 16, 1);
    float[] direction = gaussian(r, 10, 1);
    LoraTrainer t1 = sgd(one, 0.1f);
    t1.reinforce(x, direction, 2.5f);
    LoraTrainer t2 = sgd(two, 0.1f);
    float[] dy = direction.clone();
    for (int o = 0; o < dy.length; o++) {
      dy[o] *= -2.5f;
    }
    t2.accumulate(x, dy);
    float[] gA1 = new float[32], gB1 = new float[20], gA2 = new float[32], gB2 = new float[20];
    t1.copyGradients(gA1, gB1);
    t2.copyGradients(gA2, gB2);
    for (int i = 0; i < gA1.length; i++) {
      assertEquals(gA2[i], gA1[i], 1e-6f * (1 + Math.abs(gA2[i])));
    }
    for (int i = 0; i < gB1.length; i++) {
      assertEquals(gB2[i], gB1[i], 1e-6f * (1 + Math.abs(gB2[i])));
    }
    assertThrows(IllegalArgumentException.class, () -> t1.reinforce(x, direction, Float.NaN));
  }

  static double dot(float[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  // ---------------------------------------------------------------------------------------------
  // Failures.

  @Test
  void nonFiniteGradientIsRejectedWithoutTouchingTheWeights() {
    RandomSource r = RandomSource.seeded(51);
    MicroLora lora = randomAdapter(r, 8, 4, 2);
    float[] a = lora.a().clone(), bt = lora.bt().clone();
    LoraTrainer trainer = LoraTrainer.builder(lora).optimizer(Optimizer.adam(0.1f)).build();
    float[] x = gaussian(r, 8, 1);
    x[3] = Float.NaN;
    trainer.accumulate(x, gaussian(r, 4, 1));
    assertTrue(Float.isNaN(trainer.step()));
    assertArrayEquals(a, lora.a());
    assertArrayEquals(bt, lora.bt());
    assertEquals(0, trainer.steps());
    assertEquals(0, trainer.pendingSamples());

    float[] huge = new float[4];
    Arrays.fill(huge, 3e38f);
    trainer.accumulate(gaussian(r, 8, 1e3), huge);
    trainer.accumulate(gaussian(r, 8, 1e3), huge);
    assertFalse(Float.isFinite(trainer.step()), "an overflowing gradient is not finite either");
    assertArrayEquals(a, lora.a());

    trainer.setGradients(new float[16], new float[8]);
    assertEquals(0f, trainer.step(), "a zero gradient is a valid step");
    assertEquals(1, trainer.steps());
  }

  @Test
  void validatesArguments() {
    MicroLora lora = MicroLora.builder(8, 4).rank(2).seed(1).build();
    var e = assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(0f));
    assertTrue(e.getMessage().contains("learningRate must be finite and > 0, was 0.0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(Float.NaN));
    e = assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(0.1f, 1f));
    assertTrue(e.getMessage().contains("momentum must be in [0, 1), was 1.0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(0.1f).withNesterov());
    assertThrows(IllegalArgumentException.class, () -> Optimizer.adam(1e-3f).withBetas(0.9f, 1f));
    assertThrows(IllegalArgumentException.class, () -> Optimizer.adam(1e-3f).withEpsilon(0f));
    assertThrows(IllegalArgumentException.class, () -> Optimizer.adamW(1e-3f, -1f));
    assertThrows(IllegalArgumentException.class, () -> Optimizer.adam(-1f));
    assertThrows(IllegalStateException.class, () -> LoraTrainer.builder(lora).build());
    assertThrows(IllegalArgumentException.class,
        () -> LoraTrainer.builder(lora).maxGradientNorm(0f));
    assertThrows(IllegalArgumentException.class,
        () -> LoraTrainer.builder(lora).maxGradientNorm(Float.NaN));

    LoraTrainer trainer = sgd(lora, 0.1f);
    e = assertThrows(IllegalArgumentException.class, () -> trainer.accumulate(new float[7], new float[4]));
    assertTrue(e.getMessage().contains("x must have length 8, had 7"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> trainer.accumulate(new float[8], new float[5]));
    assertThrows(IndexOutOfBoundsException.class,
        () -> trainer.accumulate(new float[8], 1, new float[4], 0));
    assertThrows(IndexOutOfBoundsException.class,
        () -> trainer.accumulate(new float[8], 0, new float[4], 0, new float[7], 0));
    assertThrows(IllegalArgumentException.class,
        () -> trainer.accumulateBatch(new float[8], 0, new float[4], 0, -1));
    assertThrows(IndexOutOfBoundsException.class,
        () -> trainer.accumulateBatch(new float[16], 0, new float[4], 0, 2));
    assertThrows(IllegalArgumentException.class, () -> trainer.setGradients(new float[15], new float[8]));
    assertThrows(IllegalArgumentException.class, () -> trainer.setLearningRate(0f));
    assertEquals(0, trainer.pendingSamples(), "failed calls accumulate nothing");
    trainer.setLearningRate(0.5f);
    assertEquals(0.5f, trainer.optimizer().learningRate());
  }

  // ---------------------------------------------------------------------------------------------
  // Concurrency: lock-free forwards on other threads while the trainer steps.

  /**
   * Two threads run the adapter's forward on a fixed input while the main thread trains it with
   * Adam. Each forward records the step counter before and after it; the weights it read are then
   * each from one of the versions in that window (one more, for a step in progress). Interval
   * arithmetic over those versions bounds every output: all outputs must be finite and within those
   * bounds - the Hogwild guarantee of {@link MicroLora}.
   */
  @Test
  void concurrentForwardsSeeFiniteOutputsWithinTheEnvelopeOfTheVersions() throws Exception {
    int in = 64, out = 48, rank = 4, maxSteps = 3000, wanted = 5000;
    RandomSource r = RandomSource.seeded(61);
    MicroLora lora = randomAdapter(r, in, out, rank);
    LoraTrainer trainer = LoraTrainer.builder(lora).optimizer(Optimizer.adam(0.02f)).build();
    float[] probe = gaussian(r, in, 1);
    float[][] versionsA = new float[maxSteps + 1][];
    float[][] versionsBt = new float[maxSteps + 1][];
    versionsA[0] = lora.a().clone();
    versionsBt[0] = lora.bt().clone();
    AtomicInteger version = new AtomicInteger();
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    record Reading(int from, int to, float[] y) {}
    List<List<Reading>> readings = new ArrayList<>();
    List<Thread> readers = new ArrayList<>();
    AtomicInteger slowest = new AtomicInteger();
    for (int t = 0; t < 2; t++) {
      List<Reading> mine = new ArrayList<>();
      readings.add(mine);
      Thread reader = new Thread(() -> {
        while (!done.get()) {
          int from = version.get();
          float[] y = new float[out];
          lora.forward(probe, y);
          mine.add(new Reading(from, version.get(), y));
          if (mine.size() == wanted) {
            slowest.incrementAndGet();
          }
        }
      });
      reader.setUncaughtExceptionHandler((th, ex) -> failure.set(ex));
      readers.add(reader);
      reader.start();
    }
    int steps = 0;
    try {
      float[] x = new float[in];
      float[] dy = new float[out];
      // Train until both readers have made enough readings (and at least 200 steps).
      while (steps < maxSteps && (steps < 200 || slowest.get() < 2)) {
        for (int i = 0; i < in; i++) {
          x[i] = (float) r.nextGaussian();
        }
        for (int o = 0; o < out; o++) {
          dy[o] = (float) r.nextGaussian();
        }
        trainer.accumulate(x, dy);
        trainer.step();
        steps++;
        versionsA[steps] = lora.a().clone(); // only this thread writes: a consistent copy
        versionsBt[steps] = lora.bt().clone();
        version.set(steps);
      }
    } finally {
      done.set(true);
      for (Thread reader : readers) {
        reader.join();
      }
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
    int total = 0;
    for (List<Reading> list : readings) {
      for (Reading reading : list) {
        total++;
        checkWithinEnvelope(reading.y(), reading.from(), Math.min(reading.to() + 1, steps),
            versionsA, versionsBt, probe, lora.scale(), rank, in, out);
      }
    }
    assertTrue(total > 0, "the readers ran");
  }

  private static void checkWithinEnvelope(
      float[] y, int from, int to, float[][] versionsA, float[][] versionsBt, float[] x, float scale,
      int rank, int in, int out) {
    double[] envelopeH = new double[3 * rank];
    for (int k = 0; k < rank; k++) {
      // h_k ranges over the interval sum of a_ki x_i with a_ki in [min, max] over the versions.
      double hLo = 0, hHi = 0, hAbs = 0;
      for (int i = 0; i < in; i++) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int v = from; v <= to; v++) {
          lo = Math.min(lo, versionsA[v][k * in + i]);
          hi = Math.max(hi, versionsA[v][k * in + i]);
        }
        hLo += Math.min(lo * x[i], hi * x[i]);
        hHi += Math.max(lo * x[i], hi * x[i]);
        hAbs += Math.max(Math.abs(lo), Math.abs(hi)) * Math.abs(x[i]);
      }
      envelopeH[k * 3] = hLo;
      envelopeH[k * 3 + 1] = hHi;
      envelopeH[k * 3 + 2] = hAbs;
    }
    for (int o = 0; o < out; o++) {
      assertTrue(Float.isFinite(y[o]), "non-finite output " + y[o]);
      double yLo = 0, yHi = 0, mag = 0;
      for (int k = 0; k < rank; k++) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int v = from; v <= to; v++) {
          lo = Math.min(lo, versionsBt[v][k * out + o]);
          hi = Math.max(hi, versionsBt[v][k * out + o]);
        }
        double hLo = envelopeH[k * 3], hHi = envelopeH[k * 3 + 1];
        double p1 = lo * hLo, p2 = lo * hHi, p3 = hi * hLo, p4 = hi * hHi;
        yLo += scale * Math.min(Math.min(p1, p2), Math.min(p3, p4));
        yHi += scale * Math.max(Math.max(p1, p2), Math.max(p3, p4));
        mag += scale * Math.max(Math.abs(lo), Math.abs(hi)) * envelopeH[k * 3 + 2];
      }
      double tol = 1e-5 * mag + 1e-6; // float rounding of the forward itself
      assertTrue(y[o] >= yLo - tol && y[o] <= yHi + tol,
          "y[" + o + "] = " + y[o] + " outside [" + yLo + ", " + yHi + "] of versions " + from
              + ".." + to);
    }
  }

  static java.util.stream.Stream<Optimizer> optimizers() {
    return java.util.stream.Stream.of(
        Optimizer.sgd(0.05f),
        Optimizer.sgd(0.05f, 0.9f),
        Optimizer.sgd(0.05f, 0.9f).withNesterov(),
        Optimizer.adam(0.01f),
        Optimizer.adamW(0.01f, 0.1f));
  }

  /** The unbuffered online step is exactly accumulate-then-step, and leaves its inputs alone. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("optimizers")
  void updateEqualsAccumulateThenStepBitForBit(Optimizer optimizer) {
    RandomSource r = RandomSource.seeded(77);
    for (int[] shape : new int[][] {{256, 256, 2}, {33, 17, 1}, {100, 64, 5}, {64, 300, 16}}) {
      MicroLora a = randomAdapter(r, shape[0], shape[1], shape[2]);
      MicroLora b = a.snapshot();
      LoraTrainer ta = LoraTrainer.builder(a).optimizer(optimizer).maxGradientNorm(0.5f).build();
      LoraTrainer tb = LoraTrainer.builder(b).optimizer(optimizer).maxGradientNorm(0.5f).build();
      for (int step = 0; step < 6; step++) {
        float[] x = gaussian(r, shape[0] + 3, 1);
        float[] dy = gaussian(r, shape[1] + 2, 1);
        float[] x0 = x.clone(), dy0 = dy.clone();
        if (step == 3) {
          ta.accumulate(x, 3, dy, 2); // one pending sample: update must include it
          tb.accumulate(x, 3, dy, 2);
        }
        float na = ta.update(x, 3, dy, 2);
        tb.accumulate(x, 3, dy, 2);
        float nb = tb.step();
        assertEquals(nb, na, "norm at step " + step + " for " + optimizer);
        assertArrayEquals(x0, x);
        assertArrayEquals(dy0, dy);
        float[] wa = new float[a.rank() * a.inputDim()], wb = wa.clone();
        a.viewA().get(wa);
        b.viewA().get(wb);
        assertArrayEquals(wb, wa, "A after step " + step + " for " + optimizer);
        float[] va = new float[a.rank() * a.outputDim()], vb = va.clone();
        a.viewBTransposed().get(va);
        b.viewBTransposed().get(vb);
        assertArrayEquals(vb, va, "B after step " + step + " for " + optimizer);
        assertEquals(0, ta.pendingSamples());
      }
      assertEquals(tb.steps(), ta.steps());
    }
  }
}
