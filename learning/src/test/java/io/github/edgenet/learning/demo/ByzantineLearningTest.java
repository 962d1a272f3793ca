package io.github.edgenet.learning.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.learning.aggregate.Aggregator;
import io.github.edgenet.learning.aggregate.Aggregators;
import io.github.edgenet.lora.Optimizer;
import io.github.edgenet.lora.model.DenseTrainer;
import java.util.ArrayList;
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
  static final int ROUNDS = 150;
  static final int BATCH = 16;

  enum Attack { SIGN_FLIP, LITTLE_IS_ENOUGH }

  @Test
  void robustRulesStayAboveNinetyPercentOfCentralWhileTheMeanCollapses() {
    Digits[] split = Digits.split(21);
    Digits train = split[0];
    Digits test = split[1];
    double central = Digits.trainCentral(Digits.softmax(Optimizer.sgd(0.5f), 1), train, test,
        1500, 32, RandomSource.seeded(2));
    Map<String, Aggregator> rules = new LinkedHashMap<>();
    rules.put("mean", Aggregators.mean());
    rules.put("trimmed mean 0.25", Aggregators.trimmedMean(0.25));
    rules.put("multi-krum f=10 m=30", Aggregators.multiKrum(BYZANTINE, 30));
    rules.put("centered clipping tau=0.5", Aggregators.centeredClipping(0.5f, 3));
    StringBuilder report = new StringBuilder(String.format("central %.4f%n", central));
    for (Attack attack : Attack.values()) {
      for (Map.Entry<String, Aggregator> rule : rules.entrySet()) {
        double acc = run(train, test, rule.getValue(), attack);
        report.append(String.format("%s, %s: %.4f (%.1f%% of central)%n", attack, rule.getKey(),
            acc, 100 * acc / central));
        if (rule.getKey().equals("mean")) {
          if (attack == Attack.SIGN_FLIP) {
            assertTrue(acc < 0.5 * central, "the mean must collapse: " + acc);
          }
        } else {
          assertTrue(acc >= 0.9 * central, attack + ", " + rule.getKey() + ": " + acc);
        }
      }
    }
    System.out.print(report);
  }

  static double run(Digits train, Digits test, Aggregator rule, Attack attack) {
    RandomSource r = RandomSource.seeded(7);
    DenseTrainer model = Digits.softmax(Optimizer.sgd(0.5f), 1);
    int d = model.parameterCount();
    int[] order = Digits.permutation(RandomSource.seeded(8), train.size());
    List<Digits> shards = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      int from = i * train.size() / NODES;
      int to = (i + 1) * train.size() / NODES;
      shards.add(train.select(java.util.Arrays.copyOfRange(order, from, to)));
    }
    float[] xs = new float[BATCH * Digits.PIXELS];
    int[] ys = new int[BATCH];
    float[] aggregate = new float[d];
    for (int round = 0; round < ROUNDS; round++) {
      List<float[]> grads = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        float[] g = new float[d];
        Digits.fillBatch(shards.get(i), r, xs, ys, BATCH);
        model.gradient(xs, 0, ys, 0, BATCH, g);
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
    return Digits.accuracy(model, test);
  }
}
