package io.github.edgenet.core.net.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.net.Cancellable;
import io.github.edgenet.core.net.PeerNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Timers, run methods, size limits and the documented exceptions for bad arguments. */
class SimulatorApiTest {

  private static NetworkSimulator sim() {
    return NetworkSimulator.builder().seed(1).latency(LatencyModel.constant(Duration.ofMillis(10))).build();
  }

  private static <T extends Throwable> void assertNames(Class<T> type, Executable call, String... words) {
    T e = assertThrows(type, call);
    for (String w : words) {
      assertTrue(e.getMessage().contains(w), "message '" + e.getMessage() + "' should name " + w);
    }
  }

  @Test
  void timersRunAtTheirInstantInSchedulingOrder() {
    NetworkSimulator sim = sim();
    SimulatedNode n = sim.addNode();
    List<String> log = new ArrayList<>();
    n.schedule(Duration.ofMillis(5), () -> log.add("n5a@" + sim.now()));
    sim.schedule(Duration.ofMillis(5), () -> log.add("g5@" + sim.now()));
    n.schedule(Duration.ofMillis(5), () -> log.add("n5b@" + sim.now()));
    n.schedule(Duration.ofMillis(1), () -> log.add("n1@" + sim.clock().nanos()));
    sim.runUntilIdle();
    assertEquals(List.of("n1@1000000", "n5a@5000000", "g5@5000000", "n5b@5000000"), log);
  }

  @Test
  void periodicTimerTicksOnVirtualTime() {
    NetworkSimulator sim = sim();
    SimulatedNode n = sim.addNode();
    List<Long> ticks = new ArrayList<>();
    Runnable[] tick = new Runnable[1];
    tick[0] = () -> {
      ticks.add(sim.now());
      n.schedule(Duration.ofMillis(100), tick[0]);
    };
    n.schedule(Duration.ofMillis(100), tick[0]);
    sim.runFor(Duration.ofMillis(350));
    assertEquals(List.of(100_000_000L, 200_000_000L, 300_000_000L), ticks);
    assertEquals(350_000_000L, sim.now());
    assertEquals(350_000_000L, sim.clock().nanos());
    assertFalse(sim.runUntilIdle(10), "a periodic timer never lets the queue drain");
  }

  @Test
  void cancelledTimerDoesNotRun() {
    NetworkSimulator sim = sim();
    SimulatedNode n = sim.addNode();
    int[] runs = {0};
    Cancellable c = n.schedule(Duration.ofMillis(5), () -> runs[0]++);
    Cancellable g = sim.schedule(Duration.ofMillis(5), () -> runs[0]++);
    assertTrue(c.cancel());
    assertFalse(c.cancel(), "second cancel");
    assertTrue(g.cancel());
    sim.runUntilIdle();
    assertEquals(0, sim.pendingEvents(), "cancelled timers are discarded");
    assertEquals(0, runs[0]);
    Cancellable done = n.schedule(Duration.ZERO, () -> runs[0]++);
    sim.runUntilIdle();
    assertEquals(1, runs[0]);
    assertFalse(done.cancel(), "cancel after it ran");
  }

  @Test
  void stepProcessesOneEventAtATime() {
    NetworkSimulator sim = sim();
    SimulatedNode a = sim.addNode();
    SimulatedNode b = sim.addNode();
    int[] got = {0};
    b.onMessage((from, m) -> got[0]++);
    sim.runUntilIdle(); // the initial view event
    assertFalse(sim.step(), "nothing to do");
    a.send(b.localId(), new byte[1]);
    a.send(b.localId(), new byte[1]);
    assertEquals(2, sim.pendingEvents());
    assertTrue(sim.step());
    assertEquals(1, got[0]);
    assertEquals(10_000_000L, sim.now());
    assertTrue(sim.step());
    assertFalse(sim.step());
    assertEquals(2, got[0]);
  }

  @Test
  void runUntilStopsAtTheInstantAndLeavesLaterEvents() {
    NetworkSimulator sim = sim();
    SimulatedNode a = sim.addNode();
    SimulatedNode b = sim.addNode();
    List<Long> at = new ArrayList<>();
    b.onMessage((from, m) -> at.add(sim.now()));
    a.send(b.localId(), new byte[1]);
    sim.runUntil(9_999_999L);
    assertEquals(List.of(), at);
    sim.runUntil(10_000_000L);
    assertEquals(List.of(10_000_000L), at, "an event exactly at the limit runs");
  }

  @Test
  void sendToSelfAndToUnknownPeers() {
    NetworkSimulator sim = sim();
    SimulatedNode a = sim.addNode();
    int[] got = {0};
    a.onMessage((from, m) -> {
      got[0]++;
      assertEquals(a.localId(), from);
    });
    a.send(a.localId(), new byte[1]);
    a.send(NodeId.of(new byte[NodeId.LENGTH]), new byte[1]); // dropped, not an error
    sim.runUntilIdle();
    assertEquals(1, got[0]);
    assertEquals(1, sim.stats().unknownPeer());
  }

