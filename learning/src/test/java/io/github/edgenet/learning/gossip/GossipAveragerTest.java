package io.github.edgenet.learning.gossip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.SimulatedNode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GossipAveragerTest {

  /** A simulated network of averagers over random vectors, with the true average. */
  static final class Net {
    final NetworkSimulator sim;
    final List<GossipAverager> nodes = new ArrayList<>();
    final List<NodeIdentity> ids = new ArrayList<>();
    final double[] truth;

    Net(long seed, int n, int d, double loss, GossipAverager.Mode mode) {
      sim = NetworkSimulator.builder().seed(seed).loss(loss).build();
      RandomSource r = RandomSource.seeded(seed);
      truth = new double[d];
      for (int i = 0; i < n; i++) {
        NodeIdentity id = NodeIdentity.generate(r);
        SimulatedNode node = sim.addNode(id.id());
        float[] v = new float[d];
        for (int j = 0; j < d; j++) {
          v[j] = (float) (r.nextGaussian() * 5 + j);
          truth[j] += (double) v[j] / n;
        }
        ids.add(id);
        nodes.add(GossipAverager.builder(node, id, sim.clock(), node.random(), v).mode(mode)
            .build());
      }
    }

    void rounds(int count) {
      for (int k = 0; k < count; k++) {
        for (GossipAverager a : nodes) {
          a.round();
        }
        sim.runUntilIdle();
      }
    }

    double maxRelativeError() {
      double worst = 0;
      float[] e = new float[truth.length];
      double scale = 0;
      for (double t : truth) {
        scale = Math.max(scale, Math.abs(t));
      }
      for (GossipAverager a : nodes) {
        a.estimate(e);
        for (int j = 0; j < e.length; j++) {
          worst = Math.max(worst, Math.abs(e[j] - truth[j]) / scale);
        }
      }
      return worst;
    }
  }

  /**
   * With ring neighbours only, one round of every node sends exactly one message to each of its
   * {@code k} successors in ascending id order, wrapping around: every node receives from its
   * {@code k} predecessors.
   */
  @Test
  void ringNeighboursAreTheSuccessorsInIdOrder() {
    int n = 9;
    int k = 3;
    NetworkSimulator sim = NetworkSimulator.builder().seed(3).build();
    RandomSource r = RandomSource.seeded(3);
    List<NodeIdentity> ids = new ArrayList<>();
    List<GossipAverager> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      NodeIdentity id = NodeIdentity.generate(r);
      SimulatedNode node = sim.addNode(id.id());
      ids.add(id);
      nodes.add(GossipAverager.builder(node, id, sim.clock(), node.random(), new float[] {i})
          .ringNeighbours(k).randomPeers(0).build());
    }
    GossipAverager first = nodes.getFirst();
    assertEquals(k, first.round(), "one push per ring neighbour");
    sim.runUntilIdle();
    List<io.github.edgenet.core.identity.NodeId> sorted = new ArrayList<>();
    ids.forEach(id -> sorted.add(id.id()));
    sorted.sort(null);
    int at = sorted.indexOf(first.id());
    for (int j = 0; j < n; j++) {
      GossipAverager a = nodes.get(j);
      int distance = Math.floorMod(sorted.indexOf(a.id()) - at, n);
      assertEquals(distance >= 1 && distance <= k ? 1 : 0, a.accepted(),
          "node at ring distance " + distance);
    }
  }

  /** Running sums reach relative error 1e-6 with 20% message loss; classic push-sum does not. */
  @Test
  void runningSumsConvergeWithTwentyPercentLossAndClassicPushSumDrifts() {
    Net robust = new Net(7, 20, 8, 0.2, GossipAverager.Mode.RUNNING_SUMS);
    robust.rounds(150);
    double err = robust.maxRelativeError();
    System.out.println("running sums, 20% loss, 150 rounds: max relative error " + err);
    assertTrue(err < 1e-6, "error " + err);
    assertTrue(robust.sim.stats().toString().length() > 0);
    Net plain = new Net(7, 20, 8, 0.2, GossipAverager.Mode.PLAIN);
    plain.rounds(80);
    double plainErr = plain.maxRelativeError();
    System.out.println("classic push-sum, 20% loss, 80 rounds: max relative error " + plainErr);
    assertTrue(plainErr > 100 * err, "classic error " + plainErr);
    Net clean = new Net(7, 20, 8, 0.0, GossipAverager.Mode.PLAIN);
    clean.rounds(60);
    assertTrue(clean.maxRelativeError() < 1e-6, "classic without loss " + clean.maxRelativeError());
  }

  /** Q8_0 shares: bytes per round about 5x below f64 (envelope included), error bounded by the block quantization. */
  @Test
  void q8SharesCutTheBytesAndKeepTheAverageWithinQuantizationError() {
    int d = 256;
    Net q8 = new Net(9, 20, d, 0.0, GossipAverager.Mode.PLAIN_Q8_0);
    Net f64 = new Net(9, 20, d, 0.0, GossipAverager.Mode.PLAIN);
    q8.rounds(40);
    f64.rounds(40);
    long q8Bytes = 0;
    long f64Bytes = 0;
    for (int i = 0; i < 20; i++) {
      q8Bytes += q8.nodes.get(i).bytesSent();
      f64Bytes += f64.nodes.get(i).bytesSent();
    }
    double errQ8 = q8.maxRelativeError();
    double errF64 = f64.maxRelativeError();
    System.out.printf("d=%d: bytes per node-round Q8_0 %.0f vs f64 %.0f; error Q8_0 %.2e vs f64 %.2e%n",
        d, q8Bytes / 800.0, f64Bytes / 800.0, errQ8, errF64);
    assertTrue(f64Bytes > 4.5 * q8Bytes, q8Bytes + " vs " + f64Bytes);
    assertTrue(errQ8 < 2e-2, "Q8_0 error " + errQ8);
    // mass is conserved exactly: sum of weights stays n
    double w = 0;
    for (GossipAverager a : q8.nodes) {
      w += a.weight();
    }
    assertEquals(20.0, w, 1e-9);
  }

  /** Malformed, oversized, non-finite, misaddressed, unsigned and stale messages change nothing. */
  @Test
  void badMessagesAreRejectedWithATypedReasonAndChangeNothing() {
    Net net = new Net(3, 3, 4, 0.0, GossipAverager.Mode.RUNNING_SUMS);
    GossipAverager victim = net.nodes.get(0);
    NodeIdentity attacker = net.ids.get(1);
    EnvelopeSender s = EnvelopeSender.create(attacker, net.sim.clock());
    float[] before = new float[4];
    victim.estimate(before);
    double[] mass = {1, 2, 3, 4, 1};
    byte[] good = PushSumMessage.encodeF64(PushSumMessage.Kind.RUNNING_SUM_F64, victim.id(), 1,
        mass, 4);
    byte[] nan = good.clone();
    ByteBuffer.wrap(nan).putDouble(53, Double.NaN);
    byte[] wrongDim = PushSumMessage.encodeF64(PushSumMessage.Kind.RUNNING_SUM_F64, victim.id(),
        1, new double[] {1, 2, 3, 1}, 3);
    byte[] huge = good.clone();
    ByteBuffer.wrap(huge).putInt(1, Integer.MAX_VALUE);
    byte[] misaddressed = PushSumMessage.encodeF64(PushSumMessage.Kind.RUNNING_SUM_F64,
        net.ids.get(2).id(), 1, mass, 4);
    byte[] badKind = good.clone();
    badKind[0] = 9;
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
    victim.onMessage(attacker.id(), s.encode(GossipAverager.DEFAULT_ENVELOPE_TYPE, nan));
    victim.onMessage(attacker.id(), s.encode(GossipAverager.DEFAULT_ENVELOPE_TYPE, wrongDim));
    victim.onMessage(attacker.id(), s.encode(GossipAverager.DEFAULT_ENVELOPE_TYPE, huge));
    victim.onMessage(attacker.id(), s.encode(GossipAverager.DEFAULT_ENVELOPE_TYPE, misaddressed));
    victim.onMessage(attacker.id(), s.encode(GossipAverager.DEFAULT_ENVELOPE_TYPE, badKind));
    victim.onMessage(attacker.id(), s.encode(GossipAverager.DEFAULT_ENVELOPE_TYPE, truncated));
    victim.onMessage(attacker.id(), s.encode(77, good));
    byte[] forged = s.encode(GossipAverager.DEFAULT_ENVELOPE_TYPE, good);
    forged[forged.length - 1] ^= 1;
    victim.onMessage(attacker.id(), forged);
    victim.onMessage(attacker.id(),
        s.encode(GossipAverager.DEFAULT_ENVELOPE_TYPE, new byte[good.length + 100]));
    float[] after = new float[4];
    victim.estimate(after);
    assertArrayEquals(before, after, "rejected messages change nothing");
    assertEquals(1, victim.rejected(GossipException.Reason.NOT_FINITE));
    assertEquals(1, victim.rejected(GossipException.Reason.WRONG_DIMENSION));
    assertEquals(1, victim.rejected(GossipException.Reason.WRONG_RECIPIENT));
    assertEquals(1, victim.rejected(GossipException.Reason.TOO_LARGE));
    assertEquals(3, victim.rejected(GossipException.Reason.MALFORMED));
    assertEquals(2, victim.rejected(GossipException.Reason.ENVELOPE), "oversized + forged");
    byte[] frame = s.encode(GossipAverager.DEFAULT_ENVELOPE_TYPE, good);
    victim.onMessage(attacker.id(), frame);
    assertEquals(1, victim.accepted());
    victim.onMessage(attacker.id(), s.encode(GossipAverager.DEFAULT_ENVELOPE_TYPE, good));
    assertEquals(1, victim.rejected(GossipException.Reason.STALE), "same link counter again");
    victim.onMessage(attacker.id(), frame);
    assertEquals(3, victim.rejected(GossipException.Reason.ENVELOPE), "replayed frame");
  }
}
