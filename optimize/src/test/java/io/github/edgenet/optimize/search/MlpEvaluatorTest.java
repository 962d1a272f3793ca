package io.github.edgenet.optimize.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.lora.WeightFormat;
import io.github.edgenet.lora.model.Activation;
import io.github.edgenet.lora.model.Model;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The ready evaluator for lora's model layer: decoding, memory, latency from the clock. */
class MlpEvaluatorTest {
  static final SearchSpace SPACE = MlpEvaluator.space(List.of(1, 2), List.of(16, 32),
      List.of(Activation.RELU, Activation.TANH),
      List.of(WeightFormat.F32, WeightFormat.Q8_0, WeightFormat.Q4_0));

  /** A clock that advances 1,000 ns at every reading. */
  static final class TickingClock implements Clock {
    final AtomicLong now = new AtomicLong();

    @Override
    public long nanos() {
      return now.addAndGet(1000);
    }

    @Override
    public long epochMillis() {
      return 0;
    }
  }

  @Test
  void trainsTheDecodedNetworkInItsFormatsAndReadsLatencyFromTheClock() {
    DigitsSplit.Split data = DigitsSplit.split(3);
    MlpEvaluator eval = MlpEvaluator.builder(data.train().x(), data.train().y(), data.valid().x(),
        data.valid().y(), 64, 10).epochs(2).latencyRepeats(200).random(RandomSource.seeded(1))
        .clock(new TickingClock()).build();
    // depth 1, width1 16 (width2 and format2 unused), TANH, format1 Q4_0, output Q8_0
    Candidate c = SPACE.candidate(0, 0, 1, 1, 2, 1, 1);
    assertEquals(new MlpEvaluator.Architecture(List.of(16), Activation.TANH,
        List.of(WeightFormat.Q4_0, WeightFormat.Q8_0)), MlpEvaluator.decode(c));
    Model m = eval.build(c);
    assertEquals(WeightFormat.Q4_0, m.layer(0).format());
    assertEquals(WeightFormat.Q8_0, m.layer(1).format());
    Evaluation e = eval.evaluate(c);
    // Q4_0 16 x 64: 16 rows x 2 blocks x 18 bytes + 64 bias bytes; Q8_0 10 x 16: 10 x 34 + 40.
    assertEquals(16 * 2 * 18 + 64 + 10 * 34 + 40, e.memoryBytes());
    assertEquals(1000.0 / 200, e.latencyNanos(), "one 1 us tick per round of 200 forwards");
    assertTrue(e.accuracy() > 0.6, "a trained 16-unit MLP on digits: " + e.accuracy());
    assertEquals(e.accuracy(), eval.evaluate(c).accuracy(), "a function of the candidate");
    assertNotEquals(e.accuracy(), eval.evaluate(c.with(3, 0)).accuracy(),
        "another activation is another model");
  }

  @Test
  void canonicalFormsForgetLayersBeyondTheDepth() {
    Candidate a = SPACE.candidate(0, 0, 1, 1, 2, 1, 1);
    Candidate b = SPACE.candidate(0, 0, 0, 1, 2, 0, 1);
    assertNotEquals(a, b);
    assertEquals(MlpEvaluator.canonical(a), MlpEvaluator.canonical(b));
    Candidate deep = SPACE.candidate(1, 0, 1, 1, 2, 1, 1);
    assertEquals(deep, MlpEvaluator.canonical(deep));
  }

  @Test
  void misuseIsRejected() {
    float[] x = new float[64];
    int[] y = {0};
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> MlpEvaluator.builder(x, new int[] {0, 1}, x, y, 64, 10)).getMessage()
        .contains("trainX must hold 2 x 64"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> MlpEvaluator.builder(x, new int[] {10}, x, y, 64, 10)).getMessage()
        .contains("trainY[0] must be in [0, 10), was 10"));
    assertTrue(assertThrows(IllegalStateException.class,
        () -> MlpEvaluator.builder(x, y, x, y, 64, 10).random(RandomSource.seeded(1)).build())
        .getMessage().contains("clock"));
  }
}
