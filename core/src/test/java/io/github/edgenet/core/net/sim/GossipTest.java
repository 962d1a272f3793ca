package io.github.edgenet.core.net.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.identity.NodeId;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Gossip reaches k distinct peers other than the sender, uniformly; floods 10,000 nodes. */
class GossipTest {

  static Stream<Arguments> sizes() {
    // (nodes, fanout, seed): covers the rejection path (k <= n/4), the shuffle path and "all".
    return Stream.of(
        Arguments.of(2, 1, 1L),
        Arguments.of(2, 5, 2L),
        Arguments.of(5, 0, 3L),
        Arguments.of(5, 3, 4L),
        Arguments.of(50, 1, 5L),
        Arguments.of(50, 10, 6L),
        Arguments.of(50, 30, 7L),
        Arguments.of(50, 49, 8L),
        Arguments.of(1000, 7, 9L),
        Arguments.of(1000, 900, 10L),
        Arguments.of(1000, 5000, 11L));
  }

  @ParameterizedTest(name = "{0} nodes, fanout {1}, seed {2}")
  @MethodSource("sizes")
  void reachesFanoutDistinctPeersOtherThanTheSender(int n, int fanout, long seed) {
    NetworkSimulator sim = NetworkSimulator.builder().seed(seed).build();
    List<SimulatedNode> nodes = sim.addNodes(n);
    Set<NodeId> receivers = new HashSet<>();
    int[] deliveries = {0};
    for (SimulatedNode node : nodes) {
      node.onMessage(
          (from, m) -> {
            deliveries[0]++;
            receivers.add(node.localId());
          });
    }
    for (int round = 0; round < 5; round++) {
      SimulatedNode sender = nodes.get(round % n);
      receivers.clear();
      deliveries[0] = 0;
      int expected = Math.min(fanout, n - 1);
      String where = n + " nodes, fanout " + fanout + ", seed " + seed + ", round " + round;
      assertEquals(expected, sender.gossip(new byte[] {1}, fanout), where);
      sim.runUntilIdle();
      assertEquals(expected, deliveries[0], where);
      assertEquals(expected, receivers.size(), "distinct receivers, " + where);
      assertFalse(receivers.contains(sender.localId()), "sent to itself, " + where);
    }
  }

  /** Each of the 19 peers is picked with probability 3/19 per round: counts within 6 sd. */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seedList")
  void peersArePickedUniformly(long seed) {
    for (int fanout : new int[] {3, 12}) { // one per selection algorithm
      NetworkSimulator sim = NetworkSimulator.builder().seed(seed).build();
      List<SimulatedNode> nodes = sim.addNodes(20);
      int[] counts = new int[20];
      for (int i = 0; i < 20; i++) {
        int index = i;
        nodes.get(i).onMessage((from, m) -> counts[index]++);
      }
      int rounds = 20_000;
      for (int r = 0; r < rounds; r++) {
        nodes.get(0).gossip(new byte[1], fanout);
      }
      sim.runUntilIdle();
      assertEquals(0, counts[0]);
      double p = fanout / 19.0;
      double sd = Math.sqrt(rounds * p * (1 - p));
      for (int i = 1; i < 20; i++) {
        assertEquals(rounds * p, counts[i], 6 * sd, "node " + i + ", fanout " + fanout + ", seed " + seed);
      }
    }
  }

  static Stream<Long> seedList() {
    return Stream.of(21L, 22L);
  }

  /**
   * An epidemic over 10,000 nodes: the origin gossips a rumor, every node forwards it once to 16
   * peers on first hearing it, over jittery links losing 1%. Everyone must hear it (the chance that
   * a node is missed is about exp(-16) each). Correctness only: no timing assertions.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seedList")
  void epidemicReachesAllTenThousandNodes(long seed) {
    int n = 10_000;
    NetworkSimulator sim =
        NetworkSimulator.builder()
            .seed(seed)
            .latency(LatencyModel.logNormal(Duration.ofMillis(30), 0.5))
            .loss(0.01)
            .build();
    List<SimulatedNode> nodes = sim.addNodes(n);
    boolean[] heard = new boolean[n];
    long[] heardAt = new long[n];
    int[] count = {0};
    for (int i = 0; i < n; i++) {
      int index = i;
      SimulatedNode node = nodes.get(i);
      node.onMessage(
          (from, m) -> {
            if (!heard[index]) {
              heard[index] = true;
              heardAt[index] = sim.now();
              count[0]++;
              node.gossip(m, 16);
            }
          });
    }
    heard[0] = true;
    count[0] = 1;
    nodes.get(0).gossip(new byte[] {1, 2, 3}, 16);
    assertTrue(sim.runUntilIdle(10_000_000), "flood must end, seed " + seed);
    assertEquals(n, count[0], "nodes reached, seed " + seed);
    NetworkStats s = sim.stats();
    assertEquals(16L * n, s.sent(), "every node forwards exactly once, seed " + seed);
    long last = 0;
    for (long t : heardAt) {
      last = Math.max(last, t);
    }
    // Hops are ~log_16(10^4) ~ 4-6, each ~30 ms: a sanity check on virtual time, not a benchmark.
    assertTrue(last < Duration.ofSeconds(2).toNanos(), "last node heard at " + last + " ns");
  }

  @Test
  void gossipFollowsViewChangesWithoutRebuildingPerMessage() {
    NetworkSimulator sim = NetworkSimulator.builder().seed(1).build();
    List<SimulatedNode> nodes = sim.addNodes(10);
    var before = nodes.get(0).membership();
    nodes.get(0).gossip(new byte[1], 3);
    assertTrue(before == nodes.get(0).membership(), "snapshot reused while the view is unchanged");
    SimulatedNode late = sim.addNode();
    assertTrue(nodes.get(0).membership().contains(late.localId()), "joins show at once");
    assertEquals(11, nodes.get(0).membership().size());
    sim.runFor(Duration.ofSeconds(1));
  }
}
