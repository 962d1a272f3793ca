package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.learning.ewc.Ewc;
import io.github.edgenet.learning.ewc.FisherEstimator;
import io.github.edgenet.learning.replay.PrioritizedReplayBuffer;
import io.github.edgenet.learning.replay.ReplayBatch;
import io.github.edgenet.lora.LoraAdapter;
import io.github.edgenet.lora.LoraTrainer;
import io.github.edgenet.lora.MicroLora;
import io.github.edgenet.lora.Optimizer;
import io.github.edgenet.swarm.node.LearningConfig;
import io.github.edgenet.swarm.node.TaskObjective;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * One learned task type on one node: the type's shared adapter as a frozen snapshot per version
 * (what executors read), a trainable working copy, its {@link LoraTrainer} with an online {@link
 * Ewc} as regularizer, a {@link PrioritizedReplayBuffer} of recent tasks (priority = loss), and
 * the embedding-shift test that decides when to consolidate.
 *
 * <p>Every node starts a type from the same adapter (its {@code A} seeded from the type's name,
 * {@code B = 0}: an exact no-op), so the type's adapter has one identity across the network: versions are
 * the rounds aggregated into it.
 *
 * <p>{@link #learn} allocates nothing beyond what the trainer does, except the caller's payload
 * kept for replay: the replay ring's sample holders, the scratch vectors and the batch are
 * allocated here once. Consolidation and {@link #apply} allocate (rare events). Not thread-safe:
 * guarded by its {@link CollectiveLearning}'s lock.
 */
final class TypeLearner {
  private static final System.Logger LOG = System.getLogger(TypeLearner.class.getName());

  /** Draws after which the replay's importance exponent reaches 1. */
  static final long REPLAY_BETA_STEPS = 10_000;

  /** One replayable task: a copy of its embedding and its payload. */
  static final class Sample {
    final float[] embedding;
    byte[] payload;

    Sample(int dim) {
      this.embedding = new float[dim];
    }
  }

  /** What this node contributes to a round. */
  record Share(float[] base, float[] params, long samples, double quality) {}

  private final String type;
  private final TaskObjective objective;
  private final LearningConfig config;
  private final int dim;
  private final int rank;
  private final int sizeA;
  private final int paramCount;
  private final MicroLora working;
  private final LoraTrainer trainer;
  private final Ewc ewc;
  private final RandomSource random;
  private final PrioritizedReplayBuffer<Sample> replay;
  private final Sample[] ring;
  private final ReplayBatch<Sample> batch;
  private final float[] adapted;
  private final float[] gradient;
  private long added;

  // the embedding-shift test: per-dimension sums of the current and the previous window
  private final double[] sum;
  private final double[] sumSq;
  private final double[] prevSum;
  private final double[] prevSq;
  private final float[] windowStart;
  private int inWindow;
  private boolean prevFull;
  private int cooldown;
  private double lastShiftStatistic;

  // the shared adapter's frozen version, and the round bookkeeping
  private float[] baseParams;
  private long version;
  private AdapterLearning.Selected current;
  private final float[] sent;
  private boolean hasSent;
  private long samplesSinceShare;
  private double lossSinceShare;

  long trained;
  long skipped;
  long replayed;
  long consolidations;
  double disagreement;

  /**
   * @param type the task type
   * @param objective its training signal
   * @param dim the embedding dimension
   * @param rank the adapter rank
   * @param config learning settings
   * @param random this learner's randomness (replay draws)
   */
  TypeLearner(String type, TaskObjective objective, int dim, int rank, LearningConfig config,
      RandomSource random) {
    this.type = type;
    this.objective = objective;
    this.config = config;
    this.dim = dim;
    this.rank = rank;
    this.sizeA = rank * dim;
    this.paramCount = 2 * rank * dim;
    this.random = random;
    MicroLora initial = initialAdapter(type, dim, rank);
    this.working = initial.snapshot();
    this.ewc = config.ewcLambda() > 0
        ? Ewc.builder(paramCount).lambda(config.ewcLambda()).online(config.ewcGamma()).build()
        : null;
    LoraTrainer.Builder tb = LoraTrainer.builder(working)
        .optimizer(Optimizer.sgd((float) config.learningRate()))
        .maxGradientNorm(config.maxGradientNorm());
    if (ewc != null) {
      tb.regularizer(ewc);
    }
    this.trainer = tb.build();
    int capacity = config.replayCapacity();
    if (capacity > 0) {
      this.replay = PrioritizedReplayBuffer.<Sample>builder(capacity)
          .alpha(config.replayAlpha()).beta(config.replayBeta(), REPLAY_BETA_STEPS).build();
      this.ring = new Sample[capacity];
      for (int i = 0; i < capacity; i++) {
        ring[i] = new Sample(dim);
      }
      this.batch = replay.newBatch(Math.max(1, config.replayBatch()));
    } else {
      this.replay = null;
      this.ring = new Sample[0];
      this.batch = null;
    }
    this.adapted = new float[dim];
    this.gradient = new float[dim];
    this.sum = new double[dim];
    this.sumSq = new double[dim];
    this.prevSum = new double[dim];
    this.prevSq = new double[dim];
    this.windowStart = new float[paramCount];
    this.sent = new float[paramCount];
    this.baseParams = new float[paramCount];
    copyParams(initial, baseParams);
    copyParams(working, windowStart);
    publish(initial, 0);
  }

  /**
   * The adapter every node starts {@code type} from: {@code A} Kaiming-uniform from a seed derived
   * from the type's name (SHA-256), {@code B = 0}.
   */
  static MicroLora initialAdapter(String type, int dim, int rank) {
    byte[] h;
    try {
      h = MessageDigest.getInstance("SHA-256")
          .digest(("edgenet.shared-adapter:" + type).getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
    long seed = 0;
    for (int i = 0; i < 8; i++) {
      seed = seed << 8 | (h[i] & 0xff);
    }
    return MicroLora.builder(dim, dim).rank(rank).random(RandomSource.seeded(seed)).build();
  }

  String type() {
    return type;
  }

  int paramCount() {
    return paramCount;
  }

  long version() {
    return version;
  }

  /** The frozen snapshot executors run with now. */
  AdapterLearning.Selected current() {
    return current;
  }

  /** The trainable copy (for tests and measurements; do not train it from outside). */
  MicroLora working() {
    return working;
  }

  /** EWC anchors held (0 or 1: online EWC). */
  int ewcAnchors() {
    return ewc == null ? 0 : ewc.anchors();
  }

  /** The shift statistic of the last completed window comparison. */
  double lastShiftStatistic() {
    return lastShiftStatistic;
  }

  /**
   * Learns from one executed task: a step on it, then a replayed batch, then the shift test.
   *
   * @param embedding the task embedding (copied)
   * @param payload the task payload (kept for replay; must not change afterwards)
   */
  void learn(float[] embedding, byte[] payload) {
    float loss = evaluate(working, embedding, payload);
    if (Float.isNaN(loss)) {
      skipped++;
      return;
    }
    trainer.update(embedding, gradient);
    trained++;
    samplesSinceShare++;
    lossSinceShare += loss;
    if (replay != null) {
      int slot = (int) (added % ring.length);
      Sample s = ring[slot];
      System.arraycopy(embedding, 0, s.embedding, 0, dim);
      s.payload = payload;
      replay.add(s);
      added++;
      replay.updatePriority(slot, loss);
      for (int k = 0; k < config.replaySteps(); k++) {
        replayStep();
      }
    }
    observeShift(embedding);
  }

  private void replayStep() {
    int n = config.replayBatch();
    if (n == 0 || replay.size() < n) {
      return;
    }
    replay.sample(batch, random);
    for (int k = 0; k < batch.size(); k++) {
      Sample s = batch.item(k);
      float loss = evaluate(working, s.embedding, s.payload); // fresh gradient, current weights
      if (Float.isNaN(loss)) {
        skipped++;
        continue;
      }
      float w = batch.weight(k);
      for (int i = 0; i < dim; i++) {
        gradient[i] *= w;
      }
      trainer.accumulate(s.embedding, gradient);
      replay.updatePriority(batch.slot(k), loss);
      replayed++;
    }
    if (trainer.pendingSamples() > 0) {
      trainer.step();
    }
  }

  /**
   * The objective at {@code adapter} for one task; fills {@link #gradient}.
   *
   * @return the loss, or NaN if the objective gave nothing usable
   */
  private float evaluate(MicroLora adapter, float[] embedding, byte[] payload) {
    System.arraycopy(embedding, 0, adapted, 0, dim);
    adapter.forward(embedding, adapted);
    Arrays.fill(gradient, 0f);
    float loss;
    try {
      loss = objective.loss(payload, adapted, gradient);
    } catch (RuntimeException ex) {
      LOG.log(Level.DEBUG, () -> "objective of " + type + " threw; sample skipped", ex);
      return Float.NaN;
    }
    if (!(loss >= 0 && loss < Float.POSITIVE_INFINITY)) {
      return Float.NaN;
    }
    for (int i = 0; i < dim; i++) {
      if (!Float.isFinite(gradient[i])) {
        return Float.NaN;
      }
    }
    return loss;
  }

  // --- consolidation ------------------------------------------------------------------------

  /**
   * The shift test: two consecutive windows of {@code W} embeddings, the statistic {@code (1/d)
   * sum_j (m1_j - m2_j)^2 / ((v1_j + v2_j) / W + eps)} (a per-dimension two-sample z test on the
   * means, about 1 or less without a shift). Above the threshold, the adapter as it was at the
   * start of the new window is consolidated with the Fisher of the old window's tasks.
   */
  private void observeShift(float[] embedding) {
    for (int i = 0; i < dim; i++) {
      double v = embedding[i];
      sum[i] += v;
      sumSq[i] += v * v;
    }
    if (++inWindow < config.shiftWindow()) {
      return;
    }
    int w = config.shiftWindow();
    if (prevFull) {
      lastShiftStatistic = shiftStatistic(w);
      if (cooldown > 0) {
        cooldown--;
      } else if (lastShiftStatistic > config.shiftThreshold() && ewc != null) {
        consolidate(w);
        cooldown = 1;
      }
    }
    System.arraycopy(sum, 0, prevSum, 0, dim);
    System.arraycopy(sumSq, 0, prevSq, 0, dim);
    Arrays.fill(sum, 0);
    Arrays.fill(sumSq, 0);
    prevFull = true;
    inWindow = 0;
    copyParams(working, windowStart);
  }

  private double shiftStatistic(int w) {
    double meanVar = 0;
    for (int i = 0; i < dim; i++) {
      meanVar += pooledVariance(i, w);
    }
    double eps = 1e-2 * meanVar / dim + 1e-12;
    double z = 0;
    for (int i = 0; i < dim; i++) {
      double d = (prevSum[i] - sum[i]) / w;
      z += d * d / (pooledVariance(i, w) + eps);
    }
    return z / dim;
  }

  private double pooledVariance(int i, int w) {
    double m1 = prevSum[i] / w;
    double m2 = sum[i] / w;
    double v1 = Math.max(0, prevSq[i] / w - m1 * m1);
    double v2 = Math.max(0, sumSq[i] / w - m2 * m2);
    return (v1 + v2) / w;
  }

  /** Online EWC: anchor = the adapter at the window boundary, Fisher from the old window. */
  private void consolidate(int w) {
    MicroLora anchor = MicroLora.ofWeights(dim, dim, rank, working.alpha(), working.scaling(),
        Arrays.copyOfRange(windowStart, 0, sizeA),
        Arrays.copyOfRange(windowStart, sizeA, paramCount));
    LoraTrainer probe = LoraTrainer.builder(anchor).optimizer(Optimizer.sgd(1e-3f)).build();
    FisherEstimator fisher = new FisherEstimator(paramCount);
    float[] ga = new float[sizeA];
    float[] gbt = new float[sizeA];
    float[][] blocks = {ga, gbt};
    // the previous window's tasks: numbers added - 2w .. added - w - 1, if still in the ring
    long from = Math.max(Math.max(0, added - 2L * w), added - ring.length);
    long to = Math.max(from, added - w);
    for (long k = from; k < to; k++) {
      Sample s = ring[(int) (k % ring.length)];
      if (Float.isNaN(evaluate(anchor, s.embedding, s.payload))) {
        continue;
      }
      probe.accumulate(s.embedding, gradient);
      probe.copyGradients(ga, gbt);
      probe.zeroGradients();
      fisher.add(blocks);
    }
    if (fisher.samples() == 0) {
      return;
    }
    // Normalized to a largest value of 1, so that lambda is the penalty's stiffness relative to
    // the most important parameter: SGD stays stable on it while learningRate * lambda < 2 (the
    // raw Fisher of one parameter can be large enough to make a fixed lambda diverge).
    float[] f = fisher.fisher();
    float max = 0;
    for (float v : f) {
      max = Math.max(max, v);
    }
    if (!(max > 0) || !Float.isFinite(max)) {
      return;
    }
    for (int i = 0; i < f.length; i++) {
      f[i] /= max;
    }
    ewc.consolidate(windowStart, f);
    consolidations++;
  }

  // --- rounds ---------------------------------------------------------------------------------

  /** This node's contribution at a round's end: its working parameters (recorded as sent). */
  Share share() {
    copyParams(working, sent);
    hasSent = true;
    long n = samplesSinceShare;
    double quality = n == 0 ? 0 : -lossSinceShare / n;
    samplesSinceShare = 0;
    lossSinceShare = 0;
    return new Share(baseParams.clone(), sent.clone(), Math.max(1, n), quality);
  }

  /**
   * A round's aggregate becomes the new frozen version; the working copy keeps what it learned
   * since it contributed (or, if it did not, since the previous version).
   *
   * @param aggregate the round's aggregate parameters, finite, {@link #paramCount()} long
   * @param newVersion the new version
   */
  void apply(float[] aggregate, long newVersion) {
    float[] reference = hasSent ? sent : baseParams;
    float[] now = new float[paramCount];
    copyParams(working, now);
    double diff = 0;
    double norm = 0;
    if (hasSent) {
      for (int i = 0; i < paramCount; i++) {
        double d = sent[i] - aggregate[i];
        diff += d * d;
        norm += (double) aggregate[i] * aggregate[i];
      }
      disagreement = norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
    }
    for (int i = 0; i < paramCount; i++) {
      now[i] = aggregate[i] + (now[i] - reference[i]);
    }
    if (!finite(now)) {
      System.arraycopy(aggregate, 0, now, 0, paramCount);
    }
    working.copyWeightsFrom(adapterOf(now));
    baseParams = aggregate.clone();
    publish(adapterOf(baseParams), newVersion);
    hasSent = false;
  }

  /**
   * Resumes from stored adapters (a restart): {@code frozen} becomes the current version, {@code
   * working} the trainable copy. The optimizer, replay buffer and EWC start afresh.
   *
   * @param storedVersion the frozen adapter's version
   * @param frozen the frozen adapter
   * @param working the working copy
   * @throws IllegalArgumentException if either is not this type's shape (dimension, rank, alpha,
   *     scaling) or holds a non-finite value; nothing changes then
   */
  void restore(long storedVersion, LoraAdapter frozen, LoraAdapter working) {
    float[] base = paramsOf(frozen);
    float[] now = paramsOf(working);
    this.working.copyWeightsFrom(adapterOf(now));
    System.arraycopy(now, 0, windowStart, 0, paramCount);
    baseParams = base;
    publish(adapterOf(base), storedVersion);
    hasSent = false;
  }

  /** The frozen version and the working copy, for storage. */
  MicroLora[] adaptersToStore() {
    return new MicroLora[] {current.adapter() instanceof MicroLora m ? m : adapterOf(baseParams),
        working.snapshot()};
  }

  private float[] paramsOf(LoraAdapter a) {
    if (!(a instanceof MicroLora m) || m.inputDim() != dim || m.outputDim() != dim
        || m.rank() != rank || m.alpha() != working.alpha() || m.scaling() != working.scaling()) {
      throw new IllegalArgumentException("a stored adapter of " + type + " is not of its shape: "
          + a);
    }
    float[] p = new float[paramCount];
    copyParams(m, p);
    if (!finite(p)) {
      throw new IllegalArgumentException("a stored adapter of " + type + " is not finite");
    }
    return p;
  }

  private void publish(MicroLora snapshot, long newVersion) {
    version = newVersion;
    current = new AdapterLearning.Selected("shared:" + type + "@" + newVersion, snapshot);
  }

  private MicroLora adapterOf(float[] params) {
    return MicroLora.ofWeights(dim, dim, rank, working.alpha(), working.scaling(),
        Arrays.copyOfRange(params, 0, sizeA), Arrays.copyOfRange(params, sizeA, paramCount));
  }

  private void copyParams(MicroLora adapter, float[] out) {
    adapter.viewA().get(out, 0, sizeA);
    adapter.viewBTransposed().get(out, sizeA, sizeA);
  }

  static boolean finite(float[] v) {
    for (float x : v) {
      if (!Float.isFinite(x)) {
        return false;
      }
    }
    return true;
  }
}
