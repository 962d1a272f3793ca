package io.github.edgenet.learning.gossip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.SimulatedNode;
import io.github.edgenet.core.testing.SeededCases;
import io.github.edgenet.learning.aggregate.Aggregator;
import io.github.edgenet.learning.aggregate.Aggregators;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RobustGossipTest {
  static final int TYPE = RobustGossip.DEFAULT_ENVELOPE_TYPE;

  /** A simulated network of identities; nodes are built on demand with a rule. */
  static final class Net {
    final NetworkSimulator sim;
    final List<NodeIdentity> ids = new ArrayList<>();
    final List<SimulatedNode> endpoints = new ArrayList<>();
    final Map<Integer, EnvelopeSender> senders = new java.util.HashMap<>();

    Net(long seed, int n) {
      sim = NetworkSimulator.builder().seed(seed).build();
      RandomSource r = RandomSource.seeded(seed);
      for (int i = 0; i < n; i++) {
        NodeIdentity id = NodeIdentity.generate(r);
        ids.add(id);
        endpoints.add(sim.addNode(id.id()));
      }
    }

    RobustGossip.Builder builder(int i, Aggregator rule, float[] initial) {
      return RobustGossip.builder(endpoints.get(i), ids.get(i), sim.clock(), rule, initial);
    }

    /** One sender per identity, so that its sequence numbers keep increasing. */
    EnvelopeSender sender(int i) {
      return senders.computeIfAbsent(i, k -> EnvelopeSender.create(ids.get(k), sim.clock()));
    }

    int indexOf(NodeId id) {
      for (int i = 0; i < ids.size(); i++) {
        if (ids.get(i).id().equals(id)) {
          return i;
        }
      }
      throw new AssertionError(id);
    }
  }

  static byte[] frame(EnvelopeSender s, long round, float... v) {
    return s.encode(TYPE, RoundVector.encode(round, v));
  }

  static Stream<Long> seeds() {
    return SeededCases.seeds(300, 8);
  }

  /**
   * Neighbourhoods are symmetric (j is i's neighbour exactly when i is j's), exclude self, hold at
   * most {@code 2 (k + m)} peers, keep the ring part every round and draw new random peers.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void neighbourhoodsAreSymmetricBoundedAndRedrawnEachRound(long seed) {
    RandomSource r = SeededCases.random("RobustGossipTest.neighbourhoods", seed);
    int n = 1 + r.nextInt(40);
    int k = r.nextInt(4);
    int m = r.nextInt(4);
    List<NodeId> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(NodeIdentity.generate(r).id());
    }
    io.github.edgenet.core.net.Membership view = io.github.edgenet.core.net.Membership.of(ids);
    List<RoundNeighbourhood> hoods = new ArrayList<>();
    for (NodeId id : ids) {
      hoods.add(new RoundNeighbourhood(id, k, m, seed));
    }
    int changed = 0;
    for (long round = 0; round < 20; round++) {
      for (int i = 0; i < n; i++) {
        List<NodeId> mine = hoods.get(i).of(view, round);
        assertFalse(mine.contains(ids.get(i)), "self excluded");
        assertTrue(mine.size() <= Math.min(n - 1, 2 * (k + m)), mine.size() + " neighbours");
        List<NodeId> sorted = new ArrayList<>(mine);
        sorted.sort(null);
        assertEquals(sorted, mine, "id order");
        for (NodeId j : mine) {
          assertTrue(hoods.get(ids.indexOf(j)).of(view, round).contains(ids.get(i)),
              "symmetric in round " + round);
        }
        assertTrue(mine.size() >= Math.min(n - 1, 2 * k), "the ring part: " + mine.size());
        if (round > 0 && !mine.equals(hoods.get(i).of(view, round - 1))) {
          changed++;
        }
      }
    }
    if (m > 0 && n > 2 * k + 4) {
      assertTrue(changed > 0, "random peers are redrawn");
    }
    if (m == 0) {
      assertEquals(0, changed, "without random rings the neighbourhood is fixed");
    }
  }

  /** Each kind of bad frame is refused with its reason, and the round is unchanged. */
  @Test
  void badFramesAreRejectedWithATypedReasonAndChangeNothing() throws GossipException {
    Net net = new Net(3, 6);
    float[] own = {1, 2, 3, 4};
    RobustGossip victim =
        net.builder(0, Aggregators.mean(), own).ringNeighbours(1).randomRings(0).build();
    List<NodeId> hood = victim.neighbours(0);
    assertEquals(2, hood.size());
    int neighbour = net.indexOf(hood.get(0));
    int stranger = -1;
    for (int i = 1; i < 6 && stranger < 0; i++) {
      if (!hood.contains(net.ids.get(i).id())) {
        stranger = i;
      }
    }
    EnvelopeSender s = net.sender(neighbour);
    byte[] good = RoundVector.encode(0, new float[] {9, 9, 9, 9});
    Map<String, byte[]> frames = new LinkedHashMap<>();
    Map<String, GossipException.Reason> expected = new LinkedHashMap<>();
    byte[] forged = s.encode(TYPE, good);
    forged[forged.length - 1] ^= 1;
    add(frames, expected, "forged signature", forged, GossipException.Reason.ENVELOPE);
    add(frames, expected, "oversized payload", s.encode(TYPE, new byte[good.length + 4]),
        GossipException.Reason.ENVELOPE);
    add(frames, expected, "other type", s.encode(TYPE + 1, good),
        GossipException.Reason.MALFORMED);
    byte[] kind = good.clone();
    kind[0] = 2;
    add(frames, expected, "unknown kind", s.encode(TYPE, kind), GossipException.Reason.MALFORMED);
    add(frames, expected, "short header", s.encode(TYPE, new byte[5]),
        GossipException.Reason.MALFORMED);
    add(frames, expected, "truncated", s.encode(TYPE, Arrays.copyOf(good, good.length - 1)),
        GossipException.Reason.MALFORMED);
    byte[] negative = good.clone();
    ByteBuffer.wrap(negative).putLong(1, -1);
    add(frames, expected, "round past 2^63", s.encode(TYPE, negative),
        GossipException.Reason.MALFORMED);
    byte[] huge = good.clone();
    ByteBuffer.wrap(huge).putInt(9, -1); // 2^32 - 1 floats announced in a 29-byte payload
    add(frames, expected, "huge dimension", s.encode(TYPE, huge), GossipException.Reason.TOO_LARGE);
    add(frames, expected, "wrong dimension", frame(s, 0, 1, 2, 3),
        GossipException.Reason.WRONG_DIMENSION);
    add(frames, expected, "NaN", frame(s, 0, 1, Float.NaN, 3, 4),
        GossipException.Reason.NOT_FINITE);
    add(frames, expected, "infinite", frame(s, 0, 1, 2, 3, Float.NEGATIVE_INFINITY),
        GossipException.Reason.NOT_FINITE);
    add(frames, expected, "two rounds ahead", frame(s, 2, 9, 9, 9, 9),
        GossipException.Reason.FUTURE_ROUND);
    add(frames, expected, "not a neighbour", frame(net.sender(stranger), 0, 9, 9, 9, 9),
        GossipException.Reason.NOT_NEIGHBOUR);
    add(frames, expected, "own frame", frame(net.sender(0), 0, 9, 9, 9, 9),
        GossipException.Reason.NOT_NEIGHBOUR);
    for (Map.Entry<String, byte[]> f : frames.entrySet()) {
      GossipException ex =
          assertThrows(GossipException.class, () -> victim.receive(f.getValue()), f.getKey());
      assertEquals(expected.get(f.getKey()), ex.reason(), f.getKey() + ": " + ex.getMessage());
    }
    assertEquals(0, victim.received(), "nothing kept");
    assertEquals(0, victim.accepted());
    byte[] valid = s.encode(TYPE, good);
    assertEquals(RobustGossip.Outcome.ACCEPTED, victim.receive(valid));
    GossipException replay = assertThrows(GossipException.class, () -> victim.receive(valid));
    assertEquals(GossipException.Reason.ENVELOPE, replay.reason(), "replayed frame");
    RobustGossip.RoundResult r = victim.finish();
    assertTrue(r.aggregated());
    float[] v = new float[4];
    victim.vector(v);
    assertArrayEquals(new float[] {5, 5.5f, 6, 6.5f}, v, "mean of own and the one valid frame");
    GossipException stale =
        assertThrows(GossipException.class, () -> victim.receive(frame(s, 0, 0, 0, 0, 0)));
    assertEquals(GossipException.Reason.STALE_ROUND, stale.reason());
    // counted per reason: the table above plus the replay and the stale round
    assertEquals(3, victim.rejected(GossipException.Reason.ENVELOPE));
    assertEquals(5, victim.rejected(GossipException.Reason.MALFORMED));
    assertEquals(2, victim.rejected(GossipException.Reason.NOT_FINITE));
    assertEquals(2, victim.rejected(GossipException.Reason.NOT_NEIGHBOUR));
    assertEquals(1, victim.rejected(GossipException.Reason.STALE_ROUND));
    assertEquals(1, victim.rejected(GossipException.Reason.FUTURE_ROUND));
    // the network path counts the same way and never throws
    victim.onMessage(net.ids.get(neighbour).id(), forged);
    assertEquals(4, victim.rejected(GossipException.Reason.ENVELOPE));
  }

  private static void add(Map<String, byte[]> frames, Map<String, GossipException.Reason> reasons,
      String name, byte[] frame, GossipException.Reason reason) {
    frames.put(name, frame);
    reasons.put(name, reason);
  }

  /** A second vector from the same neighbour in a round replaces the first, never adds to it. */
  @Test
  void aResentVectorReplacesTheFirstAndIsCountedOnce() throws GossipException {
    Net net = new Net(4, 5);
    RobustGossip node =
        net.builder(0, Aggregators.mean(), new float[] {0, 0}).ringNeighbours(2).build();
    int a = net.indexOf(node.neighbours(0).get(0));
    int b = net.indexOf(node.neighbours(0).get(1));
    EnvelopeSender sa = net.sender(a);
    assertEquals(RobustGossip.Outcome.ACCEPTED, node.receive(frame(sa, 0, 30, 30)));
    assertEquals(RobustGossip.Outcome.REPLACED, node.receive(frame(sa, 0, 3, 6)));
    assertEquals(RobustGossip.Outcome.ACCEPTED, node.receive(frame(net.sender(b), 0, 6, 3)));
    assertEquals(2, node.received());
    assertEquals(1, node.replaced());
    RobustGossip.RoundResult r = node.finish();
    assertEquals(3, r.inputs().size(), "self and two neighbours, once each");
    float[] v = new float[2];
    node.vector(v);
    assertArrayEquals(new float[] {3, 3}, v, "mean of 0, 3 (the replacement) and 6");
  }

  /** A vector for the next round waits for it; one for a round already ended is refused. */
  @Test
  void vectorsForTheNextRoundAreKeptForIt() throws GossipException {
    Net net = new Net(5, 3);
    RobustGossip node = net.builder(0, Aggregators.mean(), new float[] {0}).build();
    EnvelopeSender s = net.sender(1);
    node.receive(frame(s, 1, 10));
    RobustGossip.RoundResult first = node.finish();
    assertFalse(first.aggregated(), "nothing for round 0 (minNeighbours 1)");
    assertEquals(1, node.received(), "round 1's vector is now current");
    assertTrue(node.finish().aggregated());
    float[] v = new float[1];
    node.vector(v);
    assertEquals(5f, v[0]);
  }

  /**
   * Two nodes holding the same vectors compute bit-identical results whatever the arrival order:
   * the rule sees its inputs in ascending id order, self at its place.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void twoNodesWithTheSameFramesComputeBitIdenticalResults(long seed) throws GossipException {
    RandomSource r = SeededCases.random("RobustGossipTest.determinism", seed);
    int n = 9;
    int d = 33;
    Map<String, Aggregator> rules = new LinkedHashMap<>();
    rules.put("mean", Aggregators.mean());
    rules.put("median", Aggregators.median());
    rules.put("trimmed mean", Aggregators.trimmedMean(0.2));
    rules.put("multi-krum", Aggregators.multiKrum(2, 3));
    rules.put("centered clipping", Aggregators.centeredClipping(0.5f, 3));
    rules.put("first input", (inputs, out) -> {
      System.arraycopy(inputs.get(0), 0, out, 0, out.length);
    });
    float[] own = random(r, d);
    float[][] others = new float[n][];
    for (int i = 2; i < n; i++) {
      others[i] = random(r, d);
    }
    for (Map.Entry<String, Aggregator> rule : rules.entrySet()) {
      Net net = new Net(seed, n);
      RobustGossip x = net.builder(0, rule.getValue(), own).ringNeighbours(4).build();
      RobustGossip y = net.builder(1, rule.getValue(), own).ringNeighbours(4).build();
      List<byte[]> frames = new ArrayList<>();
      for (int i = 2; i < n; i++) {
        frames.add(frame(net.sender(i), 0, others[i]));
      }
      int[] order = SeededCases.permutation(r, frames.size());
      for (int i = 0; i < frames.size(); i++) {
        x.receive(frames.get(i));
        y.receive(frames.get(order[i]));
      }
      x.receive(frame(net.sender(1), 0, own)); // x and y hold each other's (equal) vectors
      y.receive(frame(net.sender(0), 0, own));
      RobustGossip.RoundResult rx = x.finish();
      RobustGossip.RoundResult ry = y.finish();
      assertTrue(rx.aggregated() && ry.aggregated(), rule.getKey());
      assertEquals(rx.inputs(), ry.inputs());
      List<NodeId> sorted = new ArrayList<>(rx.inputs());
      sorted.sort(null);
      assertEquals(sorted, rx.inputs(), "id order");
      float[] vx = new float[d];
      float[] vy = new float[d];
      x.vector(vx);
      y.vector(vy);
      for (int j = 0; j < d; j++) {
        assertEquals(Float.floatToRawIntBits(vx[j]), Float.floatToRawIntBits(vy[j]),
            rule.getKey() + " coordinate " + j);
      }
      if (rule.getKey().equals("first input")) {
        int lowest = net.indexOf(rx.inputs().get(0));
        float[] expected = lowest < 2 ? own : others[lowest];
        assertArrayEquals(expected, vx, "the rule's first input is the lowest id's vector");
      }
    }
  }

  static float[] random(RandomSource r, int d) {
    float[] v = new float[d];
    for (int j = 0; j < d; j++) {
      v[j] = (float) r.nextGaussian();
    }
    return v;
  }

  /**
   * Byzantine neighbours within the rule's tolerance (median: fewer than half of the inputs;
   * trimmed mean 0.25 of 9 inputs: 2) do not move the result outside the honest range, per
   * coordinate, however extreme their vectors; the mean is moved far outside.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void byzantineNeighboursWithinToleranceStayInsideTheHonestRange(long seed)
      throws GossipException {
    RandomSource r = SeededCases.random("RobustGossipTest.honestRange", seed);
    int n = 9; // the node and 8 neighbours
    int d = 16;
    float extreme = r.nextBoolean() ? 3e38f : -1e6f;
    Map<String, Integer> tolerated = new LinkedHashMap<>();
    tolerated.put("median", 4);
    tolerated.put("trimmed mean 0.25", 2);
    tolerated.put("mean", 1);
    for (Map.Entry<String, Integer> c : tolerated.entrySet()) {
      Aggregator rule = switch (c.getKey()) {
        case "median" -> Aggregators.median();
        case "trimmed mean 0.25" -> Aggregators.trimmedMean(0.25);
        default -> Aggregators.mean();
      };
      Net net = new Net(seed, n);
      float[] own = random(r, d);
      RobustGossip node = net.builder(0, rule, own).ringNeighbours(4).build();
      float[] lo = own.clone();
      float[] hi = own.clone();
      int byzantine = c.getValue();
      for (int i = 1; i < n; i++) {
        float[] v = new float[d];
        if (i <= byzantine) {
          Arrays.fill(v, extreme);
          v[r.nextInt(d)] = -extreme; // both sides, too
        } else {
          v = random(r, d);
          for (int j = 0; j < d; j++) {
            lo[j] = Math.min(lo[j], v[j]);
            hi[j] = Math.max(hi[j], v[j]);
          }
        }
        node.receive(frame(net.sender(i), 0, v));
      }
      assertTrue(node.finish().aggregated());
      float[] out = new float[d];
      node.vector(out);
      boolean inside = true;
      for (int j = 0; j < d; j++) {
        inside &= out[j] >= lo[j] && out[j] <= hi[j];
      }
      if (c.getKey().equals("mean")) {
        assertFalse(inside, "one extreme vector moves the mean out: " + Arrays.toString(out));
      } else {
        assertTrue(inside, c.getKey() + " with " + byzantine + " Byzantine of " + n + ": "
            + Arrays.toString(out));
      }
    }
  }

  /** Beyond the tolerance the rule gives no guarantee: 5 Byzantine of 9 move the median. */
  @Test
  void beyondTheToleranceAByzantineMajorityMovesTheMedian() throws GossipException {
    Net net = new Net(8, 9);
    RobustGossip node =
        net.builder(0, Aggregators.median(), new float[] {0}).ringNeighbours(4).build();
    for (int i = 1; i < 9; i++) {
      node.receive(frame(net.sender(i), 0, i <= 5 ? 1000f : 0f));
    }
    node.finish();
    float[] v = new float[1];
    node.vector(v);
    assertEquals(1000f, v[0], "5 of 9 inputs are the attacker's: the median is theirs");
  }

  /**
   * With fewer than {@code minNeighbours} vectors, or a count the rule refuses (Krum needs
   * {@code n > 2f + 2}), the node keeps its own vector for the round.
   */
  @Test
  void tooFewNeighboursKeepTheOwnVector() throws GossipException {
    Net net = new Net(9, 9);
    float[] own = {1, 1};
    RobustGossip node = net.builder(0, Aggregators.mean(), own).ringNeighbours(4)
        .minNeighbours(3).build();
    node.receive(frame(net.sender(1), 0, 7, 7));
    node.receive(frame(net.sender(2), 0, 7, 7));
    RobustGossip.RoundResult r = node.finish();
    assertFalse(r.aggregated());
    assertEquals(3, r.inputs().size());
    float[] v = new float[2];
    node.vector(v);
    assertArrayEquals(own, v, "kept");
    for (int i = 1; i <= 3; i++) {
      node.receive(frame(net.sender(i), 1, 7, 7));
    }
    assertTrue(node.finish().aggregated(), "three arrived");
    node.vector(v);
    assertArrayEquals(new float[] {5.5f, 5.5f}, v);

    RobustGossip krum = net.builder(1, Aggregators.krum(2), own).ringNeighbours(4).build();
    for (int i = 2; i <= 6; i++) {
      krum.receive(frame(net.sender(i), 0, i, i)); // 6 inputs: not > 2f + 2
    }
    assertFalse(krum.finish().aggregated(), "Krum refuses 6 inputs with f = 2");
    krum.vector(v);
    assertArrayEquals(own, v);
    for (int i = 2; i <= 8; i++) {
      krum.receive(frame(net.sender(i), 1, i, i));
    }
    assertTrue(krum.finish().aggregated(), "8 inputs > 6");
  }

  /** A rule that returns a non-finite result is not applied. */
  @Test
  void aNonFiniteResultIsNotApplied() throws GossipException {
    Net net = new Net(10, 3);
    float[] own = {1, 2};
    RobustGossip node = net.builder(0, (inputs, out) -> Arrays.fill(out, Float.NaN), own).build();
    node.receive(frame(net.sender(1), 0, 3, 4));
    assertFalse(node.finish().aggregated());
    float[] v = new float[2];
    node.vector(v);
    assertArrayEquals(own, v);
  }

  /**
   * Over the simulator: every node receives exactly one vector per neighbour per round (the
   * neighbourhoods agree, nothing is refused), and median rounds contract the honest spread.
   */
  @Test
  void roundsOverTheSimulatorReachEveryNeighbourAndContract() {
    int n = 30;
    Net net = new Net(11, n);
    RandomSource r = RandomSource.seeded(11);
    List<RobustGossip> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      nodes.add(net.builder(i, Aggregators.median(), new float[] {(float) r.nextGaussian() * 10})
          .ringNeighbours(2).randomRings(2).topologySeed(77).minNeighbours(4).build());
    }
    double spread0 = spread(nodes);
    for (int round = 0; round < 12; round++) {
      int sent = 0;
      for (RobustGossip g : nodes) {
        sent += g.send();
      }
      net.sim.runUntilIdle();
      int received = 0;
      for (RobustGossip g : nodes) {
        assertEquals(g.neighbours(round).size(), g.received(), "one vector per neighbour");
        received += g.received();
        assertTrue(g.finish().aggregated());
      }
      assertEquals(sent, received);
    }
    for (RobustGossip g : nodes) {
      for (GossipException.Reason reason : GossipException.Reason.values()) {
        assertEquals(0, g.rejected(reason), reason.toString());
      }
    }
    double spread = spread(nodes);
    System.out.printf("median gossip, %d nodes, 12 rounds: spread %.3g -> %.3g%n", n, spread0,
        spread);
    assertTrue(spread < 0.05 * spread0, spread0 + " -> " + spread);
  }

  static double spread(List<RobustGossip> nodes) {
    float lo = Float.MAX_VALUE;
    float hi = -Float.MAX_VALUE;
    float[] v = new float[1];
    for (RobustGossip g : nodes) {
      g.vector(v);
      lo = Math.min(lo, v[0]);
      hi = Math.max(hi, v[0]);
    }
    return hi - lo;
  }

  /** Programmer errors at the API boundary. */
  @Test
  void argumentsAreChecked() {
    Net net = new Net(12, 2);
    assertThrows(IllegalArgumentException.class,
        () -> net.builder(0, Aggregators.mean(), new float[0]));
    assertThrows(IllegalArgumentException.class,
        () -> net.builder(0, Aggregators.mean(), new float[] {Float.NaN}));
    RobustGossip.Builder b = net.builder(0, Aggregators.mean(), new float[] {1});
    assertThrows(IllegalArgumentException.class, () -> b.ringNeighbours(-1));
    assertThrows(IllegalArgumentException.class, () -> b.randomRings(-1));
    assertThrows(IllegalArgumentException.class, () -> b.minNeighbours(-1));
    assertThrows(IllegalArgumentException.class, () -> b.roundsAhead(17));
    assertThrows(IllegalArgumentException.class, () -> b.firstRound(-1));
    assertThrows(IllegalArgumentException.class, () -> b.envelopeType(0x10000));
    RobustGossip g = b.firstRound(5).build();
    assertEquals(5, g.round());
    assertThrows(IllegalArgumentException.class, () -> g.vector(new float[2]));
    assertThrows(IllegalArgumentException.class, () -> g.addToVector(new float[] {Float.NaN}));
    g.setVector(new float[] {3e38f});
    assertThrows(IllegalArgumentException.class, () -> g.addToVector(new float[] {3e38f}));
    float[] v = new float[1];
    g.vector(v);
    assertEquals(3e38f, v[0], "a refused step changes nothing");
  }
}
