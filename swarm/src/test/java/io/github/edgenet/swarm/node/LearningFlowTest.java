package io.github.edgenet.swarm.node;

import static io.github.edgenet.swarm.node.Sims.identity;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.SimulatedNode;
import io.github.edgenet.lora.io.LoraCodec;
import io.github.edgenet.swarm.node.internal.AdapterLearning;
import io.github.edgenet.swarm.node.internal.CollectiveLearning;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shown to learn in the flow, on real data: a network of {@code digits} providers ({@link
 * DigitsTasks}) runs tasks awarded through the whole task protocol; each provider trains the
 * type's shared adapter from its tasks (SGD, prioritized replay), the providers combine their
 * adapters in signed rounds, and the held-out accuracy of the frozen head after the adapter is
 * measured on every honest provider before and after. Then 20% of the providers turn Byzantine
 * and share sign-flipped deltas scaled x10 ({@code base - 10 (params - base)}): the robust rule
 * (trimmed mean, the default) keeps the gain, the plain mean loses it.
 */
class LearningFlowTest {
  static final DigitsTasks DIGITS = DigitsTasks.create(5);
  static final long SEED = 31;
  static final int PROVIDERS = 10;
  static final int TASKS = 400;
  static final Duration DEADLINE = Duration.ofSeconds(10);

  /** The outcome of one run: accuracies of the honest providers' adapters, and the nodes. */
  record Run(double before, double worstAfter, double meanAfter, long completed,
      List<EdgeNode> honest, EdgeNode host, NetworkSimulator sim) {}

  static EdgeNodeConfig nodeConfig() {
    return EdgeNodeConfig.builder().embeddingDimension(DigitsTasks.DIM).adapterRank(8).build();
  }

  static LearningConfig learning(LearningConfig.Rule rule) {
    return LearningConfig.builder().rule(rule).build(); // defaults otherwise
  }

  static CollectiveLearning learningOf(EdgeNode node) {
    return (CollectiveLearning) node.learning();
  }

