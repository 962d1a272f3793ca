package io.github.edgenet.benchmarks;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.vector.VectorKernels;
import io.github.edgenet.lora.Optimizer;
import io.github.edgenet.lora.LoraTrainer;
import io.github.edgenet.lora.MicroLora;
import io.github.edgenet.lora.WeightFormat;
import io.github.edgenet.lora.model.Activation;
import io.github.edgenet.lora.model.DenseLayer;
import io.github.edgenet.lora.model.Model;
import io.github.edgenet.lora.model.ModelPlan;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The model layer's evaluation plan on the digits-sized classifier of the adaptation test:
 * 64 -> 64 ReLU -> 10, a rank-2 {@link MicroLora} with its trainer on each layer, the frozen base
 * in f32 or Q8_0. SIMD ({@code *Panama}) and scalar ({@code *Scalar}) twins in forked JVMs.
 *
 * <ul>
 *   <li>{@code forward}: {@link ModelPlan#forward} of one batch (logits stay in the plan).
 *   <li>{@code forwardBackward}: forward, {@link ModelPlan#loss}, {@link ModelPlan#backward()}
 *       (adapter gradients accumulated into the trainers), then the trainers' gradients are
 *       discarded so that every call does the same work on the same weights.
 * </ul>
 *
 * <p>Times are per batch; divide by {@code batch} for per-sample cost. Run with {@code -prof gc}:
 * the plan allocates nothing per batch.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class ModelPlanBenchmark {
  static final String VECTOR = "--add-modules=jdk.incubator.vector";
  static final String SCALAR = "-Dedgenet.vector.forceScalar=true";

  @Param({"1", "32"})
  int batch;

  @Param({"F32", "Q8_0"})
  String base;

  ModelPlan plan;
  LoraTrainer hidden;
  LoraTrainer output;
  float[] xs;
  int[] labels;

  @Setup
  public void setUp() {
    boolean expectVector = !Boolean.getBoolean("edgenet.vector.forceScalar");
    if (VectorKernels.isVectorized() != expectVector) {
      throw new IllegalStateException(
          "expected " + (expectVector ? "SIMD" : "scalar") + " kernels, running "
              + VectorKernels.implementationName());
    }
    RandomSource r = RandomSource.seeded(64);
    WeightFormat format = WeightFormat.valueOf(base);
    hidden = trainer(r, 64, 64);
    output = trainer(r, 64, 10);
    Model model = Model.builder(64)
        .dense(layer(r, 64, 64).withFormat(format), Activation.RELU, hidden)
        .dense(layer(r, 64, 10).withFormat(format), Activation.IDENTITY, output)
        .build();
    plan = model.plan(32);
    xs = new float[32 * 64];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = (float) r.nextDouble(); // pixel intensities in [0, 1), like the scaled digits
    }
    labels = new int[32];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = r.nextInt(10);
    }
  }

  private static DenseLayer layer(RandomSource r, int in, int out) {
    float[] w = Benchmarks.gaussian(r, in * out);
    for (int i = 0; i < w.length; i++) {
      w[i] /= (float) Math.sqrt(in);
    }
    return DenseLayer.of(in, out, w, Benchmarks.gaussian(r, out));
  }

  /** A trained-looking adapter (B not zero) with an SGD trainer. */
  private static LoraTrainer trainer(RandomSource r, int in, int out) {
    MicroLora lora = MicroLora.builder(in, out).rank(2).random(r).build();
    MicroLora trained = MicroLora.ofWeights(in, out, 2, lora.alpha(), lora.scaling(),
        toArray(lora.viewA()), Benchmarks.gaussian(r, 2 * out));
    return LoraTrainer.builder(trained).optimizer(Optimizer.sgd(0.01f)).build();
  }

  private static float[] toArray(java.nio.FloatBuffer view) {
    float[] a = new float[view.remaining()];
    view.get(a);
    return a;
  }

  private float forwardOnce() {
    plan.forward(xs, 0, batch);
    return plan.output(batch - 1, 9);
  }

  private float forwardBackwardOnce() {
    plan.forward(xs, 0, batch);
    float loss = plan.loss(labels, 0);
    plan.backward();
    hidden.zeroGradients();
    output.zeroGradients();
    return loss;
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = VECTOR)
  public float forwardPanama() {
    return forwardOnce();
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = SCALAR)
  public float forwardScalar() {
    return forwardOnce();
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = VECTOR)
  public float forwardBackwardPanama() {
    return forwardBackwardOnce();
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = SCALAR)
  public float forwardBackwardScalar() {
    return forwardBackwardOnce();
  }
}
