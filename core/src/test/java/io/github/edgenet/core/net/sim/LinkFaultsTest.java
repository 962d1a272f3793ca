package io.github.edgenet.core.net.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.testing.SeededCases;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Loss, duplication, latency and reordering on links, checked against their configuration. */
class LinkFaultsTest {

  private static byte[] numbered(int i) {
    return ByteBuffer.allocate(4).putInt(i).array();
  }

  private static int number(byte[] message) {
    return ByteBuffer.wrap(message).getInt();
  }

  static Stream<Arguments> lossCases() {
    return Stream.of(
        Arguments.of(0.01, 11L), Arguments.of(0.1, 12L), Arguments.of(0.5, 13L),
        Arguments.of(0.9, 14L));
  }

  /** Delivered count is Binomial(n, 1 - loss): it must land within 6 standard deviations. */
  @ParameterizedTest(name = "loss {0}, seed {1}")
  @MethodSource("lossCases")
  void lossRateMatchesConfiguration(double loss, long seed) {
    int n = 100_000;
    NetworkSimulator sim = NetworkSimulator.builder().seed(seed).loss(loss).build();
    SimulatedNode a = sim.addNode();
    SimulatedNode b = sim.addNode();
    int[] received = {0};
    b.onMessage((from, m) -> received[0]++);
    byte[] payload = {42};
    for (int i = 0; i < n; i++) {
      a.send(b.localId(), payload);
    }
    sim.runUntilIdle();
    double mean = n * (1 - loss);
    double sd = Math.sqrt(n * loss * (1 - loss));
    String where = "loss " + loss + ", seed " + seed + ": received " + received[0];
    assertEquals(mean, received[0], 6 * sd, where);
    NetworkStats s = sim.stats();
    assertEquals(received[0], s.delivered(), where);
    assertEquals(n - received[0], s.lost(), where);
    assertEquals(n, s.sent(), where);
  }

  @Test
  void noLossDeliversEverythingAndFullLossNothing() {
    for (double loss : new double[] {0.0, 1.0}) {
      NetworkSimulator sim = NetworkSimulator.builder().seed(5).loss(loss).build();
      SimulatedNode a = sim.addNode();
      SimulatedNode b = sim.addNode();
      int[] received = {0};
      b.onMessage((from, m) -> received[0]++);
      for (int i = 0; i < 1000; i++) {
        a.send(b.localId(), new byte[1]);
      }
      sim.runUntilIdle();
      assertEquals(loss == 0 ? 1000 : 0, received[0], "loss " + loss);
    }
  }

