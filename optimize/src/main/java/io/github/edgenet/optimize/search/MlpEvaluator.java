package io.github.edgenet.optimize.search;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.lora.WeightFormat;
import io.github.edgenet.lora.model.Activation;
import io.github.edgenet.lora.model.Model;
import io.github.edgenet.lora.model.ModelPlan;
import io.github.edgenet.optimize.internal.Training;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A ready {@link Evaluator} for small classifiers built from lora's model layer: it decodes a
 * candidate of {@link #space} into an MLP, trains it briefly from scratch with lora's {@link
 * io.github.edgenet.lora.model.DenseTrainer} (Adam), stores each layer in its chosen {@link
 * WeightFormat}, and measures validation accuracy, weight memory ({@link
 * io.github.edgenet.lora.model.DenseLayer#weightBytes()}, biases included) and the latency of a
 * one-sample forward pass through the real kernels, timed with the given {@link Clock}.
 *
 * <pre>{@code
 * SearchSpace space = MlpEvaluator.space(List.of(1, 2), List.of(16, 32, 64),
 *     List.of(Activation.RELU, Activation.TANH), List.of(WeightFormat.F32, WeightFormat.Q4_0));
 * MlpEvaluator eval = MlpEvaluator.builder(trainX, trainY, validX, validY, 64, 10)
 *     .random(RandomSource.seeded(1)).clock(Clock.system()).epochs(4).build();
 * }</pre>
 *
 * <p><b>Determinism.</b> Initial weights and the shuffling derive from {@code random} and the
 * candidate's {@link Candidate#key()}, so accuracy and memory are functions of the candidate;
 * latency is a measurement (with {@link Clock#system()} it varies from run to run).
 *
 * <p><b>Thread-safety.</b> Thread-safe: each evaluation owns its trainer and plans; the data
 * arrays are read only and must not be changed while a search runs.
 */
public final class MlpEvaluator implements Evaluator {
  /** Dimension name of the number of hidden layers. */
  public static final String DEPTH = "depth";
  /** Dimension name of the hidden activation. */
  public static final String ACTIVATION = "activation";
  /** Dimension name of the output layer's weight format. */
  public static final String OUTPUT_FORMAT = "formatOut";

  private final float[] trainX;
  private final int[] trainY;
  private final float[] validX;
  private final int[] validY;
  private final int inputDim;
  private final int classes;
  private final int epochs;
  private final int batch;
  private final float learningRate;
  private final int latencyRepeats;
  private final RandomSource random;
  private final Clock clock;

  private MlpEvaluator(Builder b) {
    this.trainX = b.trainX;
    this.trainY = b.trainY;
    this.validX = b.validX;
    this.validY = b.validY;
    this.inputDim = b.inputDim;
    this.classes = b.classes;
    this.epochs = b.epochs;
    this.batch = b.batch;
    this.learningRate = b.learningRate;
    this.latencyRepeats = b.latencyRepeats;
    this.random = b.random;
    this.clock = b.clock;
  }

  /**
   * Dimension name of hidden layer {@code l}'s width (from 1).
   *
   * @param l the hidden layer, from 1
   * @return the dimension's name, {@code "width" + l}
   */
  public static String width(int l) {
    return "width" + l;
  }

  /**
   * Dimension name of hidden layer {@code l}'s weight format (from 1).
   *
   * @param l the hidden layer, from 1
   * @return the dimension's name, {@code "format" + l}
   */
  public static String format(int l) {
    return "format" + l;
  }

  /**
   * The space of MLPs this evaluator understands: {@value #DEPTH} (hidden layer counts), {@code
   * width1 ..} and {@code format1 ..} (one per possible hidden layer; those past the depth are
   * ignored), {@value #ACTIVATION}, and {@value #OUTPUT_FORMAT}.
   *
   * @param depths the hidden-layer counts to choose from, each {@code >= 0} (0: a linear
   *     classifier)
   * @param widths the hidden widths to choose from, each {@code >= 1}
   * @param activations the hidden activations to choose from
   * @param formats the weight formats to choose from, for every layer
   * @return the space, with one width and one format dimension per hidden layer of the largest
   *     depth
   * @throws IllegalArgumentException if a list is empty, a depth is negative or a width is {@code < 1}
   */
  public static SearchSpace space(List<Integer> depths, List<Integer> widths,
      List<Activation> activations, List<WeightFormat> formats) {
    int maxDepth = 0;
    for (int d : depths) {
      if (d < 0) {
        throw new IllegalArgumentException("depths must be >= 0, had " + d);
      }
      maxDepth = Math.max(maxDepth, d);
    }
    for (int w : widths) {
      if (w < 1) {
        throw new IllegalArgumentException("widths must be >= 1, had " + w);
      }
    }
    SearchSpace.Builder b = SearchSpace.builder().choice(DEPTH, depths);
    for (int l = 1; l <= maxDepth; l++) {
      b.choice(width(l), widths);
    }
    b.choice(ACTIVATION, activations);
    for (int l = 1; l <= maxDepth; l++) {
      b.choice(format(l), formats);
    }
    return b.choice(OUTPUT_FORMAT, formats).build();
  }

  /**
   * {@code candidate} with the width and format of every hidden layer beyond its depth set to the
   * first choice: two candidates describing the same network become equal, for {@link
   * SearchEngine.Builder#canonical}.
   *
   * @param candidate a candidate of a space made by {@link #space}
   * @return the representative: the same network, unused choices at index 0
   * @throws IllegalArgumentException if the candidate is not of {@link #space}'s shape
   */
  public static Candidate canonical(Candidate candidate) {
    SearchSpace s = candidate.space();
    int depth = candidate.intValue(DEPTH);
    Candidate c = candidate;
    for (int l = depth + 1; s.hasDimension(width(l)); l++) {
      c = c.with(s.dimension(width(l)), 0).with(s.dimension(format(l)), 0);
    }
    return c;
  }

  /**
   * A decoded candidate.
   *
   * @param hiddenWidths the hidden layers' widths (possibly none)
   * @param activation the hidden activation
   * @param formats one weight format per layer, hidden layers then the output layer
   */
  public record Architecture(
      List<Integer> hiddenWidths, Activation activation, List<WeightFormat> formats) {
    /** Copies the lists. */
    public Architecture {
      hiddenWidths = List.copyOf(hiddenWidths);
      formats = List.copyOf(formats);
      Objects.requireNonNull(activation, "activation");
    }
  }

  /**
   * Decodes a candidate of {@link #space}.
   *
   * @param candidate a candidate of a space made by {@link #space}
   * @return the architecture it describes: hidden widths up to its depth, activation, formats
   * @throws IllegalArgumentException if the candidate lacks one of the space's dimensions
   * @throws ClassCastException if a dimension holds values of the wrong type
   */
  public static Architecture decode(Candidate candidate) {
    int depth = candidate.intValue(DEPTH);
    List<Integer> widths = new ArrayList<>();
    List<WeightFormat> formats = new ArrayList<>();
    for (int l = 1; l <= depth; l++) {
      widths.add(candidate.intValue(width(l)));
      formats.add(candidate.value(format(l), WeightFormat.class));
    }
    formats.add(candidate.value(OUTPUT_FORMAT, WeightFormat.class));
    return new Architecture(widths, candidate.value(ACTIVATION, Activation.class), formats);
  }

  /**
   * A builder; the data are {@code n x inputDim} row-major floats and {@code n} labels in {@code
   * [0, classes)}. The arrays are not copied.
   *
   * @param trainX the training inputs, {@code n x inputDim} row-major; read, never changed
   * @param trainY the training labels, {@code n} ints in {@code [0, classes)}
   * @param validX the validation inputs, {@code m x inputDim} row-major; read, never changed
   * @param validY the validation labels, {@code m} ints in {@code [0, classes)}
   * @param inputDim the length of one input, {@code >= 1}
   * @param classes the number of classes, {@code >= 2}
   * @return a builder; a random source and a clock are still required
   * @throws IllegalArgumentException if a size does not match or a set is empty
   */
  public static Builder builder(float[] trainX, int[] trainY, float[] validX, int[] validY,
      int inputDim, int classes) {
    return new Builder(trainX, trainY, validX, validY, inputDim, classes);
  }

  /**
   * Trains the candidate's architecture and stores it in its formats, without measuring.
   *
   * @param candidate a candidate of a space made by {@link #space}
   * @return the trained model with each layer in its chosen format (the same for the same candidate
   *     and random source)
   * @throws IllegalArgumentException if the candidate is not of {@link #space}'s shape
   */
  public Model build(Candidate candidate) {
    Architecture a = decode(candidate);
    Model f32 = Training.trainMlp(trainX, trainY, inputDim, classes, a.hiddenWidths(),
        a.activation(), epochs, batch, learningRate, random.derive(candidate.key()));
    Model.Builder mb = Model.builder(inputDim);
    for (int l = 0; l < f32.layerCount(); l++) {
      mb.dense(f32.layer(l).withFormat(a.formats().get(l)), f32.activation(l));
    }
    return mb.build();
  }

  @Override
  public Evaluation evaluate(Candidate candidate) {
    Model model = build(candidate);
    long memory = 0;
    for (int l = 0; l < model.layerCount(); l++) {
      memory += model.layer(l).weightBytes();
    }
    double accuracy = model.plan(64).accuracy(validX, 0, validY, 0, validY.length);
    return new Evaluation(accuracy, latencyNanos(model), memory);
  }

  /** Median over 5 rounds of the mean time of {@code latencyRepeats} one-sample forwards. */
  private double latencyNanos(Model model) {
    ModelPlan plan = model.plan(1);
    for (int i = 0; i < latencyRepeats; i++) { // warm-up
      plan.forward(validX, (i % validY.length) * inputDim, 1);
    }
    double[] rounds = new double[5];
    for (int r = 0; r < rounds.length; r++) {
      long t0 = clock.nanos();
      for (int i = 0; i < latencyRepeats; i++) {
        plan.forward(validX, (i % validY.length) * inputDim, 1);
      }
      rounds[r] = (double) (clock.nanos() - t0) / latencyRepeats;
    }
    Arrays.sort(rounds);
    return Math.max(0, rounds[2]);
  }

  /**
   * Configures an {@link MlpEvaluator}: {@link #random} and {@link #clock} are required. Defaults:
   * 5 epochs, batch 32, learning rate 0.01, 200 forwards per latency round. Not thread-safe.
   */
  public static final class Builder {
    private final float[] trainX;
    private final int[] trainY;
    private final float[] validX;
    private final int[] validY;
    private final int inputDim;
    private final int classes;
    private int epochs = 5;
    private int batch = 32;
    private float learningRate = 0.01f;
    private int latencyRepeats = 200;
    private RandomSource random;
    private Clock clock;

    private Builder(float[] trainX, int[] trainY, float[] validX, int[] validY, int inputDim,
        int classes) {
      if (inputDim < 1 || classes < 2) {
        throw new IllegalArgumentException(
            "inputDim must be >= 1 and classes >= 2, were " + inputDim + " and " + classes);
      }
      check("train", trainX, trainY, inputDim, classes);
      check("valid", validX, validY, inputDim, classes);
      this.trainX = trainX;
      this.trainY = trainY;
      this.validX = validX;
      this.validY = validY;
      this.inputDim = inputDim;
      this.classes = classes;
    }

    private static void check(String name, float[] x, int[] y, int inputDim, int classes) {
      Objects.requireNonNull(x, name + "X");
      Objects.requireNonNull(y, name + "Y");
      if (y.length == 0 || (long) y.length * inputDim != x.length) {
        throw new IllegalArgumentException(name + "X must hold " + y.length + " x " + inputDim
            + " floats (and the set must not be empty), had " + x.length);
      }
      for (int i = 0; i < y.length; i++) {
        if (y[i] < 0 || y[i] >= classes) {
          throw new IllegalArgumentException(
              name + "Y[" + i + "] must be in [0, " + classes + "), was " + y[i]);
        }
      }
    }

    /**
     * Training epochs per candidate (default 5).
     *
     * @param epochs passes over the training set, {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException if {@code epochs < 1}
     */
    public Builder epochs(int epochs) {
      if (epochs < 1) {
        throw new IllegalArgumentException("epochs must be >= 1, was " + epochs);
      }
      this.epochs = epochs;
      return this;
    }

    /**
     * Training batch size (default 32).
     *
     * @param batch samples per training step, 1 to the training set's size
     * @return this builder
     * @throws IllegalArgumentException if not in {@code [1, training set size]}
     */
    public Builder batch(int batch) {
      if (batch < 1 || batch > trainY.length) {
        throw new IllegalArgumentException(
            "batch must be in [1, " + trainY.length + "], was " + batch);
      }
      this.batch = batch;
      return this;
    }

    /**
     * Adam's learning rate (default 0.01).
     *
     * @param learningRate Adam's step size, finite and {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if not finite and {@code > 0}
     */
    public Builder learningRate(float learningRate) {
      if (!(Float.isFinite(learningRate) && learningRate > 0)) {
        throw new IllegalArgumentException(
            "learningRate must be finite and > 0, was " + learningRate);
      }
      this.learningRate = learningRate;
      return this;
    }

    /**
     * Forward passes per latency round (default 200).
     *
     * @param repeats one-sample forward passes per timed round, {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException if {@code repeats < 1}
     */
    public Builder latencyRepeats(int repeats) {
      if (repeats < 1) {
        throw new IllegalArgumentException("latencyRepeats must be >= 1, was " + repeats);
      }
      this.latencyRepeats = repeats;
      return this;
    }

    /**
     * The seed of every candidate's initialization and shuffling (required).
     *
     * @param random the root of every candidate's stream ({@code random.derive(candidate.key())});
     *     it is never advanced, so evaluations do not depend on their order
     * @return this builder
     */
    public Builder random(RandomSource random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * The clock latency is read from (required), e.g. {@link Clock#system()}.
     *
     * @param clock the clock latency is measured with, in its {@link Clock#nanos()}
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The evaluator.
     *
     * @return a new evaluator; thread-safe
     * @throws IllegalStateException if the random source or the clock is missing
     */
    public MlpEvaluator build() {
      if (random == null) {
        throw new IllegalStateException("a random source is required: call random(...)");
      }
      if (clock == null) {
        throw new IllegalStateException("a clock is required: call clock(...)");
      }
      return new MlpEvaluator(this);
    }
  }
}
