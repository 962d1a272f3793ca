package io.github.edgenet.swarm.node.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.SimulatedNode;
import io.github.edgenet.learning.aggregate.Aggregators;
import io.github.edgenet.lora.MicroLora;
import io.github.edgenet.swarm.node.DigitsTasks;
import io.github.edgenet.swarm.node.LearningConfig;
import io.github.edgenet.swarm.node.LearningMetrics;
import io.github.edgenet.swarm.node.LearningMetrics.Rejection;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The learning protocol against a forging peer: every malformed or out-of-place share is counted
 * by its reason and changes nothing; a valid share enters its round exactly once (a second one
 * replaces it) and the round's aggregate is what the rule computes from the shares, in agent order.
 */
class LearningProtocolTest {
  static final DigitsTasks DIGITS = DigitsTasks.create(5);
  static final long ROUND = 5_000;

  private NetworkSimulator sim;
  private CollectiveLearning node;
  private SimulatedNode raw;
  private io.github.edgenet.core.identity.NodeId selfId;
  private EnvelopeSender forge;
  private int params;

  private void start(LearningConfig.Rule rule) {
    sim = NetworkSimulator.builder().seed(8).build();
    NodeIdentity self = NodeIdentity.generate(RandomSource.seeded(8).derive("self"));
    NodeIdentity attacker = NodeIdentity.generate(RandomSource.seeded(8).derive("attacker"));
    ProtocolMux mux = new ProtocolMux(sim.addNode(self.id()));
    selfId = self.id();
    LearningConfig config = LearningConfig.builder().rule(rule).build();
    node = CollectiveLearning.start(self,
        mux.channel(CollectiveLearning.FIRST_TYPE, CollectiveLearning.LAST_TYPE), sim.clock(),
        RandomSource.seeded(9), DigitsTasks.DIM, 8, config,
        Map.of(DigitsTasks.TYPE, DIGITS.objective()), Set.of(), null);
    node.attach((type, limit) -> List.of(attacker.id())); // the attacker is a known provider
    raw = sim.addNode(attacker.id());
    forge = EnvelopeSender.create(attacker, sim.clock());
    params = 2 * 8 * DigitsTasks.DIM;
    // into the middle of a round
    long now = sim.clock().epochMillis();
    sim.runFor(Duration.ofMillis(ROUND - Math.floorMod(now, ROUND) + ROUND / 2));
  }

  /** The node's version of the type (rounds it aggregated alone already advanced it). */
  private long version() {
    return node.metrics().versionByType().get(DigitsTasks.TYPE);
  }

  private long round() {
    return Math.floorDiv(sim.clock().epochMillis(), ROUND);
  }

  private float[] vector(float value) {
    float[] v = new float[params];
    java.util.Arrays.fill(v, value);
    return v;
  }

  private byte[] share(String type, long round, long base, long samples, float[] v) {
    return forge.encode(CollectiveLearning.SHARE,
        LearningWire.encode(type, round, base, samples, 0, v));
  }

  private void send(byte[] frame) {
    raw.send(selfId, frame);
    sim.runFor(Duration.ofMillis(10));
  }