  /** Duplication 1: every message arrives exactly twice, as the same array (no copy). */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void fullDuplicationDeliversEachMessageTwiceAsTheSameArray(long seed) {
    NetworkSimulator sim = NetworkSimulator.builder()
        .seed(SeededCases.seed("LinkFaultsTest.fullDuplication", seed)).duplication(1.0).build();
    SimulatedNode a = sim.addNode();
    SimulatedNode b = sim.addNode();
    Map<byte[], Integer> arrivals = new IdentityHashMap<>();
    List<byte[]> sentArrays = new ArrayList<>();
    b.onMessage((from, m) -> arrivals.merge(m, 1, Integer::sum));
    for (int i = 0; i < 500; i++) {
      byte[] m = numbered(i);
      sentArrays.add(m);
      a.send(b.localId(), m);
    }
    sim.runUntilIdle();
    assertEquals(500, arrivals.size(), "distinct arrays received, seed " + seed);
    for (byte[] m : sentArrays) {
      assertEquals(2, arrivals.get(m), "copies of message " + number(m) + ", seed " + seed);
    }
    assertEquals(500, sim.stats().duplicated(), "seed " + seed);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void partialDuplicationRateMatchesConfiguration(long seed) {
    int n = 50_000;
    double p = 0.25;
    NetworkSimulator sim = NetworkSimulator.builder()
        .seed(SeededCases.seed("LinkFaultsTest.partialDuplication", seed)).duplication(p).build();
    SimulatedNode a = sim.addNode();
    SimulatedNode b = sim.addNode();
    int[] received = {0};
    b.onMessage((from, m) -> received[0]++);
    byte[] payload = {1};
    for (int i = 0; i < n; i++) {
      a.send(b.localId(), payload);
    }
    sim.runUntilIdle();
    double sd = Math.sqrt(n * p * (1 - p));
    assertEquals(n * (1 + p), received[0], 6 * sd, "seed " + seed);
  }

  static Stream<Long> seeds() {
    return SeededCases.seeds(1, 3);
  }

  static Stream<Arguments> latencyModels() {
    return Stream.of(
        Arguments.of("constant 7ms", LatencyModel.constant(Duration.ofMillis(7))),
        Arguments.of(
            "uniform 10-20ms", LatencyModel.uniform(Duration.ofMillis(10), Duration.ofMillis(20))),
        Arguments.of(
            "normal 50ms sd 10ms", LatencyModel.normal(Duration.ofMillis(50), Duration.ofMillis(10))),
        Arguments.of("lognormal 20ms 0.8", LatencyModel.logNormal(Duration.ofMillis(20), 0.8)),
        Arguments.of(
            "exponential 5ms + 15ms",
            LatencyModel.exponential(Duration.ofMillis(5), Duration.ofMillis(15))));
  }

  /**
   * Every message arrives no sooner than send time plus the model's minimum; and, with reordering
   * on, no later than the model allows plus the reorder delay (checked for bounded models).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("latencyModels")
  void deliveryRespectsMinimumLatency(String name, LatencyModel model) {
    NetworkSimulator sim =
        NetworkSimulator.builder()
            .seed(name.hashCode())
            .latency(model)
            .reordering(0.2, Duration.ofMillis(3))
            .build();
    SimulatedNode a = sim.addNode();
    SimulatedNode b = sim.addNode();
    long[] sentAt = new long[2000];
    long[] latencies = new long[2000];
    b.onMessage((from, m) -> latencies[number(m)] = sim.now() - sentAt[number(m)]);
    for (int i = 0; i < sentAt.length; i++) {
      int id = i;
      sim.schedule(
          Duration.ofMillis(i % 97),
          () -> {
            sentAt[id] = sim.now();
            a.send(b.localId(), numbered(id));
          });
    }
    sim.runUntilIdle();
    long sum = 0;
    for (int i = 0; i < latencies.length; i++) {
      assertTrue(
          latencies[i] >= model.minNanos(),
          name + ": message " + i + " took " + latencies[i] + " ns < min " + model.minNanos());
      sum += latencies[i];
    }
    if (model instanceof LatencyModels.Uniform u) {
      for (long l : latencies) {
        assertTrue(l <= u.max() + 3_000_000, name + ": latency " + l + " above max + reorder");
      }
    }
    assertTrue(sum > 0, name);
  }

  /** The means of the models are what their parameters say (a loose 5% bound on 20,000 draws). */
  @Test
  void latencyModelMeans() {
    var r = io.github.edgenet.core.RandomSource.seeded(8);
    assertMean(LatencyModel.uniform(Duration.ofMillis(10), Duration.ofMillis(20)), 15e6, r);
    assertMean(LatencyModel.normal(Duration.ofMillis(50), Duration.ofMillis(10)), 50e6, r);
    assertMean(LatencyModel.exponential(Duration.ofMillis(5), Duration.ofMillis(15)), 20e6, r);
    // log-normal mean = median * exp(sigma^2 / 2)
    assertMean(LatencyModel.logNormal(Duration.ofMillis(20), 0.5), 20e6 * Math.exp(0.125), r);
  }

  private static void assertMean(
      LatencyModel m, double expected, java.util.random.RandomGenerator r) {
    double sum = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      sum += m.sampleNanos(r);
    }
    assertEquals(expected, sum / n, 0.05 * expected, m.toString());
  }

  /** A constant-latency link is FIFO; jitter, or the reordering knob alone, reorders. */
  @Test
  void orderIsKeptWithoutJitterAndChangedWithIt() {
    assertEquals(0, inversions(LatencyModel.constant(Duration.ofMillis(5)), 0));
    assertTrue(
        inversions(LatencyModel.uniform(Duration.ofMillis(1), Duration.ofMillis(30)), 0) > 0,
        "uniform jitter must reorder");
    assertTrue(
        inversions(LatencyModel.constant(Duration.ofMillis(5)), 0.3) > 0,
        "the reordering knob must reorder a constant-latency link");
  }

