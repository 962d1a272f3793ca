package io.github.edgenet.lora.model;

import static io.github.edgenet.lora.model.Reference.gaussian;
import static io.github.edgenet.lora.model.Reference.randomAdapter;
import static io.github.edgenet.lora.model.Reference.randomLayer;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.testing.Allocations;
import io.github.edgenet.core.vector.VectorKernels;
import io.github.edgenet.lora.Optimizer;
import io.github.edgenet.lora.LoraTrainer;
import io.github.edgenet.lora.WeightFormat;
import io.github.edgenet.lora.quant.QuantizedLora;

/**
 * Runs every batch operation of the model layer in a loop and prints the bytes the thread
 * allocated in a window of measured rounds, as {@code allocated=<bytes> kernels=<name>}, followed
 * by {@code cold=<digest> hot=<digest>}: a digest of every result of one round run first
 * (interpreted, before any compilation) and of the same round run again on a fresh copy after the
 * warm-up (compiled), which must be equal. Started in its own JVM by
 * {@link ModelPlanTest#batchesAllocateNothingAndKeepTheirBits()}, so that the kernel implementation
 * can be chosen by a system property before anything loads it, and so that the first round really
 * is cold.
 */
public final class PlanAllocationProbe {
  private PlanAllocationProbe() {}

  /**
   * Entry point; arguments: warm-up rounds, rounds per measured window, most windows. Prints the
   * smallest window's count: a one-off event of the JIT (a deoptimization materializing an object,
   * say) must not hide the steady state, while a real per-batch allocation shows in every window.
   */
  public static void main(String[] args) {
    int warmup = Integer.parseInt(args[0]);
    int rounds = Integer.parseInt(args[1]);
    int windows = Integer.parseInt(args[2]);
    Workload cold = workload();
    cold.run();
    Workload work = workload();
    for (int i = 0; i < warmup; i++) {
      work.run();
    }
    long least = Allocations.leastPerWindow(windows, rounds, work);
    Workload hot = workload();
    hot.run();
    System.out.println("allocated=" + least + " kernels=" + VectorKernels.implementationName()
        + " cold=" + Long.toHexString(cold.digest) + " hot=" + Long.toHexString(hot.digest));
  }

  /** A round of batch operations that folds every result it sees into {@link #digest}. */
  abstract static class Workload implements Runnable {
    long digest = 17;

    void mix(float[] values, int count) {
      for (int i = 0; i < count; i++) {
        mix(Float.floatToRawIntBits(values[i]));
      }
    }

    void mix(long bits) {
      digest = digest * 0x9E3779B97F4A7C15L + bits;
    }
  }

  /** Training and inference batches of several sizes over f32, Q8_0 and Q4_0 bases. */
  static Workload workload() {
    RandomSource r = RandomSource.seeded(29);
    LoraTrainer t0 = ModelPlanTest.sgd(randomAdapter(r, 64, 64, 2));
    LoraTrainer t1 = ModelPlanTest.sgd(randomAdapter(r, 64, 10, 2));
    LoraTrainer q0 = ModelPlanTest.sgd(randomAdapter(r, 64, 64, 2));
    LoraTrainer q1 = ModelPlanTest.sgd(randomAdapter(r, 64, 10, 2));
    Model f32 = Model.builder(64)
        .dense(randomLayer(r, 64, 64), Activation.RELU, t0)
        .dense(randomLayer(r, 64, 10), Activation.IDENTITY, t1)
        .build();
    Model quantized = Model.builder(64)
        .dense(randomLayer(r, 64, 64).withFormat(WeightFormat.Q8_0), Activation.GELU, q0)
        .dense(randomLayer(r, 64, 33).withFormat(WeightFormat.Q4_0), Activation.TANH,
            QuantizedLora.quantize(randomAdapter(r, 64, 33, 3), WeightFormat.Q8_0))
        .dense(randomLayer(r, 33, 64), Activation.RELU, randomAdapter(r, 33, 64, 2))
        .dense(randomLayer(r, 64, 10), Activation.IDENTITY, q1)
        .build();
    ModelPlan plan = f32.plan(32);
    ModelPlan qplan = quantized.plan(32);
    DenseTrainer base = DenseTrainer.builder(64)
        .layer(32, Activation.RELU)
        .layer(10, Activation.IDENTITY)
        .optimizer(Optimizer.adam(1e-3f))
        .random(r.split())
        .build();
    float[] xs = gaussian(r, 32 * 64, 1);
    int[] labels = ModelPlanTest.labels(r, 32, 10);
    float[] dx = new float[32 * 64];
    int[] predicted = new int[32];
    int[] sizes = {1, 32, 5};
    ModelPlan[] plans = {plan, qplan};
    LoraTrainer[] trainers = {t0, t1, q0, q1};
    return new Workload() {
      @Override
      public void run() {
        for (int batch : sizes) {
          for (ModelPlan p : plans) {
            mix(Float.floatToRawIntBits(p.trainBatch(xs, 0, labels, 0, batch)));
            p.forward(xs, 0, batch);
            mix(Float.floatToRawIntBits(p.loss(labels, 0)));
            p.backward(dx, 0);
            mix(dx, batch * 64);
            p.predict(predicted, 0);
            mix(p.countCorrect(labels, 0));
            for (LoraTrainer t : trainers) {
              t.zeroGradients();
            }
          }
          mix(Float.floatToRawIntBits(base.trainBatch(xs, 0, labels, 0, batch)));
        }
        mix(Double.doubleToRawLongBits(plan.accuracy(xs, 0, labels, 0, 32)));
        mix(Double.doubleToRawLongBits(base.accuracy(xs, 0, labels, 0, 32)));
      }
    };
  }
}
