package io.github.edgenet.learning.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.SimulatedNode;
import io.github.edgenet.learning.gossip.GossipAverager;
import io.github.edgenet.lora.Optimizer;
import io.github.edgenet.lora.model.DenseTrainer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Shown to learn: 50 simulated nodes, each holding only two digit classes (non-IID), train a
 * softmax classifier by decentralized Stochastic Gradient Push (Assran et al. 2019): a local SGD
 * step on the push-sum estimate, then one push-sum round over signed envelopes (120 rounds, the
 * learning rate decaying linearly from 1.5 to 0.15, then 15 rounds of averaging only). The consensus
 * model reaches at least 95% of the accuracy of the same model trained centrally on the pooled
 * data (1,500 SGD steps of 32 at learning rate 0.5), on a held-out split; also with 10% message
 * loss (running sums), and with Q8_0 shares (no loss) to measure the cost of compression.
 */
class GossipLearningTest {
  static final int NODES = 50;
  static final int ROUNDS = 120;
  static final int CONSENSUS_ROUNDS = 15;
  static final int BATCH = 16;
  static final float LR = 1.5f;

  @ParameterizedTest(name = "loss {0}, {1}")
  @CsvSource({"0.0, RUNNING_SUMS", "0.1, RUNNING_SUMS", "0.0, PLAIN_Q8_0"})
  void fiftyNonIidNodesReachNinetyFivePercentOfCentral(double loss, GossipAverager.Mode mode) {
    Digits[] split = Digits.split(11);
    Digits train = split[0];
    Digits test = split[1];
    DenseTrainer central = Digits.softmax(Optimizer.sgd(0.5f), 1);
    double centralAcc = Digits.trainCentral(central, train, test, 1500, 32,
        RandomSource.seeded(2));

    NetworkSimulator sim = NetworkSimulator.builder().seed(5).loss(loss).build();
    RandomSource r = RandomSource.seeded(3);
    DenseTrainer scratch = Digits.softmax(Optimizer.sgd(LR), 1);
    int d = scratch.parameterCount();
    float[] init = new float[d];
    scratch.copyParameters(init); // every node starts from the same seeded model
    List<GossipAverager> nodes = new ArrayList<>();
    List<Digits> local = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      NodeIdentity id = NodeIdentity.generate(r);
      SimulatedNode node = sim.addNode(id.id());
      nodes.add(GossipAverager.builder(node, id, sim.clock(), node.random(), init).mode(mode)
          .build());
      int a = i % 10;
      int b = (i / 10 + a + 1) % 10; // two classes per node, every class on ten nodes
      local.add(train.where(c -> c == a || c == b));
    }
    float[] theta = new float[d];
    float[] grad = new float[d];
    float[] xs = new float[BATCH * Digits.PIXELS];
    int[] ys = new int[BATCH];
    for (int round = 0; round < ROUNDS + CONSENSUS_ROUNDS; round++) {
      // learning rate decays linearly to a tenth, then a few rounds of pure averaging
      float lr = LR * (1f - 0.9f * round / ROUNDS);
      for (int i = 0; i < NODES && round < ROUNDS; i++) {
        GossipAverager node = nodes.get(i);
        node.estimate(theta);
        scratch.setParameters(theta);
        Digits.fillBatch(local.get(i), r, xs, ys, BATCH);
        scratch.gradient(xs, 0, ys, 0, BATCH, grad);
        for (int j = 0; j < d; j++) {
          grad[j] *= -lr;
        }
        node.addToEstimate(grad);
      }
      for (GossipAverager node : nodes) {
        node.round();
      }
      sim.runUntilIdle();
    }
    double worst = 1;
    double sum = 0;
    for (GossipAverager node : nodes) {
      node.estimate(theta);
      scratch.setParameters(theta);
      double acc = Digits.accuracy(scratch, test);
      worst = Math.min(worst, acc);
      sum += acc;
    }
    long bytes = 0;
    for (GossipAverager node : nodes) {
      bytes += node.bytesSent();
    }
    System.out.printf("gossip SGD, %d non-IID nodes, %s, loss %.0f%%, %d+%d rounds: central %.4f, "
        + "nodes mean %.4f, worst %.4f (%.1f%% of central), %.0f bytes per node-round%n", NODES,
        mode, 100 * loss, ROUNDS, CONSENSUS_ROUNDS, centralAcc, sum / NODES, worst,
        100 * worst / centralAcc, (double) bytes / NODES / (ROUNDS + CONSENSUS_ROUNDS));
    assertTrue(centralAcc > 0.9, "central " + centralAcc);
    assertTrue(worst >= 0.95 * centralAcc, "worst node " + worst + " vs central " + centralAcc);
  }
}
