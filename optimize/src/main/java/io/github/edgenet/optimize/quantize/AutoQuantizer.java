package io.github.edgenet.optimize.quantize;

import io.github.edgenet.lora.WeightFormat;
import io.github.edgenet.lora.model.Model;
import io.github.edgenet.lora.model.ModelPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Mixed-precision quantization of a trained f32 {@link Model} under a size budget.
 *
 * <ol>
 *   <li>{@link #analyze}: the base accuracy on a validation set, then for every layer and every
 *       candidate format the score ({@link Metric}: accuracy or minus the cross-entropy) with
 *       <em>only that layer</em> stored in that format (lora's bit-exact ggml Q8_0/Q4_0 blocks):
 *       its sensitivity, {@code drop = base score - score}.
 *   <li>{@link #quantize}: the assignment minimizing the summed drops within the budget ({@link
 *       FormatAssignment#exact}, or the greedy baseline), the quantized model built through
 *       {@link io.github.edgenet.lora.model.DenseLayer#withFormat}, and its accuracy measured:
 *       sensitivities add up only approximately, so the result reports predicted and measured
 *       drops.
 * </ol>
 *
 * <pre>{@code
 * AutoQuantizer q = AutoQuantizer.analyze(model, validX, validY,
 *     List.of(WeightFormat.F32, WeightFormat.Q8_0, WeightFormat.Q4_0), Metric.CROSS_ENTROPY);
 * QuantizationResult r = q.quantize(q.f32Bytes() / 5, Solver.EXACT);   // 20% of f32
 * Model small = r.model();   r.predictedDrop();   r.measuredDrop();   r.accuracyDrop();
 * }</pre>
 *
 * <p>Sizes are {@link io.github.edgenet.lora.model.DenseLayer#weightBytes()} (weights and the f32
 * bias).
 *
 * <p><b>Thread-safety.</b> Immutable after {@link #analyze}; {@link #quantize} may run from several
 * threads (each call builds its own plans).
 */
public final class AutoQuantizer {
  /** What a sensitivity measures; {@code drop = score(f32) - score(perturbed)}. */
  public enum Metric {
    /** Score = fraction of validation samples classified correctly (drop 0.01 = one point). */
    ACCURACY,
    /**
     * Score = minus the mean softmax cross-entropy in nats (drop = loss increase): finer than
     * accuracy, which often does not move at all when one layer is quantized.
     */
    CROSS_ENTROPY
  }

  /** Which solver {@link #quantize} uses. */
  public enum Solver {
    /** {@link FormatAssignment#exact(List, long)}. */
    EXACT,
    /** {@link FormatAssignment#greedy(List, long)}, the baseline. */
    GREEDY
  }

  private final Model model;
  private final float[] validX;
  private final int[] validY;
  private final Metric metric;
  private final double baseScore;
  private final double baseAccuracy;
  private final List<List<Option<WeightFormat>>> options;

  private AutoQuantizer(Model model, float[] validX, int[] validY, Metric metric,
      double baseScore, List<List<Option<WeightFormat>>> options) {
    this.model = model;
    this.validX = validX;
    this.validY = validY;
    this.metric = metric;
    this.baseScore = baseScore;
    this.baseAccuracy = score(model, validX, validY, Metric.ACCURACY);
    this.options = options;
  }

  /**
   * Measures every layer's sensitivity to every format: {@code layers x (formats - 1)} validation
   * passes plus one. The data are {@code n x model.inputDim()} row-major floats and {@code n}
   * labels, not copied.
   *
   * @param model a model whose layers are all f32 and carry no adapter
   * @param validX validation inputs
   * @param validY validation labels in {@code [0, model.outputDim())}
   * @param formats the candidate formats (distinct, at least one)
   * @param metric what a sensitivity measures
   * @return the analysed quantizer
   * @throws IllegalArgumentException if a layer is not f32 or has an adapter, the data do not
   *     match, or {@code formats} is empty or has duplicates
   */
  public static AutoQuantizer analyze(Model model, float[] validX, int[] validY,
      List<WeightFormat> formats, Metric metric) {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(validX, "validX");
    Objects.requireNonNull(validY, "validY");
    Objects.requireNonNull(formats, "formats");
    if (formats.isEmpty() || formats.stream().distinct().count() != formats.size()) {
      throw new IllegalArgumentException("formats must be non-empty and distinct, were " + formats);
    }
    if (validY.length == 0 || (long) validY.length * model.inputDim() != validX.length) {
      throw new IllegalArgumentException("validX must hold " + validY.length + " x "
          + model.inputDim() + " floats (and the set must not be empty), had " + validX.length);
    }
    for (int i = 0; i < validY.length; i++) {
      if (validY[i] < 0 || validY[i] >= model.outputDim()) {
        throw new IllegalArgumentException("validY[" + i + "] must be in [0, "
            + model.outputDim() + "), was " + validY[i]);
      }
    }
    for (int l = 0; l < model.layerCount(); l++) {
      if (model.layer(l).format() != WeightFormat.F32 || model.adapter(l).isPresent()) {
        throw new IllegalArgumentException("layer " + l + " must be f32 without an adapter, was "
            + model.layer(l) + (model.adapter(l).isPresent() ? " with an adapter" : ""));
      }
    }
    double base = score(model, validX, validY, metric);
    List<List<Option<WeightFormat>>> options = new ArrayList<>();
    for (int l = 0; l < model.layerCount(); l++) {
      List<Option<WeightFormat>> layer = new ArrayList<>();
      for (WeightFormat f : formats) {
        List<WeightFormat> only = new ArrayList<>();
        for (int k = 0; k < model.layerCount(); k++) {
          only.add(k == l ? f : WeightFormat.F32);
        }
        double drop = f == WeightFormat.F32 ? 0
            : base - score(build(model, only), validX, validY, metric);
        layer.add(new Option<>(f, model.layer(l).withFormat(f).weightBytes(), drop));
      }
      options.add(List.copyOf(layer));
    }
    return new AutoQuantizer(model, validX, validY, metric, base, List.copyOf(options));
  }

  /**
   * The metric of the sensitivities.
   *
   * @return the metric chosen at {@link #analyze}
   */
  public Metric metric() {
    return metric;
  }

  /**
   * The f32 model's validation score in {@link #metric()} (accuracy, or minus the loss).
   *
   * @return the score of the unquantized model on the validation set
   */
  public double baseScore() {
    return baseScore;
  }

  /**
   * The f32 model's validation accuracy.
   *
   * @return the fraction in {@code [0, 1]} of validation samples the unquantized model classifies
   *     correctly
   */
  public double baseAccuracy() {
    return baseAccuracy;
  }

  /**
   * Bytes of the f32 model (weights and biases of every layer).
   *
   * @return the size in bytes of the unquantized model
   */
  public long f32Bytes() {
    long sum = 0;
    for (int l = 0; l < model.layerCount(); l++) {
      sum += model.layer(l).weightBytes();
    }
    return sum;
  }

  /**
   * The measured options: for each layer, for each format in the given order, size and drop.
   *
   * @return one list per layer (input side first) of one option per format, immutable: the layer's
   *     size in that format and the metric's drop when only that layer is quantized to it
   */
  public List<List<Option<WeightFormat>>> sensitivities() {
    return options;
  }

  /**
   * The best assignment within {@code budgetBytes} by {@code solver}, built and measured.
   *
   * @param budgetBytes the largest total size in bytes of the model's layers, {@code >= 0}
   * @param solver the exact dynamic program or the greedy baseline
   * @return the chosen formats, the quantized model and its measured and predicted drops
   * @throws IllegalArgumentException if no assignment fits the budget
   */
  public QuantizationResult quantize(long budgetBytes, Solver solver) {
    Objects.requireNonNull(solver, "solver");
    Assignment<WeightFormat> a = solver == Solver.EXACT
        ? FormatAssignment.exact(options, budgetBytes)
        : FormatAssignment.greedy(options, budgetBytes);
    return measure(a);
  }

  /**
   * Builds and measures a given assignment (e.g. from {@link FormatAssignment#of}).
   *
   * @param assignment one format per layer, input side first
   * @return the model in those formats with its measured and predicted drops
   * @throws IllegalArgumentException if it has the wrong number of layers
   */
  public QuantizationResult measure(Assignment<WeightFormat> assignment) {
    if (assignment.formats().size() != model.layerCount()) {
      throw new IllegalArgumentException("assignment must have " + model.layerCount()
          + " formats, had " + assignment.formats().size());
    }
    Model q = build(model, assignment.formats());
    return new QuantizationResult(q, assignment, baseScore, score(q, validX, validY, metric),
        baseAccuracy, score(q, validX, validY, Metric.ACCURACY));
  }

  private static Model build(Model f32, List<WeightFormat> formats) {
    Model.Builder b = Model.builder(f32.inputDim());
    for (int l = 0; l < f32.layerCount(); l++) {
      b.dense(f32.layer(l).withFormat(formats.get(l)), f32.activation(l));
    }
    return b.build();
  }

  private static double score(Model m, float[] xs, int[] ys, Metric metric) {
    int batch = Math.min(64, ys.length);
    ModelPlan plan = m.plan(batch);
    if (metric == Metric.ACCURACY) {
      return plan.accuracy(xs, 0, ys, 0, ys.length);
    }
    double total = 0;
    for (int start = 0; start < ys.length; start += batch) {
      int n = Math.min(batch, ys.length - start);
      plan.forward(xs, start * m.inputDim(), n);
      total += (double) plan.loss(ys, start) * n;
    }
    return -total / ys.length;
  }
}
