package io.github.edgenet.swarm.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.envelope.EnvelopeDecoder;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.SimulatedNode;
import io.github.edgenet.swarm.internal.TestEnvelopes;
import io.github.edgenet.swarm.internal.WireWriter;
import io.github.edgenet.swarm.protocol.SwarmMessageTypes;
import io.github.edgenet.swarm.protocol.SwarmProtocolException;
import io.github.edgenet.swarm.protocol.SwarmProtocolException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntropyConsensusTest {

  @Test
  void certaintyIsOneMinusNormalisedEntropy() {
    assertEquals(0, EntropyConsensus.certainty(new double[] {0.2, 0.2, 0.2, 0.2, 0.2}), 1e-12);
    assertEquals(1, EntropyConsensus.certainty(new double[] {0, 0, 1, 0, 0}), 1e-12);
    double h = -(0.5 * Math.log(0.5) + 0.5 * Math.log(0.5));
    assertEquals(h, EntropyConsensus.entropy(new double[] {0.5, 0.5, 0, 0}), 1e-12);
    assertEquals(1 - h / Math.log(4), EntropyConsensus.certainty(new double[] {0.5, 0.5, 0, 0}), 1e-12);
  }

  /** A small simulated swarm: node 0 observed, the others feed it. */
  private record Swarm(NetworkSimulator sim, List<EntropyConsensus> nodes, List<NodeIdentity> ids) {}

  private static Swarm swarm(int n, double[][] prefs, ConsensusConfig cfg) {
    NetworkSimulator sim = NetworkSimulator.builder().seed(7).build();
    List<EntropyConsensus> nodes = new ArrayList<>();
    List<NodeIdentity> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      NodeIdentity id = TestEnvelopes.identity(i);
      SimulatedNode node = sim.addNode(id.id());
      EntropyConsensus c = EntropyConsensus.builder(node, EnvelopeSender.create(id, sim.clock()),
          EnvelopeDecoder.create(sim.clock()), sim.clock(), cfg).preference(prefs[i]).build();
      nodes.add(c);
      ids.add(id);
    }
    return new Swarm(sim, nodes, ids);
  }

  @Test
  void certainNeighboursPullHarderThanUncertainOnes() {
    ConsensusConfig cfg = ConsensusConfig.builder(3).fanout(2).qualityExponent(0).build();
    // Node 0 is undecided; node 1 leans to option 1 weakly; node 2 is sure of option 2.
    Swarm s = swarm(3, new double[][] {{0.34, 0.33, 0.33}, {0.3, 0.4, 0.3}, {0.01, 0.01, 0.98}}, cfg);
    s.nodes().get(1).start(Duration.ZERO);
    s.nodes().get(2).start(Duration.ZERO);
    s.sim().runFor(Duration.ofMillis(50)); // one round each: node 0 has heard both
    s.nodes().get(1).stop();
    s.nodes().get(2).stop();
    s.nodes().get(0).start(Duration.ZERO);
    s.sim().runFor(Duration.ofMillis(50));
    double[] p = s.nodes().get(0).preference();
    assertEquals(2, s.nodes().get(0).activeNeighbours());
    assertTrue(p[2] > p[1], "the certain neighbour should pull harder: " + java.util.Arrays.toString(p));
    // Exactly one step of eta0 = 0.5 toward the certainty-weighted vote.
    double c0 = EntropyConsensus.certainty(new double[] {0.34, 0.33, 0.33});
    double c1 = EntropyConsensus.certainty(new double[] {0.3, 0.4, 0.3});
    double c2 = EntropyConsensus.certainty(new double[] {0.01, 0.01, 0.98});
    double c1f = (float) c1;
    double c2f = (float) c2;
    double total = c0 + c1f + c2f;
    assertEquals(0.5 * 0.34 + 0.5 * c0 / total, p[0], 1e-12);
    assertEquals(0.5 * 0.33 + 0.5 * c1f / total, p[1], 1e-12);
    assertEquals(0.5 * 0.33 + 0.5 * c2f / total, p[2], 1e-12);
  }

  @Test
  void silentNeighboursDropOutAfterTheTimeout() {
    ConsensusConfig cfg = ConsensusConfig.builder(2).fanout(3).build();
    double[][] prefs = {{0.5, 0.5}, {0.9, 0.1}, {0.8, 0.2}, {0.7, 0.3}};
    Swarm s = swarm(4, prefs, cfg);
    for (EntropyConsensus c : s.nodes()) {
      c.start(Duration.ZERO);
    }
    s.sim().runFor(Duration.ofMillis(1000));
    assertEquals(3, s.nodes().get(0).activeNeighbours());
    s.sim().crash(s.ids().get(1).id());
    s.sim().crash(s.ids().get(2).id());
    s.sim().runFor(Duration.ofMillis(450)); // > 3 periods
    assertEquals(1, s.nodes().get(0).activeNeighbours());
    assertTrue(s.nodes().get(0).converged());
    assertEquals(0, s.nodes().get(0).decision().getAsInt());
  }

  @Test
  void floodingSignerCountsOnceAndBadOpinionsChangeNothing() throws Exception {
    ConsensusConfig cfg = ConsensusConfig.builder(3).build();
    Swarm s = swarm(1, new double[][] {{0.4, 0.3, 0.3}}, cfg);
    EntropyConsensus c = s.nodes().getFirst();
    TestEnvelopes env = new TestEnvelopes();
    EnvelopeSender liar = env.sender(TestEnvelopes.identity(99));
    byte[] vote2 = new WireWriter().u8(1).u16(2).f32(1f).i64(1).toByteArray();
    for (int i = 0; i < 100; i++) {
      c.accept(env.roundTrip(liar, SwarmMessageTypes.CONSENSUS_OPINION, vote2));
    }
    assertEquals(1, c.activeNeighbours());
    byte[] badOption = new WireWriter().u8(1).u16(3).f32(1f).i64(1).toByteArray();
    byte[] badCertainty = new WireWriter().u8(1).u16(1).f32(1.5f).i64(1).toByteArray();
    EnvelopeSender other = env.sender(TestEnvelopes.identity(98));
    SwarmProtocolException e1 = assertThrows(SwarmProtocolException.class,
        () -> c.accept(env.roundTrip(other, SwarmMessageTypes.CONSENSUS_OPINION, badOption)));
    assertEquals(Reason.BAD_VALUE, e1.reason());
    assertThrows(SwarmProtocolException.class,
        () -> c.accept(env.roundTrip(other, SwarmMessageTypes.CONSENSUS_OPINION, badCertainty)));
    assertThrows(SwarmProtocolException.class,
        () -> c.accept(env.roundTrip(other, SwarmMessageTypes.MEMORY_PATTERNS, vote2)));
    assertEquals(1, c.activeNeighbours(), "a rejected opinion was recorded");
    c.onFrame(TestEnvelopes.id(5), new byte[] {1, 2, 3});
    assertEquals(1, c.rejected());
    // One round: the flooder weighs as one vote of certainty 1 (with quality 1 everywhere).
    c.start(Duration.ZERO);
    s.sim().runFor(Duration.ofMillis(10));
    double c0 = EntropyConsensus.certainty(new double[] {0.4, 0.3, 0.3});
    double total = c0 + 1;
    assertEquals(0.5 * 0.3 + 0.5 / total, c.preference()[2], 1e-12);
    assertFalse(c.converged());
  }

  @Test
  void configurationNamesBadValues() {
    var ex = assertThrows(IllegalArgumentException.class, () -> ConsensusConfig.builder(1).build());
    assertTrue(ex.getMessage().contains("options"), ex.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ConsensusConfig.builder(3).initialRate(1.5).build());
  }
}
