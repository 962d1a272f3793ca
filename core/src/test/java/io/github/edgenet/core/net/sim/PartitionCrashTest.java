package io.github.edgenet.core.net.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.net.Membership;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Partitions drop cross-group traffic and heal; crashed nodes are silent and deaf until restart. */
class PartitionCrashTest {
  private static final Duration LATENCY = Duration.ofMillis(10);
  private static final Duration DETECTION = Duration.ofMillis(100);

  private NetworkSimulator sim;
  private SimulatedNode a;
  private SimulatedNode b;
  private SimulatedNode c;
  private SimulatedNode d;
  private List<String> received;
  private Trace trace;

  @BeforeEach
  void setUp() {
    sim =
        NetworkSimulator.builder()
            .seed(9)
            .latency(LatencyModel.constant(LATENCY))
            .failureDetectionDelay(DETECTION)
            .build();
    trace = new Trace(true);
    sim.setObserver(trace);
    a = sim.addNode();
    b = sim.addNode();
    c = sim.addNode();
    d = sim.addNode();
    received = new ArrayList<>();
    for (SimulatedNode n : List.of(a, b, c, d)) {
      String name = name(n);
      n.onMessage((from, m) -> received.add(name(sim.node(from)) + ">" + name + ":" + m[0]));
    }
  }

  private String name(SimulatedNode n) {
    return n == a ? "a" : n == b ? "b" : n == c ? "c" : "d";
  }

  private static Set<NodeId> ids(SimulatedNode... nodes) {
    Set<NodeId> s = new java.util.LinkedHashSet<>();
    for (SimulatedNode n : nodes) {
      s.add(n.localId());
    }
    return s;
  }

  @Test
  void partitionDropsCrossGroupTrafficAndHeals() {
    a.send(c.localId(), new byte[] {1}); // in flight when the partition starts: dropped on arrival
    sim.runFor(Duration.ofMillis(5));
    sim.partition(List.of(ids(a, b), ids(c, d)));
    a.send(b.localId(), new byte[] {2});
    a.send(c.localId(), new byte[] {3});
    d.send(c.localId(), new byte[] {4});
    d.send(a.localId(), new byte[] {5});
    sim.runFor(Duration.ofMillis(50));
    assertEquals(List.of("a>b:2", "d>c:4"), received);
    assertEquals(3, trace.drops(DropReason.PARTITION));
    assertEquals(3, sim.stats().partitioned());

    sim.heal();
    received.clear();
    a.send(c.localId(), new byte[] {6});
    d.send(a.localId(), new byte[] {7});
    sim.runFor(Duration.ofMillis(50));
    assertEquals(List.of("a>c:6", "d>a:7"), received);
  }

  @Test
  void nodesNotListedFormTheirOwnGroup() {
    sim.partition(List.of(ids(a)));
    b.send(c.localId(), new byte[] {1});
    b.send(a.localId(), new byte[] {2});
    sim.runFor(Duration.ofMillis(50));
    assertEquals(List.of("b>c:1"), received);
  }

  @Test
  void viewsSplitAfterTheDetectionDelayAndMergeAfterHeal() {
    List<Membership> aViews = new ArrayList<>();
    a.onMembershipChange(aViews::add);
    sim.runFor(Duration.ofMillis(1));
    assertEquals(List.of(Membership.of(ids(a, b, c, d))), aViews, "first view");

    sim.partition(List.of(ids(a, b), ids(c, d)));
    sim.runFor(DETECTION.minusMillis(1));
    assertEquals(4, a.membership().size(), "views lag the partition by the detection delay");
    sim.runFor(Duration.ofMillis(1));
    assertEquals(Membership.of(ids(a, b)), a.membership());
    assertEquals(Membership.of(ids(c, d)), d.membership());
    assertEquals(2, aViews.size());

    // Gossip now only reaches a's side.
    assertEquals(1, a.gossip(new byte[] {9}, 3));
    sim.runFor(Duration.ofMillis(20));
    assertEquals(List.of("a>b:9"), received);

    sim.heal();
    sim.runFor(DETECTION);
    assertEquals(Membership.of(ids(a, b, c, d)), a.membership());
    assertEquals(3, aViews.size());
    assertEquals(aViews.get(0), aViews.get(2));
  }