  @Test
  void messagesOverTheSizeLimitAreRejected() {
    NetworkSimulator sim =
        NetworkSimulator.builder().seed(2).maxMessageBytes(1000).build();
    SimulatedNode a = sim.addNode();
    SimulatedNode b = sim.addNode();
    assertEquals(1000, a.maxMessageBytes());
    a.send(b.localId(), new byte[1000]); // exactly the limit is fine
    a.gossip(new byte[1000], 1);
    assertNames(IllegalArgumentException.class, () -> a.send(b.localId(), new byte[1001]), "1000", "1001");
    assertNames(IllegalArgumentException.class, () -> a.gossip(new byte[1001], 1), "1000", "1001");
    assertEquals(2, sim.stats().sent());
    assertEquals(1 << 20, NetworkSimulator.builder().build().maxMessageBytes(), "default limit");
  }

  @Test
  void badArgumentsThrowTheDocumentedExceptions() {
    NetworkSimulator sim = sim();
    SimulatedNode a = sim.addNode();
    NodeId stranger = NodeId.of(new byte[NodeId.LENGTH]);

    assertNames(IllegalArgumentException.class, () -> a.gossip(new byte[1], -1), "fanout", "-1");
    assertNames(IllegalArgumentException.class, () -> a.schedule(Duration.ofMillis(-1), () -> {}), "delay");
    assertNames(IllegalArgumentException.class, () -> sim.schedule(Duration.ofMillis(-1), () -> {}), "delay");
    assertNames(IllegalArgumentException.class, () -> sim.runFor(Duration.ofNanos(-1)), "delay");
    assertNames(IllegalArgumentException.class, () -> sim.runUntilIdle(-1), "maxEvents", "-1");
    assertNames(IllegalArgumentException.class, () -> sim.addNodes(-2), "count", "-2");
    sim.runFor(Duration.ofSeconds(1));
    assertNames(IllegalArgumentException.class, () -> sim.runUntil(5), "timeNanos", "5");
    assertNames(IllegalArgumentException.class, () -> sim.crash(stranger), "node", stranger.toString());
    assertNames(IllegalArgumentException.class, () -> sim.node(stranger), "id");
    assertNames(IllegalArgumentException.class, () -> sim.setLink(a.localId(), stranger, null), "to");
    assertNames(IllegalArgumentException.class, () -> sim.setInterceptor(stranger, null), "node");
    assertNames(IllegalArgumentException.class, () -> sim.addNode(a.localId()), a.localId().toString());
    assertNames(
        IllegalArgumentException.class,
        () -> sim.partition(List.of(Set.of(a.localId()), Set.of(a.localId()))),
        "more than one group");
    assertNames(IllegalArgumentException.class, () -> sim.partition(List.of(Set.of(stranger))), "node");

    assertThrows(NullPointerException.class, () -> a.send(a.localId(), null));
    assertThrows(NullPointerException.class, () -> a.send(null, new byte[1]));
    assertThrows(NullPointerException.class, () -> a.gossip(null, 1));
    assertThrows(NullPointerException.class, () -> a.onMessage(null));
    assertThrows(NullPointerException.class, () -> a.schedule(Duration.ZERO, null));
    assertThrows(NullPointerException.class, () -> sim.schedule(null, () -> {}));
  }

  @Test
  void badConfigurationThrowsIllegalArgument() {
    var b = NetworkSimulator.builder();
    assertNames(IllegalArgumentException.class, () -> b.loss(-0.1), "loss", "-0.1");
    assertNames(IllegalArgumentException.class, () -> b.loss(1.5), "loss", "1.5");
    assertNames(IllegalArgumentException.class, () -> b.loss(Double.NaN), "loss", "NaN");
    assertNames(IllegalArgumentException.class, () -> b.duplication(2), "duplication", "2.0");
    assertNames(IllegalArgumentException.class, () -> b.reordering(-1, Duration.ZERO), "reorder");
    assertNames(IllegalArgumentException.class, () -> b.reordering(0.5, Duration.ofMillis(-1)), "maxDelay");
    assertNames(IllegalArgumentException.class, () -> b.maxMessageBytes(0), "maxMessageBytes", "0");
    assertNames(IllegalArgumentException.class, () -> b.failureDetectionDelay(Duration.ofSeconds(-1)), "delay");
    assertNames(IllegalArgumentException.class, () -> LatencyModel.constant(Duration.ofMillis(-1)), "latency");
    assertNames(
        IllegalArgumentException.class,
        () -> LatencyModel.uniform(Duration.ofMillis(5), Duration.ofMillis(4)),
        "max", "min");
    assertNames(IllegalArgumentException.class, () -> LatencyModel.logNormal(Duration.ofMillis(5), Double.NaN),
        "sigma");
    assertNames(IllegalArgumentException.class,
        () -> LatencyModel.normal(Duration.ofMillis(5), Duration.ofMillis(-5)), "stdDev");
    assertNames(IllegalArgumentException.class,
        () -> LatencyModel.exponential(Duration.ofMillis(-5), Duration.ZERO), "base");
    assertNames(IllegalArgumentException.class, () -> LinkModel.of(LatencyModel.constant(Duration.ZERO))
        .withLoss(7), "loss");
    assertThrows(NullPointerException.class, () -> b.latency(null));
  }

