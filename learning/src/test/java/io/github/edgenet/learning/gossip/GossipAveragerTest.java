package io.github.edgenet.learning.gossip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

  /**
   * Q8_0 and f32 shares against f64 (no loss): bytes per node-round and the final error. Error
   * feedback is what the sums check tests: the sender subtracts exactly what it sent, so the sum
   * over all nodes of every coordinate stays the initial total to rounding, after 40 rounds and
   * after 200. A sender that subtracted its unquantized share instead creates or destroys the
   * quantization error with every message: the network's average then drifts from the truth (tried:
   * coordinate 0's total moved from -13.69 to -14.65 in 40 rounds). The per-node error alone
   * would not show it: it sits at the quantization floor either way (3.8e-3 with feedback, 6.0e-3
   * without, both under the bound).
   */
  @Test
  void compressedSharesCutTheBytesAndErrorFeedbackKeepsTheMassExact() {
    int d = 256;
    int n = 20;
    Net q8 = new Net(9, n, d, 0.0, GossipAverager.Mode.PLAIN_Q8_0);
    Net f32 = new Net(9, n, d, 0.0, GossipAverager.Mode.PLAIN_F32);
    Net f64 = new Net(9, n, d, 0.0, GossipAverager.Mode.PLAIN);
    q8.rounds(40);
    f32.rounds(40);
    f64.rounds(40);
    double q8Bytes = bytesPerNodeRound(q8, 40);
    double f32Bytes = bytesPerNodeRound(f32, 40);
    double f64Bytes = bytesPerNodeRound(f64, 40);
    double errQ8 = q8.maxRelativeError();
    double errF32 = f32.maxRelativeError();
    double errF64 = f64.maxRelativeError();
    System.out.printf("d=%d, 40 rounds: bytes per node-round Q8_0 %.0f, f32 %.0f, f64 %.0f; "
        + "max relative error Q8_0 %.2e, f32 %.2e, f64 %.2e%n",
        d, q8Bytes, f32Bytes, f64Bytes, errQ8, errF32, errF64);
    // payloads 53 + 16 + 256, 53 + 4 * 256 and 53 + 8 * 256 bytes, plus the same envelope
    assertTrue(f32Bytes > 2.5 * q8Bytes && f64Bytes > 4.5 * q8Bytes, q8Bytes + " vs " + f32Bytes);
    assertTrue(errQ8 < 1e-2, "Q8_0 error " + errQ8);
    assertTrue(errF32 < 1e-5 && errF64 < 1e-5, "f32 " + errF32 + ", f64 " + errF64);
    for (Net net : List.of(q8, f32)) {
      assertMassConserved(net);
    }
    q8.rounds(160);
    double errLater = q8.maxRelativeError();
    System.out.printf("Q8_0 after 200 rounds: max relative error %.2e%n", errLater);
    assertTrue(errLater < 1e-2, "Q8_0 error after 200 rounds " + errLater);
    assertMassConserved(q8);
  }

  private static double bytesPerNodeRound(Net net, int rounds) {
    long bytes = 0;
    for (GossipAverager a : net.nodes) {
      bytes += a.bytesSent();
    }
    return (double) bytes / net.nodes.size() / rounds;
  }

  /** Sum over nodes of the weights and of every coordinate's sums equals the initial total. */
  private static void assertMassConserved(Net net) {
    int n = net.nodes.size();
    double w = 0;
    double scale = 0;
    for (GossipAverager a : net.nodes) {
      w += a.weight();
    }
    assertEquals(n, w, 1e-9, "total weight");
    for (double t : net.truth) {
      scale = Math.max(scale, Math.abs(t) * n);
    }
    for (int j = 0; j < net.truth.length; j++) {
      double s = 0;
      for (GossipAverager a : net.nodes) {
        s += a.state().sum(j);
      }
      assertEquals(net.truth[j] * n, s, 1e-9 * scale, "total sum of coordinate " + j);
    }
  }

  /**
   * Malformed, oversized, non-finite, misaddressed, other-mode, unsigned and stale messages change
   * nothing.
   */
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
    byte[] posInf = good.clone();
    ByteBuffer.wrap(posInf).putDouble(53 + 8, Double.POSITIVE_INFINITY);
    byte[] negInf = good.clone();
    ByteBuffer.wrap(negInf).putDouble(53 + 24, Double.NEGATIVE_INFINITY);
    byte[] infWeight = good.clone();
    ByteBuffer.wrap(infWeight).putDouble(45, Double.POSITIVE_INFINITY);
    byte[] negWeight = good.clone();
    ByteBuffer.wrap(negWeight).putDouble(45, -1.0);
    byte[] f32Inf = PushSumMessage.encodeF32(victim.id(),
        new float[] {1, Float.NEGATIVE_INFINITY, 3, 4}, 1.0);
    byte[] wrongDim = PushSumMessage.encodeF64(PushSumMessage.Kind.RUNNING_SUM_F64, victim.id(),
        1, new double[] {1, 2, 3, 1}, 3);
    byte[] huge = good.clone();
    ByteBuffer.wrap(huge).putInt(1, Integer.MAX_VALUE);
    byte[] misaddressed = PushSumMessage.encodeF64(PushSumMessage.Kind.RUNNING_SUM_F64,
        net.ids.get(2).id(), 1, mass, 4);
    byte[] badKind = good.clone();
    badKind[0] = 9;
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
    byte[] plainShare = PushSumMessage.encodeF64(PushSumMessage.Kind.PLAIN_F64, victim.id(), 0,
        mass, 4);
    for (byte[] notFinite : List.of(nan, posInf, negInf, infWeight, negWeight, f32Inf)) {
      victim.onMessage(attacker.id(), s.encode(GossipAverager.DEFAULT_ENVELOPE_TYPE, notFinite));
    }
    victim.onMessage(attacker.id(), s.encode(GossipAverager.DEFAULT_ENVELOPE_TYPE, wrongDim));
    victim.onMessage(attacker.id(), s.encode(GossipAverager.DEFAULT_ENVELOPE_TYPE, huge));
    victim.onMessage(attacker.id(), s.encode(GossipAverager.DEFAULT_ENVELOPE_TYPE, misaddressed));
    victim.onMessage(attacker.id(), s.encode(GossipAverager.DEFAULT_ENVELOPE_TYPE, badKind));
    victim.onMessage(attacker.id(), s.encode(GossipAverager.DEFAULT_ENVELOPE_TYPE, truncated));
    victim.onMessage(attacker.id(), s.encode(GossipAverager.DEFAULT_ENVELOPE_TYPE, plainShare));
    victim.onMessage(attacker.id(), s.encode(77, good));
    byte[] forged = s.encode(GossipAverager.DEFAULT_ENVELOPE_TYPE, good);
    forged[forged.length - 1] ^= 1;
    victim.onMessage(attacker.id(), forged);
    victim.onMessage(attacker.id(),
        s.encode(GossipAverager.DEFAULT_ENVELOPE_TYPE, new byte[good.length + 100]));
    float[] after = new float[4];
    victim.estimate(after);
    assertArrayEquals(before, after, "rejected messages change nothing");
    assertEquals(6, victim.rejected(GossipException.Reason.NOT_FINITE));
    assertEquals(1, victim.rejected(GossipException.Reason.WRONG_DIMENSION));
    assertEquals(1, victim.rejected(GossipException.Reason.WRONG_RECIPIENT));
    assertEquals(1, victim.rejected(GossipException.Reason.TOO_LARGE));
    assertEquals(3, victim.rejected(GossipException.Reason.MALFORMED));
    assertEquals(1, victim.rejected(GossipException.Reason.WRONG_MODE),
        "a well-formed plain share sent to a running-sums averager");
    assertEquals(2, victim.rejected(GossipException.Reason.ENVELOPE), "oversized + forged");
    byte[] frame = s.encode(GossipAverager.DEFAULT_ENVELOPE_TYPE, good);
    victim.onMessage(attacker.id(), frame);
    assertEquals(1, victim.accepted());
    victim.onMessage(attacker.id(), s.encode(GossipAverager.DEFAULT_ENVELOPE_TYPE, good));
    assertEquals(1, victim.rejected(GossipException.Reason.STALE), "same link counter again");
    victim.onMessage(attacker.id(), frame);
    assertEquals(3, victim.rejected(GossipException.Reason.ENVELOPE), "replayed frame");
  }

  /**
   * A Q8_0 share whose block scale is not finite (f16 +Inf, -Inf or NaN) would dequantize to
   * infinities or NaN: rejected as {@code NOT_FINITE}, counted, and nothing changes.
   */
  @Test
  void aQ8ShareWithANonFiniteBlockScaleIsRejected() throws GossipException {
    int d = 40; // two blocks
    Net net = new Net(4, 2, d, 0.0, GossipAverager.Mode.PLAIN_Q8_0);
    GossipAverager victim = net.nodes.get(0);
    EnvelopeSender s = EnvelopeSender.create(net.ids.get(1), net.sim.clock());
    float[] share = new float[d];
    for (int i = 0; i < d; i++) {
      share[i] = i - 20;
    }
    byte[] good = PushSumMessage.encodeQ8(victim.id(), share, 0.5, new float[d]);
    float[] before = new float[d];
    victim.estimate(before);
    double weightBefore = victim.weight();
    short[] badScales = {
        Float.floatToFloat16(Float.POSITIVE_INFINITY),
        Float.floatToFloat16(Float.NEGATIVE_INFINITY),
        Float.floatToFloat16(Float.NaN)};
    for (int block = 0; block < 2; block++) {
      for (short scale : badScales) {
        byte[] bad = good.clone();
        ByteBuffer.wrap(bad).putShort(PushSumMessage.HEADER + 2 * block, scale);
        GossipException e = assertThrows(GossipException.class,
            () -> PushSumMessage.decode(bad, victim.id(), d, d));
        assertEquals(GossipException.Reason.NOT_FINITE, e.reason(), e.getMessage());
        victim.onMessage(net.ids.get(1).id(), s.encode(GossipAverager.DEFAULT_ENVELOPE_TYPE, bad));
      }
    }
    assertEquals(6, victim.rejected(GossipException.Reason.NOT_FINITE));
    assertEquals(0, victim.accepted());
    float[] after = new float[d];
    victim.estimate(after);
    assertArrayEquals(before, after, "rejected shares change nothing");
    assertEquals(weightBefore, victim.weight());
    // the same share with its finite scales is applied
    assertEquals(PushSumMessage.Kind.PLAIN_Q8_0,
        PushSumMessage.decode(good, victim.id(), d, d).kind());
    victim.onMessage(net.ids.get(1).id(), s.encode(GossipAverager.DEFAULT_ENVELOPE_TYPE, good));
    assertEquals(1, victim.accepted());
    assertEquals(weightBefore + 0.5, victim.weight(), 1e-12);
  }
}