  @Test
  void crashedNodeReceivesNothingAndSendsNothing() {
    int[] ticks = {0};
    c.schedule(Duration.ofMillis(30), () -> ticks[0]++);
    a.send(c.localId(), new byte[] {1}); // in flight at the crash
    sim.runFor(Duration.ofMillis(5));
    sim.crash(c.localId());
    assertFalse(c.isUp());
    assertFalse(sim.isUp(c.localId()));

    a.send(c.localId(), new byte[] {2}); // sent to a crashed node
    c.send(a.localId(), new byte[] {3}); // a crashed node sends
    assertEquals(0, c.gossip(new byte[] {4}, 3), "a crashed node gossips to nobody");
    sim.runFor(Duration.ofMillis(100));

    assertEquals(List.of(), received);
    assertEquals(0, ticks[0], "a crashed node's timer must not fire");
    assertEquals(2, trace.drops(DropReason.RECEIVER_DOWN));
    assertEquals(1, trace.drops(DropReason.SENDER_DOWN));
    assertFalse(c.schedule(Duration.ZERO, () -> ticks[0]++).cancel(), "timer of a crashed node is lost");
  }

  @Test
  void restartedNodeWorksAgainWithAnEmptyInbox() {
    int[] restarts = {0};
    int[] ticks = {0};
    c.onRestart(() -> {
      restarts[0]++;
      c.schedule(Duration.ofMillis(1), () -> ticks[0]++);
    });
    sim.crash(c.localId());
    sim.runFor(Duration.ofMillis(1));
    a.send(c.localId(), new byte[] {1}); // sent while down, would arrive after the restart
    sim.runFor(Duration.ofMillis(2));
    sim.restart(c.localId());
    assertTrue(c.isUp());
    sim.runFor(Duration.ofMillis(20));
    assertEquals(1, restarts[0]);
    assertEquals(1, ticks[0], "timer re-armed by the restart hook");
    assertEquals(List.of(), received, "nothing sent before the restart arrives");

    a.send(c.localId(), new byte[] {2});
    c.send(d.localId(), new byte[] {3});
    sim.runFor(Duration.ofMillis(20));
    assertEquals(List.of("a>c:2", "c>d:3"), received);
  }

  @Test
  void viewsDropACrashedNodeAfterDetectionAndGossipThenAvoidsIt() {
    sim.crash(c.localId());
    sim.runFor(DETECTION);
    assertFalse(a.membership().contains(c.localId()));
    assertEquals(3, a.membership().size());
    for (int i = 0; i < 20; i++) {
      a.gossip(new byte[] {(byte) i}, 2);
    }
    sim.runFor(Duration.ofMillis(20));
    assertEquals(0, trace.drops(DropReason.RECEIVER_DOWN), "gossip picked the crashed node");
    sim.restart(c.localId());
    sim.runFor(DETECTION);
    assertTrue(a.membership().contains(c.localId()));
  }

  @Test
  void crashAndRestartStateErrors() {
    assertThrows(IllegalStateException.class, () -> sim.restart(a.localId()));
    sim.crash(a.localId());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> sim.crash(a.localId()));
    assertTrue(e.getMessage().contains(a.localId().toString()), e.getMessage());
    sim.restart(a.localId());
    b.close();
    assertThrows(IllegalStateException.class, () -> sim.crash(b.localId()));
    assertThrows(IllegalStateException.class, () -> sim.restart(b.localId()));
  }

  @Test
  void closedNodeLeavesViewsAtOnceAndRejectsUse() {
    c.close();
    c.close(); // idempotent
    sim.runFor(Duration.ofMillis(1));
    assertFalse(a.membership().contains(c.localId()));
    assertThrows(IllegalStateException.class, () -> c.send(a.localId(), new byte[1]));
    assertThrows(IllegalStateException.class, () -> c.gossip(new byte[1], 1));
    assertThrows(IllegalStateException.class, () -> c.schedule(Duration.ZERO, () -> {}));
    a.send(c.localId(), new byte[] {1});
    sim.runFor(Duration.ofMillis(20));
    assertEquals(List.of(), received);
  }
}