  @Test
  void runMethodsCannotBeCalledFromNodeCode() {
    NetworkSimulator sim = sim();
    SimulatedNode a = sim.addNode();
    List<Throwable> errors = new ArrayList<>();
    a.onMessage((from, m) -> {
      try {
        sim.step();
      } catch (IllegalStateException e) {
        errors.add(e);
      }
    });
    a.send(a.localId(), new byte[1]);
    sim.runUntilIdle();
    assertEquals(1, errors.size());
    assertTrue(errors.get(0).getMessage().contains("already running"));
    a.send(a.localId(), new byte[1]);
    sim.runUntilIdle();
    assertEquals(2, errors.size(), "the simulator stays usable");
  }

  @Test
  void nodeCodeExceptionsPropagateAndTheSimulatorStaysUsable() {
    NetworkSimulator sim = sim();
    SimulatedNode a = sim.addNode();
    int[] got = {0};
    a.onMessage((from, m) -> {
      got[0]++;
      if (m[0] == 1) {
        throw new IllegalStateException("node bug");
      }
    });
    a.send(a.localId(), new byte[] {1});
    a.send(a.localId(), new byte[] {2});
    assertThrows(IllegalStateException.class, sim::runUntilIdle);
    sim.runUntilIdle();
    assertEquals(2, got[0]);
  }

  @Test
  void aCustomLatencyModelThatGoesNegativeIsCaught() {
    LatencyModel broken = new LatencyModel() {
      @Override
      public long sampleNanos(java.util.random.RandomGenerator random) {
        return -5;
      }

      @Override
      public long minNanos() {
        return 0;
      }
    };
    NetworkSimulator sim = NetworkSimulator.builder().latency(broken).build();
    SimulatedNode a = sim.addNode();
    assertNames(IllegalStateException.class, () -> a.send(a.localId(), new byte[1]), "-5");
  }

  @Test
  void clockMovedFromOutsideIsDetected() {
    VirtualClock clock = new VirtualClock();
    clock.advanceNanos(1_000);
    NetworkSimulator sim = NetworkSimulator.builder().clock(clock).build();
    assertEquals(1_000, sim.now(), "the simulation starts at the clock's time");
    SimulatedNode a = sim.addNode();
    a.schedule(Duration.ofMillis(1), () -> {});
    clock.advanceNanos(5);
    assertNames(IllegalStateException.class, sim::runUntilIdle, "clock");
  }

  @Test
  void nodeIdsAreDerivedFromTheSeedAndIndex() {
    List<NodeId> first = NetworkSimulator.builder().seed(5).build().addNodes(3).stream()
        .map(PeerNetwork::localId).toList();
    List<NodeId> again = NetworkSimulator.builder().seed(5).build().addNodes(3).stream()
        .map(PeerNetwork::localId).toList();
    List<NodeId> other = NetworkSimulator.builder().seed(6).build().addNodes(3).stream()
        .map(PeerNetwork::localId).toList();
    assertEquals(first, again);
    assertNotEquals(first, other);
    assertEquals(3, Set.copyOf(first).size());
  }

  @Test
  void nodeLookupAndMembershipBasics() {
    NetworkSimulator sim = sim();
    List<SimulatedNode> nodes = sim.addNodes(5);
    assertEquals(5, sim.nodeCount());
    assertEquals(nodes, sim.nodes());
    assertSame(nodes.get(3), sim.node(nodes.get(3).localId()));
    assertSame(sim, nodes.get(3).simulator());
    assertEquals(
        nodes.stream().map(PeerNetwork::localId).toList(), nodes.get(0).membership().members(),
        "view in join order, self included");
    assertTrue(nodes.get(0).toString().contains("#0 up"), nodes.get(0).toString());
  }

  @Test
  void membershipListenerHearsJoins() {
    NetworkSimulator sim = sim();
    SimulatedNode a = sim.addNode();
    List<Integer> sizes = new ArrayList<>();
    a.onMembershipChange(m -> sizes.add(m.size()));
    sim.addNode();
    sim.runFor(Duration.ofMillis(1));
    sim.addNodes(3);
    sim.runFor(Duration.ofMillis(1));
    assertEquals(List.of(2, 5), sizes);
  }
}
