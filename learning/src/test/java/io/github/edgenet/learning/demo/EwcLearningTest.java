package io.github.edgenet.learning.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
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
  static final int STEPS = 600;

  static DenseTrainer mlp(GradientRegularizer regularizer) {
    DenseTrainer.Builder b = DenseTrainer.builder(Digits.PIXELS).layer(64, Activation.RELU)
        .layer(Digits.CLASSES, Activation.IDENTITY).optimizer(Optimizer.sgd(0.1f))
        .random(RandomSource.seeded(4)).maxBatch(64);
    if (regularizer != null) {
      b.regularizer(regularizer);
    }
    return b.build();
  }

  @Test
  void ewcAtLeastHalvesForgettingAtAtMostFivePointsOnTheNewTask() {
    Digits[] split = Digits.split(31);
    int[] perm = Digits.permutation(RandomSource.seeded(99), Digits.PIXELS);
    Digits trainA = split[0];
    Digits testA = split[1];
    Digits trainB = trainA.permutePixels(perm);
    Digits testB = testA.permutePixels(perm);

    DenseTrainer onA = mlp(null);
    double accA = Digits.trainCentral(onA, trainA, testA, STEPS, 32, RandomSource.seeded(5));
    float[] thetaA = new float[onA.parameterCount()];
    onA.copyParameters(thetaA);
    FisherEstimator fisher = new FisherEstimator(thetaA.length);
    float[] g = new float[thetaA.length];
    RandomSource fr = RandomSource.seeded(6);
    for (int k = 0; k < 400; k++) {
      int s = fr.nextInt(trainA.size());
      onA.gradient(trainA.x(), s * Digits.PIXELS, trainA.y(), s, 1, g);
      fisher.add(g);
    }

    DenseTrainer plain = mlp(null);
    plain.setParameters(thetaA);
    double plainB = Digits.trainCentral(plain, trainB, testB, STEPS, 32, RandomSource.seeded(7));
    double plainA = Digits.accuracy(plain, testA);

    StringBuilder report = new StringBuilder(String.format(
        "task A after A %.4f; plain SGD on B: A %.4f (forgot %.4f), B %.4f%n", accA, plainA,
        accA - plainA, plainB));
    double bestLambda = Double.NaN;
    boolean ok = false;
    for (float lambda : new float[] {50f}) {
      Ewc ewc = Ewc.builder(thetaA.length).lambda(lambda).build();
      ewc.consolidate(thetaA, fisher.fisher());
      DenseTrainer withEwc = mlp(ewc);
      withEwc.setParameters(thetaA);
      double ewcB = Digits.trainCentral(withEwc, trainB, testB, STEPS, 32, RandomSource.seeded(7));
      double ewcA = Digits.accuracy(withEwc, testA);
      report.append(String.format("EWC lambda %.0f: A %.4f (forgot %.4f), B %.4f (cost %.4f)%n",
          lambda, ewcA, accA - ewcA, ewcB, plainB - ewcB));
      if (!ok && accA - ewcA <= 0.5 * (accA - plainA) && plainB - ewcB <= 0.05) {
        ok = true;
        bestLambda = lambda;
      }
    }
    System.out.print(report);
    assertTrue(accA - plainA > 0.1, "the protocol must cause forgetting: " + report);
    assertTrue(ok, "no lambda halved forgetting at <= 5 points on B:\n" + report);
    System.out.println("first lambda meeting both bounds: " + bestLambda);
  }
}