  static Run run(long seed, int byzantine, LearningConfig.Rule rule) {
    NetworkSimulator sim = Sims.simulator(seed);
    List<EdgeNode> honest = new ArrayList<>();
    for (int i = 0; i < PROVIDERS; i++) {
      EdgeNode p = EdgeNode.builder().simulator(sim).identity(identity(seed, i + 1))
          .config(nodeConfig()).learning(learning(rule))
          .executor(DigitsTasks.TYPE, 5, DIGITS.executor(), DIGITS.objective()).build();
      if (i < byzantine) { // honest executors, poisoned shares
        learningOf(p).shareFilter((base, params, out) -> {
          for (int j = 0; j < out.length; j++) {
            out[j] = base[j] - 10f * (params[j] - base[j]);
          }
        });
      } else {
        honest.add(p);
      }
    }
    EdgeNode host = EdgeNode.builder().simulator(sim).identity(identity(seed, 0))
        .config(nodeConfig()).adaptive(DigitsTasks.TYPE).build();
    sim.runFor(Duration.ofSeconds(3)); // capabilities announced
    double before = DIGITS.accuracy(learningOf(honest.getFirst()).current(DigitsTasks.TYPE)
        .adapter());

    RandomSource r = RandomSource.seeded(seed).derive("tasks");
    List<CompletableFuture<byte[]>> futures = new ArrayList<>();
    for (int t = 0; t < TASKS; t++) {
      int i = r.nextInt(DIGITS.trainSize());
      futures.add(host.submit(DIGITS.trainTask(i, 1_000, DEADLINE)));
      sim.runFor(Duration.ofMillis(125)); // 8 tasks per second of virtual time
    }
    sim.runFor(Duration.ofSeconds(12)); // the last tasks, then two more rounds
    long completed = futures.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally())
        .count();
    double worst = 1;
    double sum = 0;
    for (EdgeNode p : honest) {
      double acc = DIGITS.accuracy(learningOf(p).current(DigitsTasks.TYPE).adapter());
      worst = Math.min(worst, acc);
      sum += acc;
    }
    return new Run(before, worst, sum / honest.size(), completed, honest, host, sim);
  }

  private static Run clean;

  /** The honest network of seed 31 (shared by both tests). */
  static synchronized Run clean() {
    if (clean == null) {
      clean = run(SEED, 0, LearningConfig.Rule.TRIMMED_MEAN);
      System.out.printf("honest network: before %.4f, after worst %.4f mean %.4f, %d of %d"
          + " tasks%n", clean.before(), clean.worstAfter(), clean.meanAfter(), clean.completed(),
          TASKS);
    }
    return clean;
  }

  @Test
  void providersLearnTheDigitsTypeFromTheirTasks() {
    Run run = clean();
    assertTrue(run.completed() >= TASKS * 95 / 100, "tasks completed " + run.completed());
    assertTrue(run.worstAfter() >= run.before() + 0.5,
        "before " + run.before() + ", worst after " + run.worstAfter());
    for (EdgeNode p : run.honest()) {
      LearningMetrics m = p.metrics().learning();
      assertTrue(m.trainedSamples() > 0 && m.replayedSamples() > m.trainedSamples(), m.toString());
      assertTrue(m.roundsAggregated() >= 8, m.toString());
      assertEquals(0, m.rejectedTotal(), m.toString());
      // no loss: every provider aggregated the same signed shares into the same bytes
      assertEquals(learningOf(run.honest().getFirst()).current(DigitsTasks.TYPE).key(),
          learningOf(p).current(DigitsTasks.TYPE).key());
    }
  }

  @Test
  void heldOutTasksThroughTheFlowAreAnsweredWithTheLearnedAdapter() {
    Run run = clean();
    NetworkSimulator sim = run.sim();
    CollectiveLearning any = learningOf(run.honest().getFirst());
    io.github.edgenet.lora.LoraAdapter adapter = any.current(DigitsTasks.TYPE).adapter();
    long skippedBefore = run.honest().stream()
        .mapToLong(p -> p.metrics().learning().skippedSamples()).sum();
    int n = 60;
    int right = 0;
    int agree = 0;
    float[] a = new float[DigitsTasks.DIM];
    float[] logits = new float[10];
    for (int i = 0; i < n; i++) {
      Task t = DIGITS.testTask(i, 1_000, DEADLINE);
      Task unlabelled = new Task(t.type(), new byte[] {-1}, t.embedding(), 1_000, DEADLINE);
      CompletableFuture<byte[]> f = run.host().submit(unlabelled); // no label: nothing learned
      Sims.runUntilDone(sim, f, DEADLINE);
      sim.runFor(Duration.ofMillis(125));
      int answer = f.join()[0];
      float[] e = DIGITS.testEmbedding(i);
      System.arraycopy(e, 0, a, 0, e.length);
      adapter.forward(e, a);
      DIGITS.logits(a, logits);
      agree += answer == DigitsTasks.argmax(logits) ? 1 : 0;
      right += answer == DIGITS.testLabel(i) ? 1 : 0;
    }
    long skipped = run.honest().stream()
        .mapToLong(p -> p.metrics().learning().skippedSamples()).sum() - skippedBefore;
    System.out.printf("held-out through the flow: %d of %d right%n", right, n);
    assertEquals(n, agree, "every provider answers with the same frozen version");
    assertEquals(n, skipped, "unlabelled tasks give no training signal");
    assertTrue(right >= n * 6 / 10, right + " of " + n);
  }

  @Test
  void theRobustRuleKeepsTheGainUnderSignFlippingProvidersWhileTheMeanLosesIt() {
    Run honest = clean();
    Run robust = run(SEED, 2, LearningConfig.Rule.TRIMMED_MEAN);
    Run mean = run(SEED, 2, LearningConfig.Rule.MEAN);
    System.out.printf("20%% Byzantine, trimmed mean: before %.4f, after worst %.4f mean %.4f%n",
        robust.before(), robust.worstAfter(), robust.meanAfter());
    System.out.printf("20%% Byzantine, plain mean:   before %.4f, after worst %.4f mean %.4f%n",
        mean.before(), mean.worstAfter(), mean.meanAfter());
    double gain = honest.worstAfter() - honest.before();
    assertTrue(robust.worstAfter() - robust.before() >= 0.6 * gain,
        "robust gain " + (robust.worstAfter() - robust.before()) + " of " + gain);
    assertTrue(mean.meanAfter() <= mean.before() + 0.1, "mean " + mean.meanAfter());
  }

  /**
   * A provider keeps its learned type in its storage directory: crashed and rebuilt on the same
   * directory, it runs the version it had aggregated (the same bytes), not the initial adapter, and
   * goes on aggregating with the others without a stale share.
   */
  @Test
  void aRestartedProviderResumesItsLearnedAdapterFromItsStorage(@TempDir Path dir) {
    long seed = 37;
    NetworkSimulator sim = Sims.simulator(seed);
    List<EdgeNode> others = new ArrayList<>();
    for (int i = 2; i <= 3; i++) {
      others.add(EdgeNode.builder().simulator(sim).identity(identity(seed, i))
          .config(nodeConfig()).learning(learning(LearningConfig.Rule.TRIMMED_MEAN))
          .executor(DigitsTasks.TYPE, 5, DIGITS.executor(), DIGITS.objective()).build());
    }
    NodeIdentity kept = identity(seed, 1);
    SimulatedNode net = sim.addNode(kept.id());
    EdgeNode first = keeper(net, kept, dir);
    EdgeNode host = EdgeNode.builder().simulator(sim).identity(identity(seed, 0))
        .config(nodeConfig()).adaptive(DigitsTasks.TYPE).build();
    sim.runFor(Duration.ofSeconds(3));
    double initial = DIGITS.accuracy(learningOf(first).current(DigitsTasks.TYPE).adapter());
    RandomSource r = RandomSource.seeded(seed).derive("tasks");
    for (int t = 0; t < 120; t++) {
      host.submit(DIGITS.trainTask(r.nextInt(DIGITS.trainSize()), 1_000, DEADLINE));
      sim.runFor(Duration.ofMillis(125));
    }
    sim.runFor(Duration.ofSeconds(6));
    AdapterLearning.Selected learned = learningOf(first).current(DigitsTasks.TYPE);
    long version = first.metrics().learning().versionByType().get(DigitsTasks.TYPE);
    double accuracy = DIGITS.accuracy(learned.adapter());
    assertTrue(version >= 2 && accuracy >= initial + 0.3,
        "version " + version + ", accuracy " + initial + " -> " + accuracy);

    sim.crash(kept.id()); // abrupt: the old node object is abandoned
    EdgeNode second = keeper(net, kept, dir);
    sim.restart(kept.id());
    AdapterLearning.Selected resumed = learningOf(second).current(DigitsTasks.TYPE);
    assertEquals(learned.key(), resumed.key(), "the stored version");
    assertArrayEquals(LoraCodec.encode(learned.adapter()), LoraCodec.encode(resumed.adapter()));

    for (int t = 0; t < 60; t++) {
      host.submit(DIGITS.trainTask(r.nextInt(DIGITS.trainSize()), 1_000, DEADLINE));
      sim.runFor(Duration.ofMillis(125));
    }
    sim.runFor(Duration.ofSeconds(6));
    LearningMetrics after = second.metrics().learning();
    assertTrue(after.versionByType().get(DigitsTasks.TYPE) > version, after.toString());
    assertTrue(after.roundsAggregated() >= 1, after.toString());
    for (EdgeNode o : others) {
      assertEquals(0, o.metrics().learning().rejectedTotal(), o.metrics().learning().toString());
    }
  }

  private static EdgeNode keeper(SimulatedNode net, NodeIdentity id, Path dir) {
    return EdgeNode.builder().network(net).identity(id).storage(dir).config(nodeConfig())
        .learning(learning(LearningConfig.Rule.TRIMMED_MEAN))
        .executor(DigitsTasks.TYPE, 5, DIGITS.executor(), DIGITS.objective()).build();
  }
}
