package io.github.edgenet.learning.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.testing.SeededCases;
import io.github.edgenet.learning.aggregate.Aggregator;
import io.github.edgenet.learning.aggregate.Aggregators;
import io.github.edgenet.lora.Optimizer;
import io.github.edgenet.lora.model.DenseTrainer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Shown to resist poisoning: 50 nodes, 10 of them Byzantine (20%), train a softmax classifier on
 * digits by synchronous rounds: every honest node sends the gradient of a batch of 16 of its own
 * samples (an IID share of the training set) at the current model, the rule aggregates the 50
 * vectors, and the model takes one SGD step (learning rate 0.5, 150 rounds).
 *
 * <p>Attacks: (1) sign flip, each Byzantine node sends {@code -10 g} of its own honest gradient;
 * (2) "a little is enough" (Baruch et al. 2019): all Byzantine nodes send {@code mu - z sigma} of
 * the honest gradients' coordinate-wise mean and standard deviation, {@code z = 1} (the paper's
 * {@code z_max} for {@code n = 50, f = 10} is about 0.47; 1 is stronger).
 *
 * <p>Asserted: under the sign flip the plain mean collapses (below 50% of central accuracy) while
 * the trimmed mean, Multi-Krum and centered clipping stay at 90% of central or above; under "a
 * little is enough" every robust rule also stays at 90% or above.
 */
class ByzantineLearningTest {
  static final int NODES = 50;
  static final int BYZANTINE = 10;

  enum Attack { SIGN_FLIP, LITTLE_IS_ENOUGH }

  /**
   * Rounds, batch per node, SGD learning rate, and the central baseline's learning rate and steps
   * of 32.
   */
  record Setup(int rounds, int batch, float lr, float centralLr, int centralSteps) {}

  static final Setup DIGITS = new Setup(150, 16, 0.5f, 0.5f, 1500);

  /** The central accuracy and, per attack, the accuracy under each rule (in rule order). */
  record Result(double central, Map<Attack, Map<String, Double>> accuracy) {}

  static Map<String, Aggregator> rules() {
    Map<String, Aggregator> rules = new LinkedHashMap<>();
    rules.put("mean", Aggregators.mean());
    rules.put("trimmed mean 0.25", Aggregators.trimmedMean(0.25));
    rules.put("multi-krum f=10 m=30", Aggregators.multiKrum(BYZANTINE, 30));
    rules.put("centered clipping tau=0.5", Aggregators.centeredClipping(0.5f, 3));
    return rules;
  }

  @Test
  void robustRulesStayAboveNinetyPercentOfCentralWhileTheMeanCollapses() {
    Dataset[] split = Dataset.digitsSplit(21);
    Result r = run(split[0], split[1], DIGITS);
    for (Attack attack : Attack.values()) {
      for (Map.Entry<String, Double> rule : r.accuracy().get(attack).entrySet()) {
        double acc = rule.getValue();
        if (rule.getKey().equals("mean")) {
          if (attack == Attack.SIGN_FLIP) {
            assertTrue(acc < 0.5 * r.central(), "the mean must collapse: " + acc);
          }
        } else {
          assertTrue(acc >= 0.9 * r.central(), attack + ", " + rule.getKey() + ": " + acc);
        }
      }
    }
  }

  /** Every rule under both attacks; prints and returns the accuracies on {@code test}. */
  static Result run(Dataset train, Dataset test, Setup setup) {
    DenseTrainer centralModel = train.softmax(Optimizer.sgd(setup.centralLr()), 1);
    double central = train.trainCentral(centralModel, test, setup.centralSteps(), 32,
        RandomSource.seeded(2));
    StringBuilder report = new StringBuilder(String.format("%s: central %.4f%n", train.name(),
        central));
    Map<Attack, Map<String, Double>> accuracy = new EnumMap<>(Attack.class);
    for (Attack attack : Attack.values()) {
      Map<String, Double> byRule = new LinkedHashMap<>();
      for (Map.Entry<String, Aggregator> rule : rules().entrySet()) {
        double acc = run(train, test, rule.getValue(), attack, setup);
        byRule.put(rule.getKey(), acc);
        report.append(String.format("%s, %s: %.4f (%.1f%% of central)%n", attack, rule.getKey(),
            acc, 100 * acc / central));
      }
      accuracy.put(attack, byRule);
    }
    System.out.print(report);
    return new Result(central, accuracy);
  }

  static double run(Dataset train, Dataset test, Aggregator rule, Attack attack, Setup setup) {
    RandomSource r = RandomSource.seeded(7);
    DenseTrainer model = train.softmax(Optimizer.sgd(setup.lr()), 1);
    int d = model.parameterCount();
    int[] order = SeededCases.permutation(RandomSource.seeded(8), train.size());
    List<int[]> shards = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      int from = i * train.size() / NODES;
      int to = (i + 1) * train.size() / NODES;
      shards.add(java.util.Arrays.copyOfRange(order, from, to));
    }
    int batch = setup.batch();
    float[] xs = new float[batch * train.features()];
    int[] ys = new int[batch];
    float[] aggregate = new float[d];
    for (int round = 0; round < setup.rounds(); round++) {
      List<float[]> grads = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        float[] g = new float[d];
        train.fillBatch(shards.get(i), r, xs, ys, batch);
        model.gradient(xs, 0, ys, 0, batch, g);
        grads.add(g);
      }
      // nodes 0..9 are Byzantine
      if (attack == Attack.SIGN_FLIP) {
        for (int i = 0; i < BYZANTINE; i++) {
          float[] g = grads.get(i);
          for (int j = 0; j < d; j++) {
            g[j] *= -10f;
          }
        }
      } else {
        float[] evil = new float[d];
        for (int j = 0; j < d; j++) {
          double mean = 0;
          double sq = 0;
          for (int i = BYZANTINE; i < NODES; i++) {
            mean += grads.get(i)[j];
          }
          mean /= NODES - BYZANTINE;
          for (int i = BYZANTINE; i < NODES; i++) {
            double dev = grads.get(i)[j] - mean;
            sq += dev * dev;
          }
          evil[j] = (float) (mean - 1.0 * Math.sqrt(sq / (NODES - BYZANTINE)));
        }
        for (int i = 0; i < BYZANTINE; i++) {
          grads.set(i, evil.clone());
        }
      }
      rule.aggregate(grads, aggregate);
      model.applyGradient(aggregate);
    }
    return test.accuracy(model);
  }
}
