package io.github.edgenet.lora.model;

import static io.github.edgenet.lora.model.Reference.gaussian;
import static io.github.edgenet.lora.model.Reference.randomAdapter;
import static io.github.edgenet.lora.model.Reference.randomLayer;
import static io.github.edgenet.lora.model.Reference.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.testing.Allocations;
import io.github.edgenet.lora.LoraAdapter;
import io.github.edgenet.lora.Optimizer;
import io.github.edgenet.lora.LoraTrainer;
import io.github.edgenet.lora.MicroLora;
import io.github.edgenet.lora.WeightFormat;
import io.github.edgenet.lora.quant.QuantizedLora;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelPlanTest {

  /** Analytic (float) against numeric (double) gradient: 1e-3 relative plus a small floor. */
  static void assertGradient(double numeric, double analytic, String what) {
    double tol = 2e-5 + 1e-3 * Math.abs(numeric);
    if (Math.abs(numeric - analytic) > tol) {
      throw new AssertionError(what + ": numeric " + numeric + ", analytic " + analytic);
    }
  }

  static LoraTrainer sgd(MicroLora adapter) {
    return LoraTrainer.builder(adapter).optimizer(Optimizer.sgd(0.05f)).build();
  }

  /** Four layers covering every kind of part: f32/Q8_0/Q4_0 bases, trainable and frozen adapters. */
  record Fixture(Model model, LoraTrainer first, LoraTrainer last) {}

  static Fixture fixture(RandomSource r) {
    LoraTrainer first = sgd(randomAdapter(r, 37, 20, 2));
    MicroLora frozenMicro = randomAdapter(r, 20, 9, 2);
    QuantizedLora frozenQuant = QuantizedLora.quantize(randomAdapter(r, 9, 11, 3), WeightFormat.Q8_0);
    LoraTrainer last = sgd(randomAdapter(r, 11, 4, 3));
    Model model = Model.builder(37)
        .dense(randomLayer(r, 37, 20), Activation.RELU, first)
        .dense(randomLayer(r, 20, 9).withFormat(WeightFormat.Q8_0), Activation.TANH, frozenMicro)
        .dense(randomLayer(r, 9, 11).withFormat(WeightFormat.Q4_0), Activation.GELU, frozenQuant)
        .dense(randomLayer(r, 11, 4), Activation.IDENTITY, last)
        .build();
    return new Fixture(model, first, last);
  }

  static int[] labels(RandomSource r, int n, int classes) {
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextInt(classes);
    }
    return y;
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 12, 13})
  void gradientsThroughTheWholePlanMatchFiniteDifferences(long seed) {
    System.out.println("gradient check seed " + seed);
    RandomSource r = RandomSource.seeded(seed);
    Fixture f = fixture(r);
    int batch = 5;
    float[] xs = gaussian(r, batch * 37, 1);
    int[] labels = labels(r, batch, 4);
    Reference ref = new Reference(f.model());
    double[] xd = toDouble(xs);

    ModelPlan plan = f.model().plan(8);
    plan.forward(xs, 0, batch);
    double[] expectedOut = ref.forward(xd, batch);
    for (int s = 0; s < batch; s++) {
      for (int c = 0; c < 4; c++) {
        assertEquals(expectedOut[s * 4 + c], plan.output(s, c), 1e-5 * (1 + Math.abs(expectedOut[s * 4 + c])));
      }
    }
    float loss = plan.loss(labels, 0);
    assertEquals(ref.loss(xd, labels, batch), loss, 1e-5);
    float[] dxs = new float[batch * 37];
    plan.backward(dxs, 0);
    assertEquals(batch, f.first().pendingSamples());
    assertEquals(batch, f.last().pendingSamples());

    checkAdapter(ref, 0, f.first(), xd, labels, batch);
    checkAdapter(ref, 3, f.last(), xd, labels, batch);
    for (int i = 0; i < xd.length; i++) {
      assertGradient(ref.numericGradient(xd, i, xd, labels, batch), dxs[i], "dL/dx[" + i + "]");
    }
  }

  private static void checkAdapter(
      Reference ref, int layer, LoraTrainer trainer, double[] xd, int[] labels, int batch) {
    MicroLora m = trainer.adapter();
    float[] gradA = new float[m.rank() * m.inputDim()];
    float[] gradBt = new float[m.rank() * m.outputDim()];
    trainer.copyGradients(gradA, gradBt);
    double norm = 0;
    for (int i = 0; i < gradA.length; i++) {
      assertGradient(ref.numericGradient(ref.a[layer], i, xd, labels, batch), gradA[i],
          "layer " + layer + " dL/dA[" + i + "]");
      norm += gradA[i] * gradA[i];
    }
    for (int i = 0; i < gradBt.length; i++) {
      assertGradient(ref.numericGradient(ref.bt[layer], i, xd, labels, batch), gradBt[i],
          "layer " + layer + " dL/dBt[" + i + "]");
      norm += gradBt[i] * gradBt[i];
    }
    assertTrue(norm > 1e-8, "gradient of layer " + layer + " should not vanish: " + norm);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {21, 22})
  void baseGradientsOfTheDenseTrainerMatchFiniteDifferences(long seed) {
    System.out.println("base gradient check seed " + seed);
    RandomSource r = RandomSource.seeded(seed);
    DenseTrainer trainer = DenseTrainer.builder(13)
        .layer(8, Activation.TANH)
        .layer(6, Activation.GELU)
        .layer(3, Activation.IDENTITY)
        .optimizer(Optimizer.adam(1e-2f))
        .random(r.split())
        .maxBatch(6)
        .build();
    int batch = 6;
    float[] xs = gaussian(r, batch * 13, 1);
    int[] labels = labels(r, batch, 3);
    double[] xd = toDouble(xs);
    float loss = trainer.computeGradients(xs, 0, labels, 0, batch);
    Reference ref = new Reference(trainer.freeze());
    assertEquals(ref.loss(xd, labels, batch), loss, 1e-5);
    for (int l = 0; l < 3; l++) {
      float[] gw = trainer.weightGradient(l);
      for (int i = 0; i < gw.length; i++) {
        assertGradient(ref.numericGradient(ref.w[l], i, xd, labels, batch), gw[i], "dW" + l + "[" + i + "]");
      }
      float[] gb = trainer.biasGradient(l);
      for (int i = 0; i < gb.length; i++) {
        assertGradient(ref.numericGradient(ref.b[l], i, xd, labels, batch), gb[i], "db" + l + "[" + i + "]");
      }
    }
  }

  @Test
  void denseTrainerLearnsASeparableProblemAndFreezesACopy() {
    RandomSource r = RandomSource.seeded(5);
    int n = 64;
    float[] xs = gaussian(r, n * 4, 1);
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = xs[i * 4] + xs[i * 4 + 1] > 0 ? 1 : 0;
    }
    for (Optimizer opt : new Optimizer[] {
        Optimizer.adam(0.05f), Optimizer.sgd(0.5f), Optimizer.sgd(0.2f, 0.9f).withNesterov()}) {
      DenseTrainer trainer = DenseTrainer.builder(4)
          .layer(8, Activation.RELU)
          .layer(2, Activation.IDENTITY)
          .optimizer(opt)
          .random(RandomSource.seeded(9))
          .build();
      float first = trainer.trainBatch(xs, 0, labels, 0, 32);
      float last = first;
      for (int step = 0; step < 200; step++) {
        last = trainer.trainBatch(xs, (step % 2) * 32 * 4, labels, (step % 2) * 32, 32);
      }
      assertTrue(last < 0.5f * first, opt + ": loss " + first + " -> " + last);
      assertTrue(trainer.accuracy(xs, 0, labels, 0, n) >= 0.9, opt + " accuracy");
      Model frozen = trainer.freeze();
      float[] before = frozen.layer(0).copyWeights();
      trainer.trainBatch(xs, 0, labels, 0, 32);
      assertArrayEquals(before, frozen.layer(0).copyWeights(), "freeze() must copy");
    }
  }

  @Test
  void frozenBaseIsBitIdenticalAfterAdapterTraining() {
    RandomSource r = RandomSource.seeded(3);
    Fixture f = fixture(r);
    Model model = f.model();
    float[][] weights = new float[4][];
    float[][] biases = new float[4][];
    byte[][] ggml = new byte[4][];
    for (int l = 0; l < 4; l++) {
      weights[l] = model.layer(l).copyWeights();
      biases[l] = model.layer(l).copyBias();
      if (model.layer(l).format() != WeightFormat.F32) {
        ggml[l] = model.layer(l).quantizedWeights().toGgml();
      }
    }
    MicroLora frozenAdapter = (MicroLora) model.adapter(1).orElseThrow();
    float[] frozenA = toArray(frozenAdapter.viewA());
    float[] frozenBt = toArray(frozenAdapter.viewBTransposed());
    float[] trainedBt = toArray(f.last().adapter().viewBTransposed());

    ModelPlan plan = model.plan(16);
    float[] xs = gaussian(r, 16 * 37, 1);
    int[] labels = labels(r, 16, 4);
    for (int step = 0; step < 30; step++) {
      plan.trainBatch(xs, 0, labels, 0, 1 + step % 16);
    }
    for (int l = 0; l < 4; l++) {
      assertArrayEquals(weights[l], model.layer(l).copyWeights(), "layer " + l + " weights");
      assertArrayEquals(biases[l], model.layer(l).copyBias(), "layer " + l + " bias");
      if (ggml[l] != null) {
        assertArrayEquals(ggml[l], model.layer(l).quantizedWeights().toGgml(), "layer " + l + " blocks");
      }
    }
    assertArrayEquals(frozenA, toArray(frozenAdapter.viewA()), "inference-only adapter A");
    assertArrayEquals(frozenBt, toArray(frozenAdapter.viewBTransposed()), "inference-only adapter Bt");
    assertTrue(!Arrays.equals(trainedBt, toArray(f.last().adapter().viewBTransposed())),
        "the trainable adapter should have moved");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Q8_0", "Q4_0"})
  void quantizedBaseMatchesF32OverDequantizedWeights(String formatName) {
    WeightFormat format = WeightFormat.valueOf(formatName);
    RandomSource r = RandomSource.seeded(17);
    int[] dims = {70, 33, 64, 10};
    Model.Builder qb = Model.builder(dims[0]);
    Model.Builder fb = Model.builder(dims[0]);
    for (int l = 0; l < 3; l++) {
      DenseLayer q = randomLayer(r, dims[l], dims[l + 1]).withFormat(format);
      DenseLayer f = DenseLayer.of(dims[l], dims[l + 1], q.copyWeights(), q.copyBias());
      Activation act = l == 2 ? Activation.IDENTITY : Activation.GELU;
      qb.dense(q, act);
      fb.dense(f, act);
    }
    Model quantized = qb.build();
    Model f32 = fb.build();
    int batch = 9;
    float[] xs = gaussian(r, batch * dims[0], 1);
    int[] labels = labels(r, batch, 10);
    ModelPlan qp = quantized.plan(batch);
    ModelPlan fp = f32.plan(batch);
    qp.forward(xs, 0, batch);
    fp.forward(xs, 0, batch);
    float[] qo = new float[batch * 10];
    float[] fo = new float[batch * 10];
    qp.copyOutputs(qo, 0);
    fp.copyOutputs(fo, 0);
    assertRelativeClose(fo, qo, 1e-5, "outputs");
    qp.loss(labels, 0);
    fp.loss(labels, 0);
    float[] qdx = new float[batch * dims[0]];
    float[] fdx = new float[batch * dims[0]];
    qp.backward(qdx, 0);
    fp.backward(fdx, 0);
    assertRelativeClose(fdx, qdx, 1e-5, "dL/dx");
  }

  /** Per row: |a - b| <= tol * (|row of expected|_inf + 1e-3). */
  static void assertRelativeClose(float[] expected, float[] actual, double tol, String what) {
    double scale = 0;
    for (float v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < expected.length; i++) {
      double err = Math.abs(expected[i] - actual[i]);
      if (err > tol * scale) {
        throw new AssertionError(what + "[" + i + "]: " + expected[i] + " vs " + actual[i]
            + " (relative to max " + scale + ": " + err / scale + ")");
      }
    }
  }

  @Test
  void onePlanServesEveryBatchSizeUpToItsMaximum() {
    RandomSource r = RandomSource.seeded(23);
    Fixture f = fixture(r);
    ModelPlan big = f.model().plan(16);
    ModelPlan one = f.model().plan(1);
    float[] xs = gaussian(r, 16 * 37, 1);
    int[] labels = labels(r, 16, 4);
    for (int batch : new int[] {16, 1, 7, 16, 3, 12}) {
      int offset = (16 - batch) * 37;
      big.forward(xs, offset, batch);
      assertEquals(batch, big.batchSize());
      float[] out = new float[batch * 4];
      big.copyOutputs(out, 0);
      int[] predicted = new int[batch];
      big.predict(predicted, 0);
      float[] single = new float[4];
      for (int s = 0; s < batch; s++) {
        one.forward(xs, offset + s * 37, 1);
        one.copyOutputs(single, 0);
        for (int c = 0; c < 4; c++) {
          assertEquals(single[c], out[s * 4 + c], 1e-5f * (1 + Math.abs(single[c])), "batch " + batch);
        }
        int[] p = new int[1];
        one.predict(p, 0);
        assertEquals(p[0], predicted[s]);
      }
      // The gradient of a smaller batch after a larger one carries nothing stale.
      big.loss(labels, 16 - batch);
      float[] dx = new float[batch * 37];
      big.backward(dx, 0);
      ModelPlan fresh = f.model().plan(batch);
      fresh.forward(xs, offset, batch);
      fresh.loss(labels, 16 - batch);
      float[] dxFresh = new float[batch * 37];
      fresh.backward(dxFresh, 0);
      assertArrayEquals(dxFresh, dx, "dL/dx of batch " + batch);
      f.first().zeroGradients();
      f.last().zeroGradients();
    }
    double acc = big.accuracy(xs, 0, labels, 0, 16);
    int correct = 0;
    big.forward(xs, 0, 16);
    correct = big.countCorrect(labels, 0);
    assertEquals(correct / 16.0, acc, 1e-12);
    ModelPlan three = f.model().plan(3); // accuracy over 16 samples in chunks of 3
    assertEquals(acc, three.accuracy(xs, 0, labels, 0, 16), 1e-12);
  }

  /**
   * Zero allocation per batch, and the same results before and after compilation, measured in a
   * child JVM that runs {@link PlanAllocationProbe}, once with the scalar kernels (there every byte
   * allocated would be the model layer's or the trainer's) and once with the Panama kernels (there a
   * byte would also be the Vector API's boxing fallback in a kernel C2 failed to intrinsify; core's
   * CompiledKernelsTest checks each kernel alone, this checks them inside the plan's call sites).
   */
  @Test
  void batchesAllocateNothingAndKeepTheirBits() throws Exception {
    Allocations.assumeSupported();
    String scalar = runProbe("-Dedgenet.vector.forceScalar=true");
    System.out.println("scalar kernels: " + scalar);
    assertTrue(scalar.startsWith("allocated=0 kernels=scalar"), scalar);
    assertSameBitsColdAndHot(scalar);
    String panama = runProbe("--add-modules=jdk.incubator.vector");
    System.out.println("Panama kernels: " + panama);
    assertTrue(panama.startsWith("allocated=0 kernels=Panama"), panama);
    assertSameBitsColdAndHot(panama);
  }

  /**
   * The probe's round gave the same results interpreted (its first run) as compiled (after the
   * warm-up): the model layer, its activations and the kernels under it are deterministic on every
   * JIT tier, which seeded simulations of learning nodes rely on.
   */
  private static void assertSameBitsColdAndHot(String probeLine) {
    Matcher m = Pattern.compile("cold=(\\w+) hot=(\\w+)").matcher(probeLine);
    assertTrue(m.find(), probeLine);
    assertEquals(m.group(1), m.group(2), "digest of one round, interpreted vs compiled: " + probeLine);
  }

  /** Runs the probe in a child JVM with the test's module path, class path and test classes. */
  private static String runProbe(String flag) throws Exception {
    String javaCommand = ProcessHandle.current().info().command().orElseThrow();
    String modulePath = System.getProperty("jdk.module.path");
    assumeTrue(modulePath != null, "tests are not running on the module path");
    String testClasses = Path.of(
        PlanAllocationProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    // The shared test helpers (core's test jar) are on the class path: the module reads it.
    Process p = new ProcessBuilder(javaCommand, flag, "-XX:+UseParallelGC",
        "--module-path", modulePath,
        "--class-path", System.getProperty("java.class.path"),
        "--patch-module", "io.github.edgenet.lora=" + testClasses,
        "--add-reads", "io.github.edgenet.lora=ALL-UNNAMED",
        "-m", "io.github.edgenet.lora/" + PlanAllocationProbe.class.getName(), "500", "100", "10")
        .redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out.lines().filter(l -> l.startsWith("allocated=")).findFirst()
        .orElseThrow(() -> new AssertionError("no result from the probe: " + out));
  }

  @Test
  void backwardStopsAtTheLowestTrainerUnlessTheInputGradientIsAsked() {
    RandomSource r = RandomSource.seeded(31);
    LoraAdapter opaque = new OpaqueAdapter(randomAdapter(r, 6, 5, 2));
    LoraTrainer trainer = sgd(randomAdapter(r, 5, 3, 2));
    Model model = Model.builder(6)
        .dense(randomLayer(r, 6, 5), Activation.TANH, opaque)
        .dense(randomLayer(r, 5, 3), Activation.IDENTITY, trainer)
        .build();
    ModelPlan plan = model.plan(4);
    float[] xs = gaussian(r, 4 * 6, 1);
    int[] labels = {0, 1, 2, 0};
    plan.forward(xs, 0, 4);
    plan.loss(labels, 0);
    float[] dx = new float[24];
    Arrays.fill(dx, 7f);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> plan.backward(dx, 0));
    assertTrue(e.getMessage().contains("layer 0"), e.getMessage());
    assertEquals(0, trainer.pendingSamples(), "nothing accumulated");
    assertTrue(allEqual(dx, 7f), "nothing written");
    plan.backward(); // the loss is still pending, and the opaque adapter is below the trainer
    assertEquals(4, trainer.pendingSamples());
    trainer.step();
  }

  @Test
  void orderOfPassesIsEnforced() {
    RandomSource r = RandomSource.seeded(37);
    Fixture f = fixture(r);
    ModelPlan plan = f.model().plan(4);
    float[] xs = gaussian(r, 4 * 37, 1);
    int[] labels = {0, 1, 2, 3};
    assertThrows(IllegalStateException.class, () -> plan.loss(labels, 0));
    assertThrows(IllegalStateException.class, plan::backward);
    assertThrows(IllegalStateException.class, () -> plan.output(0, 0));
    assertThrows(IllegalStateException.class, () -> plan.predict(new int[4], 0));
    plan.forward(xs, 0, 4);
    assertThrows(IllegalStateException.class, plan::backward);
    plan.loss(labels, 0);
    plan.backward();
    IllegalStateException twice = assertThrows(IllegalStateException.class, plan::backward);
    assertTrue(twice.getMessage().contains("one backward"), twice.getMessage());
    assertEquals(4, f.first().pendingSamples(), "the batch counted once");
    Model untrained = f.model().base();
    assertThrows(IllegalStateException.class,
        () -> untrained.plan(4).trainBatch(xs, 0, labels, 0, 4));
  }

  @Test
  void badArgumentsAreRejectedWithTheirValues() {
    RandomSource r = RandomSource.seeded(41);
    Fixture f = fixture(r);
    ModelPlan plan = f.model().plan(4);
    float[] xs = gaussian(r, 4 * 37, 1);
    assertMessage(IllegalArgumentException.class, "was 0", () -> f.model().plan(0));
    assertMessage(IllegalArgumentException.class, "was 0", () -> plan.forward(xs, 0, 0));
    assertMessage(IllegalArgumentException.class, "was 5", () -> plan.forward(new float[5 * 37], 0, 5));
    assertThrows(IndexOutOfBoundsException.class, () -> plan.forward(xs, 1, 4));
    plan.forward(xs, 0, 4);
    assertMessage(IllegalArgumentException.class, "labels[2] must be in [0, 4), was 4",
        () -> plan.loss(new int[] {0, 1, 4, 0}, 0));
    assertMessage(IllegalArgumentException.class, "was -1",
        () -> plan.trainBatch(xs, 0, new int[] {0, -1, 0, 0}, 0, 4));
    assertEquals(0, f.first().pendingSamples(), "a rejected batch trains nothing");
    assertThrows(IndexOutOfBoundsException.class, () -> plan.loss(new int[3], 0));
    plan.loss(new int[4], 0);
    assertThrows(IndexOutOfBoundsException.class, () -> plan.backward(new float[10], 0));
    assertThrows(IndexOutOfBoundsException.class, () -> plan.output(4, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> plan.copyOutputs(new float[15], 0));
    assertMessage(IllegalArgumentException.class, "was 0", () -> plan.accuracy(xs, 0, new int[4], 0, 0));

    DenseLayer l37x20 = randomLayer(r, 37, 20);
    assertMessage(IllegalArgumentException.class, "inputDim 20, had 37",
        () -> Model.builder(37).dense(l37x20, Activation.RELU).dense(l37x20, Activation.RELU));
    assertMessage(IllegalArgumentException.class, "must be 37->20, was 37->21",
        () -> Model.builder(37).dense(l37x20, Activation.RELU, randomAdapter(r, 37, 21, 2)));
    assertMessage(IllegalArgumentException.class, "already used by layer 0",
        () -> Model.builder(37).dense(l37x20, Activation.RELU, f.first())
            .dense(randomLayer(r, 20, 37), Activation.RELU)
            .dense(l37x20, Activation.RELU, f.first()));
    assertMessage(IllegalStateException.class, "at least one layer", () -> Model.builder(3).build());
    assertMessage(IllegalArgumentException.class, "was 0", () -> Model.builder(0));

    assertMessage(IllegalArgumentException.class, "weights must have 6 elements, had 5",
        () -> DenseLayer.of(2, 3, new float[5]));
    assertMessage(IllegalArgumentException.class, "bias[1] is not finite: NaN",
        () -> DenseLayer.of(2, 3, new float[6], new float[] {0, Float.NaN, 0}));
    assertMessage(IllegalArgumentException.class, "were 0 and 3", () -> DenseLayer.of(0, 3, new float[0]));
    DenseLayer q8 = l37x20.withFormat(WeightFormat.Q8_0);
    assertMessage(IllegalArgumentException.class, "cannot convert Q8_0 to Q4_0",
        () -> q8.withFormat(WeightFormat.Q4_0));
    assertMessage(IllegalStateException.class, "weights are Q8_0", q8::viewWeights);
    assertMessage(IllegalStateException.class, "weights are Q8_0", q8::segmentWeights);
    assertMessage(IllegalStateException.class, "weights are F32", l37x20::quantizedWeights);

    assertMessage(IllegalStateException.class, "optimizer",
        () -> DenseTrainer.builder(3).layer(2, Activation.IDENTITY).random(r).build());
    assertMessage(IllegalStateException.class, "random",
        () -> DenseTrainer.builder(3).layer(2, Activation.IDENTITY).optimizer(Optimizer.sgd(0.1f)).build());
    assertMessage(IllegalStateException.class, "at least one layer",
        () -> DenseTrainer.builder(3).optimizer(Optimizer.sgd(0.1f)).random(r).build());
    assertMessage(IllegalArgumentException.class, "was 0", () -> DenseTrainer.builder(3).layer(0, Activation.RELU));
    DenseTrainer trainer = DenseTrainer.builder(3).layer(2, Activation.IDENTITY)
        .optimizer(Optimizer.sgd(0.1f)).random(r).maxBatch(2).build();
    assertMessage(IllegalArgumentException.class, "was 3",
        () -> trainer.trainBatch(new float[9], 0, new int[3], 0, 3));
    assertMessage(IllegalArgumentException.class, "labels[0] must be in [0, 2), was 2",
        () -> trainer.trainBatch(new float[6], 0, new int[] {2, 0}, 0, 2));
    assertEquals(0, trainer.steps());

    assertMessage(IllegalArgumentException.class, "classes must be >= 1, was 0",
        () -> SoftmaxCrossEntropy.loss(new float[4], 0, 0, new int[1], 0, 1));
  }

  @Test
  void viewsAreReadOnlyAndZeroCopy() {
    RandomSource r = RandomSource.seeded(43);
    DenseLayer layer = randomLayer(r, 5, 3);
    float[] w = layer.copyWeights();
    var view = layer.viewWeights();
    assertTrue(view.isReadOnly());
    assertEquals(15, view.remaining());
    for (int i = 0; i < 15; i++) {
      assertEquals(w[i], view.get(i));
    }
    var segment = layer.segmentWeights();
    assertTrue(segment.isReadOnly());
    assertEquals(15 * 4, segment.byteSize());
    assertEquals(w[7], segment.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, 7));
    assertThrows(RuntimeException.class,
        () -> segment.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, 0, 1f));
    assertThrows(java.nio.ReadOnlyBufferException.class, () -> view.put(0, 1f));
    assertTrue(layer.viewBias().isReadOnly());
    assertEquals(12, layer.segmentBias().byteSize());
    assertEquals(layer.weightBytes(), 15 * 4 + 3 * 4);
    DenseLayer q = randomLayer(r, 64, 2).withFormat(WeightFormat.Q4_0);
    assertEquals(2 * 2 * 18 + 2 * 4, q.weightBytes());
    assertEquals(WeightFormat.F32, q.withFormat(WeightFormat.F32).format());
  }

  @Test
  void softmaxCrossEntropyIsStableForLargeLogits() {
    float[] logits = {1000f, -1000f, 999f, 3e30f, 3e30f, -3e30f};
    int[] labels = {2, 1};
    float[] grad = new float[6];
    float loss = SoftmaxCrossEntropy.lossAndGradient(logits, 0, 3, labels, 0, 2, grad, 0);
    double l0 = 1 + Math.log(1 + Math.exp(-1)); // label 2 is one below the max
    double l1 = Math.log(2); // label 1 ties the max with another class
    assertEquals((l0 + l1) / 2, loss, 1e-6);
    double p0 = 1 / (1 + Math.exp(-1));
    assertArrayEquals(new float[] {(float) p0, 0f, (float) (1 - p0 - 1), 0.5f, -0.5f, 0f}, grad, 1e-6f);
    // In place over the logits.
    SoftmaxCrossEntropy.lossAndGradient(logits, 0, 3, labels, 0, 2, logits, 0);
    assertArrayEquals(grad, logits, 0f);
  }

  @Test
  void activationDerivativesMatchFiniteDifferences() {
    for (Activation f : Activation.values()) {
      for (double z = -3.1; z < 3; z += 0.37) {
        double h = 1e-3;
        double numeric = (Reference.activate(f, z + h) - Reference.activate(f, z - h)) / (2 * h);
        assertEquals(numeric, f.derivative((float) z), 1e-4, f + " at " + z);
        assertEquals(Reference.activate(f, z), f.apply((float) z), 1e-6, f + " at " + z);
      }
    }
  }

  static boolean allEqual(float[] v, float value) {
    for (float x : v) {
      if (x != value) {
        return false;
      }
    }
    return true;
  }

  static float[] toArray(java.nio.FloatBuffer view) {
    float[] out = new float[view.remaining()];
    view.get(0, out);
    return out;
  }

  static void assertMessage(Class<? extends Throwable> type, String fragment,
      org.junit.jupiter.api.function.Executable call) {
    Throwable t = assertThrows(type, call);
    assertTrue(t.getMessage() != null && t.getMessage().contains(fragment),
        "message should contain '" + fragment + "': " + t.getMessage());
  }

  /** An adapter type the plan does not know how to differentiate. */
  record OpaqueAdapter(MicroLora inner) implements LoraAdapter {
    @Override
    public int inputDim() {
      return inner.inputDim();
    }

    @Override
    public int outputDim() {
      return inner.outputDim();
    }

    @Override
    public int rank() {
      return inner.rank();
    }

    @Override
    public float scale() {
      return inner.scale();
    }

    @Override
    public WeightFormat format() {
      return inner.format();
    }

    @Override
    public long weightBytes() {
      return inner.weightBytes();
    }

    @Override
    public void forward(float[] x, int xOffset, float[] y, int yOffset) {
      inner.forward(x, xOffset, y, yOffset);
    }

    @Override
    public void forwardBatch(float[] xs, int xsOffset, float[] ys, int ysOffset, int batch) {
      inner.forwardBatch(xs, xsOffset, ys, ysOffset, batch);
    }

    @Override
    public float[] deltaWeight() {
      return inner.deltaWeight();
    }
  }
}
