package io.github.edgenet.learning.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.testing.SeededCases;
import io.github.edgenet.learning.ewc.Ewc;
import io.github.edgenet.learning.ewc.FisherEstimator;
import io.github.edgenet.lora.GradientRegularizer;
import io.github.edgenet.lora.Optimizer;
import io.github.edgenet.lora.model.Activation;
import io.github.edgenet.lora.model.DenseTrainer;
import org.junit.jupiter.api.Test;

/**
 * Shown to remember: two tasks in sequence on digits, A the original images and B the same images
 * with a fixed random pixel permutation (the "permuted MNIST" protocol of Kirkpatrick et al.), an
 * MLP 64 -> 64 ReLU -> 10 trained with SGD (learning rate 0.1, 600 steps of 32 per task). After A,
 * the diagonal Fisher of A is estimated from 400 per-sample gradients and consolidated; B is then
 * trained once plainly and once with EWC through {@code DenseTrainer.Builder.regularizer}.
 * EWC's lambda is 50 (measured: 200 behaves alike, 1000 diverges at this learning rate).
 * Asserted: EWC at least halves the forgetting of A (accuracy on A after A minus after B) and
 * costs at most 5 points of accuracy on B.
 */
class EwcLearningTest {
  /**
   * The MLP's hidden width, SGD's learning rate, steps of 32 per task, per-sample gradients for
   * the Fisher, and EWC's lambda.
   */
  record Setup(int hidden, float lr, int steps, int fisherSamples, float lambda) {}

  static final Setup DIGITS = new Setup(64, 0.1f, 600, 400, 50f);

  /** Test accuracies: A after A; A and B after plain SGD on B; A and B after EWC on B. */
  record Result(double accA, double plainA, double plainB, double ewcA, double ewcB) {
    double plainForgetting() {
      return accA - plainA;
    }

    double ewcForgetting() {
      return accA - ewcA;
    }

    double costOnB() {
      return plainB - ewcB;
    }
  }

  static DenseTrainer mlp(Dataset data, Setup setup, GradientRegularizer regularizer) {
    DenseTrainer.Builder b = DenseTrainer.builder(data.features())
        .layer(setup.hidden(), Activation.RELU).layer(data.classes(), Activation.IDENTITY)
        .optimizer(Optimizer.sgd(setup.lr())).random(RandomSource.seeded(4)).maxBatch(64);
    if (regularizer != null) {
      b.regularizer(regularizer);
    }
    return b.build();
  }

  @Test
  void ewcAtLeastHalvesForgettingAtAtMostFivePointsOnTheNewTask() {
    Dataset[] split = Dataset.digitsSplit(31);
    Result r = run(split[0], split[1], DIGITS);
    assertTrue(r.plainForgetting() > 0.1, "the protocol must cause forgetting: " + r);
    assertTrue(r.ewcForgetting() <= 0.5 * r.plainForgetting(), "forgetting not halved: " + r);
    assertTrue(r.costOnB() <= 0.05, "more than 5 points on B: " + r);
  }

  /**
   * Task A is {@code trainA}/{@code testA}, task B the same images under a seeded pixel
   * permutation; prints and returns the accuracies.
   */
  static Result run(Dataset trainA, Dataset testA, Setup setup) {
    int[] perm = SeededCases.permutation(RandomSource.seeded(99), trainA.features());
    Dataset trainB = trainA.permutePixels(perm);
    Dataset testB = testA.permutePixels(perm);
    int features = trainA.features();

    DenseTrainer onA = mlp(trainA, setup, null);
    double accA = trainA.trainCentral(onA, testA, setup.steps(), 32, RandomSource.seeded(5));
    float[] thetaA = new float[onA.parameterCount()];
    onA.copyParameters(thetaA);
    FisherEstimator fisher = new FisherEstimator(thetaA.length);
    float[] g = new float[thetaA.length];
    RandomSource fr = RandomSource.seeded(6);
    for (int k = 0; k < setup.fisherSamples(); k++) {
      int s = fr.nextInt(trainA.size());
      onA.gradient(trainA.x(), s * features, trainA.y(), s, 1, g);
      fisher.add(g);
    }

    DenseTrainer plain = mlp(trainA, setup, null);
    plain.setParameters(thetaA);
    double plainB = trainB.trainCentral(plain, testB, setup.steps(), 32, RandomSource.seeded(7));
    double plainA = testA.accuracy(plain);

    Ewc ewc = Ewc.builder(thetaA.length).lambda(setup.lambda()).build();
    ewc.consolidate(thetaA, fisher.fisher());
    DenseTrainer withEwc = mlp(trainA, setup, ewc);
    withEwc.setParameters(thetaA);
    double ewcB = trainB.trainCentral(withEwc, testB, setup.steps(), 32, RandomSource.seeded(7));
    double ewcA = testA.accuracy(withEwc);
    Result r = new Result(accA, plainA, plainB, ewcA, ewcB);
    System.out.printf("EWC on %s: task A after A %.4f; plain SGD on B: A %.4f (forgot %.4f), "
        + "B %.4f; EWC lambda %.0f: A %.4f (forgot %.4f), B %.4f (cost %.4f)%n", trainA.name(),
        accA, plainA, r.plainForgetting(), plainB, setup.lambda(), ewcA, r.ewcForgetting(), ewcB,
        r.costOnB());
    return r;
  }
}
