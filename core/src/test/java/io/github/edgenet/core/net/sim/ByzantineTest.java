package io.github.edgenet.core.net.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.edgenet.core.identity.NodeId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An interceptor on a node's outgoing traffic drops, alters, duplicates, redirects and spoofs. */
class ByzantineTest {
  record Arrival(NodeId claimedFrom, NodeId to, byte[] message, long time) {}

  private NetworkSimulator sim;
  private SimulatedNode honest;
  private SimulatedNode evil;
  private SimulatedNode victim;
  private SimulatedNode bystander;
  private List<Arrival> arrivals;
  private Trace trace;

  @BeforeEach
  void setUp() {
    sim =
        NetworkSimulator.builder()
            .seed(17)
            .latency(LatencyModel.constant(Duration.ofMillis(10)))
            .maxMessageBytes(100)
            .build();
    trace = new Trace(true);
    sim.setObserver(trace);
    honest = sim.addNode();
    evil = sim.addNode();
    victim = sim.addNode();
    bystander = sim.addNode();
    arrivals = new ArrayList<>();
    for (SimulatedNode n : List.of(honest, evil, victim, bystander)) {
      n.onMessage((from, m) -> arrivals.add(new Arrival(from, n.localId(), m, sim.now())));
    }
  }

  private void install(OutboundInterceptor interceptor) {
    sim.setInterceptor(evil.localId(), interceptor);
  }

  @Test
  void dropsEverything() {
    install((to, m, out) -> {});
    evil.send(victim.localId(), new byte[] {1});
    assertEquals(3, evil.gossip(new byte[] {2}, 5), "gossip still reports its targets");
    sim.runUntilIdle();
    assertEquals(List.of(), arrivals);
  }

  @Test
  void altersMessages() {
    install(
        (to, m, out) -> {
          byte[] bad = m.clone();
          bad[0] = 66;
          out.send(to, bad);
        });
    byte[] original = {1, 2, 3};
    evil.send(victim.localId(), original);
    sim.runUntilIdle();
    assertEquals(1, arrivals.size());
    assertArrayEquals(new byte[] {66, 2, 3}, arrivals.get(0).message());
    assertArrayEquals(new byte[] {1, 2, 3}, original, "the sender's array is untouched");
    assertEquals(evil.localId(), arrivals.get(0).claimedFrom());
  }

  @Test
  void duplicatesMessages() {
    install(
        (to, m, out) -> {
          for (int i = 0; i < 3; i++) {
            out.send(to, m);
          }
        });
    evil.send(victim.localId(), new byte[] {7});
    sim.runUntilIdle();
    assertEquals(3, arrivals.size());
  }

  @Test
  void redirectsMessages() {
    install((to, m, out) -> out.send(bystander.localId(), m));
    evil.send(victim.localId(), new byte[] {7});
    sim.runUntilIdle();
    assertEquals(1, arrivals.size());
    assertEquals(bystander.localId(), arrivals.get(0).to());
  }

  @Test
  void spoofsTheSenderAndInjectsMessages() {
    install(
        (to, m, out) -> {
          out.send(to, m);
          out.sendAs(honest.localId(), to, new byte[] {99});
        });
    evil.send(victim.localId(), new byte[] {1});
    sim.runUntilIdle();
    assertEquals(2, arrivals.size());
    assertEquals(evil.localId(), arrivals.get(0).claimedFrom());
    assertEquals(honest.localId(), arrivals.get(1).claimedFrom(), "the receiver sees the forgery");
    assertArrayEquals(new byte[] {99}, arrivals.get(1).message());
    // The observer knows the truth.
    assertEquals(evil.localId(), trace.deliveries.get(1).from());
  }

  @Test
  void delaysMessagesWithTheNodesTimer() {
    install((to, m, out) -> evil.schedule(Duration.ofMillis(500), () -> out.send(to, m)));
    evil.send(victim.localId(), new byte[] {1});
    sim.runUntilIdle();
    assertEquals(1, arrivals.size());
    assertEquals(510_000_000L, arrivals.get(0).time());
  }

  @Test
  void emittedMessagesStillObeyTheNetwork() {
    install((to, m, out) -> out.send(to, m));
    sim.partition(List.of(List.of(evil.localId())));
    evil.send(victim.localId(), new byte[] {1});
    sim.runUntilIdle();
    assertEquals(List.of(), arrivals);
    assertEquals(1, trace.drops(DropReason.PARTITION));

    sim.heal();
    install((to, m, out) -> out.send(to, new byte[101]));
    evil.send(victim.localId(), new byte[] {1});
    sim.runUntilIdle();
    assertEquals(List.of(), arrivals, "oversized injection dropped at the boundary");
    assertEquals(1, trace.drops(DropReason.OVERSIZE));
    assertEquals(1, sim.stats().oversize());
  }

  @Test
  void onlyTheByzantineNodeIsAffectedAndItCanBeCured() {
    install((to, m, out) -> {});
    honest.send(victim.localId(), new byte[] {1});
    evil.send(victim.localId(), new byte[] {2});
    sim.runUntilIdle();
    assertEquals(1, arrivals.size());
    assertEquals(honest.localId(), arrivals.get(0).claimedFrom());

    sim.setInterceptor(evil.localId(), null);
    evil.send(victim.localId(), new byte[] {3});
    sim.runUntilIdle();
    assertEquals(2, arrivals.size());
  }

  @Test
  void interceptorSeesEachGossipCopy() {
    List<NodeId> targets = new ArrayList<>();
    install((to, m, out) -> targets.add(to));
    assertEquals(3, evil.gossip(new byte[] {1}, 3));
    assertEquals(3, targets.size());
    assertEquals(3, targets.stream().distinct().count());
  }

  @Test
  void spoofingAnUnknownNodeIsRejected() {
    NodeId stranger = NodeId.of(new byte[NodeId.LENGTH]);
    install((to, m, out) -> out.sendAs(stranger, to, m));
    assertThrows(IllegalArgumentException.class, () -> evil.send(victim.localId(), new byte[1]));
  }
}