  private static int inversions(LatencyModel model, double reorder) {
    NetworkSimulator sim =
        NetworkSimulator.builder()
            .seed(3)
            .latency(model)
            .reordering(reorder, Duration.ofMillis(20))
            .build();
    SimulatedNode a = sim.addNode();
    SimulatedNode b = sim.addNode();
    List<Integer> order = new ArrayList<>();
    b.onMessage((from, m) -> order.add(number(m)));
    for (int i = 0; i < 300; i++) {
      int id = i;
      sim.schedule(Duration.ofMillis(i), () -> a.send(b.localId(), numbered(id)));
    }
    sim.runUntilIdle();
    assertEquals(300, order.size());
    int inversions = 0;
    for (int i = 1; i < order.size(); i++) {
      if (order.get(i) < order.get(i - 1)) {
        inversions++;
      }
    }
    return inversions;
  }

  /** A per-link override applies to that direction only, and null restores the default. */
  @Test
  void linkOverrideAppliesToOneDirection() {
    NetworkSimulator sim =
        NetworkSimulator.builder().seed(4).latency(LatencyModel.constant(Duration.ofMillis(1))).build();
    SimulatedNode a = sim.addNode();
    SimulatedNode b = sim.addNode();
    sim.setLink(a.localId(), b.localId(), LinkModel.of(LatencyModel.constant(Duration.ofMillis(40))));
    long[] arrival = new long[2];
    b.onMessage((from, m) -> arrival[0] = sim.now());
    a.onMessage((from, m) -> arrival[1] = sim.now());
    a.send(b.localId(), new byte[1]);
    b.send(a.localId(), new byte[1]);
    sim.runUntilIdle();
    assertEquals(40_000_000L, arrival[0], "a -> b overridden");
    assertEquals(1_000_000L, arrival[1], "b -> a default");

    sim.setLink(a.localId(), b.localId(), null);
    long t0 = sim.now();
    a.send(b.localId(), new byte[1]);
    sim.runUntilIdle();
    assertEquals(t0 + 1_000_000L, arrival[0], "a -> b back to default");

    sim.setLink(a.localId(), b.localId(), LinkModel.of(LatencyModel.constant(Duration.ZERO)).withLoss(1));
    int before = (int) sim.stats().delivered();
    a.send(b.localId(), new byte[1]);
    b.send(a.localId(), new byte[1]);
    sim.runUntilIdle();
    assertEquals(before + 1, sim.stats().delivered(), "only b -> a gets through");
    assertEquals(1, sim.stats().lost());
  }

  @Test
  void pairOverrideAppliesToBothDirectionsOnly() {
    NetworkSimulator sim =
        NetworkSimulator.builder().seed(4).latency(LatencyModel.constant(Duration.ofMillis(1))).build();
    SimulatedNode a = sim.addNode();
    SimulatedNode b = sim.addNode();
    SimulatedNode c = sim.addNode();
    sim.setLinkBetween(a.localId(), b.localId(), LinkModel.of(LatencyModel.constant(Duration.ofMillis(30))));
    List<String> log = new ArrayList<>();
    for (SimulatedNode n : List.of(a, b, c)) {
      n.onMessage((from, m) -> log.add(m[0] + "@" + sim.now() / 1_000_000));
    }
    a.send(b.localId(), new byte[] {1});
    b.send(a.localId(), new byte[] {2});
    a.send(c.localId(), new byte[] {3});
    sim.runUntilIdle();
    assertEquals(List.of("3@1", "1@30", "2@30"), log);
  }

  /** Sent, delivered, dropped and in-flight counters balance at every step of a faulty run. */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void countersBalance(long seed) {
    NetworkSimulator sim =
        NetworkSimulator.builder().seed(SeededCases.seed("LinkFaultsTest.countersBalance", seed))
            .loss(0.1).duplication(0.1).build();
    List<SimulatedNode> nodes = sim.addNodes(20);
    for (SimulatedNode n : nodes) {
      n.onMessage((from, m) -> {
        if (m[0] < 4) {
          n.gossip(new byte[] {(byte) (m[0] + 1)}, 2);
        }
      });
    }
    nodes.get(0).gossip(new byte[] {0}, 3);
    sim.schedule(Duration.ofMillis(3), () -> sim.crash(nodes.get(5).localId()));
    sim.schedule(Duration.ofMillis(4), () -> sim.partition(List.of(List.of(nodes.get(1).localId()))));
    while (sim.step()) {
      NetworkStats s = sim.stats();
      assertEquals(
          s.sent() + s.duplicated(),
          s.delivered() + s.lost() + s.partitioned() + s.receiverDown() + s.inFlight(),
          "seed " + seed + ": " + s);
    }
    assertEquals(0, sim.stats().inFlight());
  }
}
