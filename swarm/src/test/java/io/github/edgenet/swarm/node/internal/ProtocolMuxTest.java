package io.github.edgenet.swarm.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.SimulatedNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames reach the channel whose range holds their envelope type; all others the fallback. */
class ProtocolMuxTest {

  @Test
  void framesAreRoutedByEnvelopeTypeAndTheRestGoesToTheFallback() {
    NetworkSimulator sim = NetworkSimulator.builder().seed(5).build();
    NodeIdentity a = NodeIdentity.generate(RandomSource.seeded(1));
    NodeIdentity b = NodeIdentity.generate(RandomSource.seeded(2));
    SimulatedNode na = sim.addNode(a.id());
    SimulatedNode nb = sim.addNode(b.id());
    ProtocolMux mux = new ProtocolMux(nb);
    List<Integer> ledger = new ArrayList<>();
    List<Integer> other = new ArrayList<>();
    List<Integer> rest = new ArrayList<>();
    mux.channel(0x4C00, 0x4CFF).onMessage((from, f) -> ledger.add(ProtocolMux.typeOf(f)));
    mux.channel(0x6000, 0x6000).onMessage((from, f) -> other.add(ProtocolMux.typeOf(f)));
    mux.fallback().onMessage((from, f) -> rest.add(f.length));
    EnvelopeSender s = EnvelopeSender.create(a, sim.clock());
    for (int type : new int[] {0x4C00, 0x4C01, 0x4CFF, 0x4BFF, 0x4D00, 0x5301, 0x6000, 0x6001}) {
      na.send(b.id(), s.encode(type, new byte[] {1}));
    }
    na.send(b.id(), new byte[] {'E', 'N', 'V', 1, 0x4C}); // too short to hold the type
    na.send(b.id(), new byte[] {'X', 'N', 'V', 1, 0x4C, 0x01, 0, 0}); // no magic
    na.send(b.id(), new byte[0]);
    sim.runFor(Duration.ofSeconds(1));

    assertEquals(List.of(0x4C00, 0x4C01, 0x4CFF), ledger.stream().sorted().toList());
    assertEquals(List.of(0x6000), other);
    assertEquals(7, rest.size(), "0x4BFF, 0x4D00, 0x5301, 0x6001 and the three bad frames");
  }

  @Test
  void overlappingRangesAreRefusedAndAClosedChannelHearsNothing() {
    NetworkSimulator sim = NetworkSimulator.builder().seed(6).build();
    NodeIdentity a = NodeIdentity.generate(RandomSource.seeded(3));
    NodeIdentity b = NodeIdentity.generate(RandomSource.seeded(4));
    SimulatedNode na = sim.addNode(a.id());
    ProtocolMux mux = new ProtocolMux(sim.addNode(b.id()));
    ProtocolMux.Channel c = mux.channel(10, 20);
    assertThrows(IllegalArgumentException.class, () -> mux.channel(20, 30));
    assertThrows(IllegalArgumentException.class, () -> mux.channel(0, 10));
    assertThrows(IllegalArgumentException.class, () -> mux.channel(5, 4));
    assertThrows(IllegalArgumentException.class, () -> mux.channel(0, 0x10000));
    mux.channel(21, 30); // adjacent is fine
    List<Integer> got = new ArrayList<>();
    c.onMessage((from, f) -> got.add(ProtocolMux.typeOf(f)));
    EnvelopeSender s = EnvelopeSender.create(a, sim.clock());
    na.send(b.id(), s.encode(15, new byte[0]));
    sim.runFor(Duration.ofMillis(500));
    c.close();
    na.send(b.id(), s.encode(16, new byte[0]));
    sim.runFor(Duration.ofMillis(500));
    assertEquals(List.of(15), got);
    assertEquals(b.id(), c.localId());
  }
}