  @Test
  void everyBadShareIsCountedByReasonAndChangesNothing() {
    start(LearningConfig.Rule.TRIMMED_MEAN);
    long r = round();
    String key = node.current(DigitsTasks.TYPE).key();
    List<Object[]> cases = new ArrayList<>();
    byte[] garbage = new byte[200];
    garbage[0] = 'E';
    garbage[1] = 'N';
    garbage[2] = 'V';
    garbage[4] = 0x4A;
    garbage[5] = 0x10;
    cases.add(new Object[] {garbage, Rejection.ENVELOPE});
    cases.add(new Object[] {forge.encode(0x4A11, new byte[] {1, 2, 3}), Rejection.MALFORMED});
    cases.add(new Object[] {share("nope", r, 0, 1, vector(0)), Rejection.NOT_LEARNED});
    cases.add(new Object[] {forge.encode(CollectiveLearning.SHARE,
        LearningWire.encode(DigitsTasks.TYPE, r, 0, 1, 0, new float[10])),
        Rejection.WRONG_DIMENSION});
    ByteBuffer huge = ByteBuffer.allocate(2 + 6 + LearningWire.FIELDS);
    huge.putShort((short) 6).put("digits".getBytes()).putLong(r).putLong(0).putLong(1)
        .putDouble(0).putInt(Integer.MAX_VALUE);
    cases.add(new Object[] {forge.encode(CollectiveLearning.SHARE, huge.array()),
        Rejection.WRONG_DIMENSION});
    float[] nan = vector(0);
    nan[17] = Float.NaN;
    cases.add(new Object[] {share(DigitsTasks.TYPE, r, 0, 1, nan), Rejection.INVALID});
    cases.add(new Object[] {share(DigitsTasks.TYPE, r, 0, 0, vector(0)), Rejection.INVALID});
    byte[] body = LearningWire.encode(DigitsTasks.TYPE, r, 0, 1, 0, vector(0));
    byte[] trailing = java.util.Arrays.copyOf(body, body.length + 1);
    cases.add(new Object[] {forge.encode(CollectiveLearning.SHARE, trailing), Rejection.MALFORMED});
    byte[] badType = body.clone();
    badType[3] = 0x07;
    cases.add(new Object[] {forge.encode(CollectiveLearning.SHARE, badType), Rejection.MALFORMED});
    cases.add(new Object[] {forge.encode(CollectiveLearning.SHARE, new byte[] {0}),
        Rejection.MALFORMED});
    cases.add(new Object[] {share(DigitsTasks.TYPE, r + 5, 0, 1, vector(0)),
        Rejection.WRONG_ROUND});
    cases.add(new Object[] {share(DigitsTasks.TYPE, r - 3, 0, 1, vector(0)),
        Rejection.WRONG_ROUND});
    cases.add(new Object[] {share(DigitsTasks.TYPE, r, r + 7, 1, vector(0)), Rejection.STALE});
    long count = 0;
    for (Object[] c : cases) {
      Rejection reason = (Rejection) c[1];
      long before = node.metrics().rejected(reason);
      send((byte[]) c[0]);
      assertEquals(before + 1, node.metrics().rejected(reason), "case " + count + ": " + reason);
      count++;
    }
    byte[] valid = share(DigitsTasks.TYPE, r, version(), 1, vector(0.5f));
    send(valid);
    send(valid); // the same frame again: a replay
    LearningMetrics m = node.metrics();
    assertEquals(count + 1, m.rejectedTotal());
    assertEquals(2, m.rejected(Rejection.ENVELOPE), "the garbage and the replay");
    assertEquals(1, m.contributionsAccepted());
    assertEquals(key, node.current(DigitsTasks.TYPE).key(), "no round closed yet");
  }

  @Test
  void aShareEntersItsRoundOnceAndTheAggregateIsTheRulesOverAgents() {
    start(LearningConfig.Rule.MEAN);
    long r = round();
    MicroLora initial = TypeLearner.initialAdapter(DigitsTasks.TYPE, DigitsTasks.DIM, 8);
    float[] own = new float[params];
    initial.viewA().get(own, 0, params / 2);
    initial.viewBTransposed().get(own, params / 2, params / 2);
    long base = version();
    send(share(DigitsTasks.TYPE, r, base, 3, vector(0.25f)));
    send(share(DigitsTasks.TYPE, r, base, 5, vector(-0.75f))); // replaces, never adds
    assertEquals(2, node.metrics().contributionsAccepted());
    sim.runFor(Duration.ofMillis(ROUND)); // the round ends, this node shares, then closes it
    AdapterLearning.Selected v = node.current(DigitsTasks.TYPE);
    assertEquals("shared:digits@" + (r + 1), v.key());
    List<float[]> byAgent = new ArrayList<>(List.of(own, vector(-0.75f)));
    if (selfId.compareTo(raw.localId()) > 0) {
      java.util.Collections.reverse(byAgent); // agent-id order
    }
    float[] expected = Aggregators.mean().aggregate(byAgent);
    float[] got = new float[params];
    ((MicroLora) v.adapter()).viewA().get(got, 0, params / 2);
    ((MicroLora) v.adapter()).viewBTransposed().get(got, params / 2, params / 2);
    assertArrayEquals(expected, got);
    // now at version r + 1: a share computed from a version 3 rounds back is stale
    send(share(DigitsTasks.TYPE, round(), r - 2, 1, vector(0)));
    assertEquals(1, node.metrics().rejected(Rejection.STALE));
    // a share for the round just closed comes too late
    send(share(DigitsTasks.TYPE, r, r + 1, 1, vector(0)));
    assertEquals(1, node.metrics().rejected(Rejection.WRONG_ROUND));
  }
}
