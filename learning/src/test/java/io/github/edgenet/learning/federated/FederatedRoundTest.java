package io.github.edgenet.learning.federated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.learning.aggregate.Aggregators;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class FederatedRoundTest {
  private final VirtualClock clock = new VirtualClock();
  private final RandomSource random = RandomSource.seeded(42);

  private EnvelopeSender agent() {
    return EnvelopeSender.create(NodeIdentity.generate(random), clock);
  }

  private static FederatedException.Reason reason(FederatedRound round, byte[] frame) {
    return assertThrows(FederatedException.class, () -> round.submit(frame)).reason();
  }

  @Test
  void sampleWeightedFedAvgWithExactlyOnceCountingPerAgent() throws Exception {
    FederatedRound round = FederatedRound.builder(3, 2, clock).minParticipants(2).build();
    EnvelopeSender a = agent();
    EnvelopeSender b = agent();
    assertEquals(FederatedRound.Outcome.ACCEPTED,
        round.submit(Contribution.encode(a, 3, 3, 10, 0.9, new float[] {100f, 100f})));
    // the re-submission replaces: a's first vector must not count
    assertEquals(FederatedRound.Outcome.REPLACED,
        round.submit(Contribution.encode(a, 3, 3, 30, 0.9, new float[] {1f, 2f})));
    round.submit(Contribution.encode(b, 3, 3, 10, 0.9, new float[] {5f, 6f}));
    assertEquals(2, round.participants());
    FederatedRound.RoundResult result = round.close();
    // (30 * [1, 2] + 10 * [5, 6]) / 40
    assertArrayEquals(new float[] {2f, 3f}, result.aggregate(), 1e-6f);
    assertEquals(40, result.samples());
    assertEquals(2, result.agents().size());
    assertEquals(FederatedException.Reason.CLOSED,
        reason(round, Contribution.encode(b, 3, 3, 1, 1, new float[2])));
  }

  @Test
  void rejectsWrongRoundStaleLowQualityBadDimensionForgedAndReplayed() throws Exception {
    FederatedRound round = FederatedRound.builder(10, 2, clock).currentVersion(10).maxStaleness(2)
        .qualityThreshold(0.5).minParticipants(2).build();
    EnvelopeSender a = agent();
    assertEquals(FederatedException.Reason.WRONG_ROUND,
        reason(round, Contribution.encode(a, 9, 10, 1, 1, new float[2])));
    assertEquals(FederatedException.Reason.STALE,
        reason(round, Contribution.encode(a, 10, 7, 1, 1, new float[2])));
    assertEquals(FederatedException.Reason.STALE,
        reason(round, Contribution.encode(a, 10, 11, 1, 1, new float[2])));
    assertEquals(FederatedException.Reason.LOW_QUALITY,
        reason(round, Contribution.encode(a, 10, 10, 1, 0.4, new float[2])));
    assertEquals(FederatedException.Reason.WRONG_DIMENSION,
        reason(round, Contribution.encode(a, 10, 10, 1, 1, new float[1])));
    assertEquals(FederatedException.Reason.ENVELOPE,
        reason(round, Contribution.encode(a, 10, 10, 1, 1, new float[3])),
        "a larger vector is over the envelope's payload bound, rejected before allocation");
    byte[] ok = Contribution.encode(a, 10, 8, 1, 1, new float[] {1f, 1f});
    byte[] forged = ok.clone();
    forged[60] ^= 1;
    assertEquals(FederatedException.Reason.ENVELOPE, reason(round, forged));
    assertEquals(0, round.participants());
    round.submit(ok);
    assertEquals(FederatedException.Reason.ENVELOPE, reason(round, ok), "replayed frame");
    assertEquals(1, round.participants());
    assertThrows(IllegalStateException.class, round::close, "below the minimum participants");
    round.submit(Contribution.encode(agent(), 10, 10, 1, 1, new float[] {3f, 3f}));
    assertArrayEquals(new float[] {2f, 2f}, round.close().aggregate());
    assertThrows(IllegalArgumentException.class,
        () -> Contribution.encode(a, 10, 10, 0, 1, new float[2]));
    assertThrows(IllegalArgumentException.class,
        () -> Contribution.encode(a, 10, 10, 1, 1, new float[] {Float.NaN, 0f}));
  }

  /** Two coordinators given the same frames in different orders reach identical aggregates. */
  @Test
  void coordinatorsAgreeWhateverTheArrivalOrder() throws Exception {
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      float[] v = new float[5];
      for (int j = 0; j < 5; j++) {
        v[j] = (float) random.nextGaussian();
      }
      frames.add(Contribution.encode(agent(), 0, 0, 1 + random.nextInt(50), 1, v));
    }
    for (var rule : new Object[] {null, Aggregators.multiKrum(2, 6)}) {
      FederatedRound.Builder b1 = FederatedRound.builder(0, 5, clock);
      FederatedRound.Builder b2 = FederatedRound.builder(0, 5, clock);
      if (rule != null) {
        b1.aggregator((io.github.edgenet.learning.aggregate.Aggregator) rule);
        b2.aggregator((io.github.edgenet.learning.aggregate.Aggregator) rule);
      }
      FederatedRound r1 = b1.build();
      FederatedRound r2 = b2.build();
      List<byte[]> shuffled = new ArrayList<>(frames);
      Collections.shuffle(shuffled, random);
      for (int i = 0; i < frames.size(); i++) {
        r1.submit(frames.get(i));
        r2.submit(shuffled.get(i));
      }
      assertArrayEquals(r1.close().aggregate(), r2.close().aggregate());
    }
  }

  /**
   * Agents are keys anyone can make: past {@code maxParticipants} a new agent is rejected with
   * {@code FULL} and nothing changes, while an agent already in the round may still replace its
   * contribution.
   */
  @Test
  void aFullRoundRejectsNewAgentsAndStillTakesReplacements() throws Exception {
    FederatedRound round = FederatedRound.builder(1, 1, clock).maxParticipants(3).build();
    List<EnvelopeSender> agents = List.of(agent(), agent(), agent());
    for (int i = 0; i < 3; i++) {
      round.submit(Contribution.encode(agents.get(i), 1, 1, 1, 1, new float[] {i}));
    }
    assertEquals(FederatedException.Reason.FULL,
        reason(round, Contribution.encode(agent(), 1, 1, 1, 1, new float[] {1000f})));
    assertEquals(3, round.participants());
    assertEquals(FederatedRound.Outcome.REPLACED,
        round.submit(Contribution.encode(agents.get(0), 1, 1, 1, 1, new float[] {3f})));
    assertArrayEquals(new float[] {(3f + 1f + 2f) / 3}, round.close().aggregate(), 1e-6f);
  }

  /** The default bound is {@value FederatedRound#DEFAULT_MAX_PARTICIPANTS} agents. */
  @Test
  void theDefaultBoundIsTwoHundredFiftySixAgents() throws Exception {
    FederatedRound round = FederatedRound.builder(0, 1, clock).build();
    for (int i = 0; i < FederatedRound.DEFAULT_MAX_PARTICIPANTS; i++) {
      round.submit(Contribution.encode(agent(), 0, 0, 1, 1, new float[] {1f}));
    }
    assertEquals(FederatedException.Reason.FULL,
        reason(round, Contribution.encode(agent(), 0, 0, 1, 1, new float[] {1f})));
    assertEquals(256, round.participants());
    assertThrows(IllegalArgumentException.class,
        () -> FederatedRound.builder(0, 1, clock).maxParticipants(0));
    assertThrows(IllegalArgumentException.class,
        () -> FederatedRound.builder(0, 1, clock).minParticipants(5).maxParticipants(4).build());
  }

  /**
   * Frames an agent signs by hand (not through {@link Contribution#encode}, which refuses bad
   * values): a NaN or infinite value, zero samples and a non-finite quality are {@code INVALID};
   * fewer vector bytes than the dimension needs and a payload shorter than the header are
   * {@code MALFORMED}; another envelope type too. None changes the round.
   */
  @Test
  void handMadeBadFramesAreRejectedWithTheirReason() throws Exception {
    FederatedRound round = FederatedRound.builder(5, 2, clock).build();
    EnvelopeSender a = agent();
    assertEquals(FederatedException.Reason.INVALID,
        reason(round, frame(a, 5, 1, 1.0, 2, Float.NaN, 1f)));
    assertEquals(FederatedException.Reason.INVALID,
        reason(round, frame(a, 5, 1, 1.0, 2, 1f, Float.NEGATIVE_INFINITY)));
    assertEquals(FederatedException.Reason.INVALID,
        reason(round, frame(a, 5, 0, 1.0, 2, 1f, 1f)));
    assertEquals(FederatedException.Reason.INVALID,
        reason(round, frame(a, 5, 1, Double.POSITIVE_INFINITY, 2, 1f, 1f)));
    assertEquals(FederatedException.Reason.MALFORMED,
        reason(round, frame(a, 5, 1, 1.0, 2, 1f)), "dimension 2, one float");
    assertEquals(FederatedException.Reason.MALFORMED,
        reason(round, a.encode(Contribution.ENVELOPE_TYPE, new byte[20])), "short header");
    assertEquals(FederatedException.Reason.MALFORMED,
        reason(round, a.encode(Contribution.ENVELOPE_TYPE + 1, new byte[44])), "envelope type");
    assertEquals(0, round.participants());
    assertEquals(FederatedRound.Outcome.ACCEPTED, round.submit(frame(a, 5, 1, 1.0, 2, 1f, 2f)));
  }

  /** A contribution payload written field by field: round, base = round, samples, quality, d. */
  private static byte[] frame(EnvelopeSender sender, long round, long samples, double quality,
      int dimension, float... values) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(36 + 4 * values.length);
    b.putLong(round).putLong(round).putLong(samples).putDouble(quality).putInt(dimension);
    for (float v : values) {
      b.putFloat(v);
    }
    return sender.encode(Contribution.ENVELOPE_TYPE, b.array());
  }
}
