package io.github.edgenet.economy.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.SimulatedNode;
import io.github.edgenet.economy.internal.ReplicationCodec;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import io.github.edgenet.economy.ledger.OperationId;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Oversized, malformed, forged and unsigned peer messages are counted and change nothing. */
class PeerInputTest {
  @Test
  void badPeerMessagesChangeNothing() throws Exception {
    NetworkSimulator sim = NetworkSimulator.builder().seed(3).build();
    RandomSource keys = RandomSource.seeded(3);
    NodeIdentity victimId = NodeIdentity.generate(keys);
    NodeIdentity attackerId = NodeIdentity.generate(keys);
    SimulatedNode victim = sim.addNode(victimId.id());
    SimulatedNode attacker = sim.addNode(attackerId.id());
    LedgerConfig config = LedgerConfig.builder(Set.of(victimId.id())).build();
    try (Ledger ledger = Ledger.inMemory(config, sim.clock())) {
      LedgerReplicator rep =
          LedgerReplicator.builder(ledger, victimId, victim, sim.clock(), victim.random()).build();
      rep.start();
      rep.append(new OperationBody.Mint(1_000));
      sim.runFor(Duration.ofSeconds(2));
      byte[] digest = ledger.stateDigest();
      EnvelopeSender env = EnvelopeSender.create(attackerId, sim.clock());

      // 1. an ops message announcing more operations than allowed, before any is allocated
      byte[] tooMany = new byte[2];
      tooMany[0] = (byte) 0xFF;
      tooMany[1] = (byte) 0xFF;
      attacker.send(victimId.id(), env.encode(LedgerReplicator.TYPE_OPS, tooMany));
      // 2. an operation length field over Operation.MAX_BYTES
      byte[] longOp = {0, 1, (byte) 0xFF, (byte) 0xFF};
      attacker.send(victimId.id(), env.encode(LedgerReplicator.TYPE_OPS, longOp));
      // 3. a heads message whose count does not match its length
      attacker.send(victimId.id(), env.encode(LedgerReplicator.TYPE_HEADS, new byte[] {0, 9, 1}));
      // 4. an unknown message type
      attacker.send(victimId.id(), env.encode(0x4CFF, new byte[8]));
      // 5. a well-framed operation with a forged signature (attacker claims the victim's account)
      Operation honest = Operation.sign(attackerId, 0, OperationId.ZERO, 0,
          new OperationBody.Burn(1));
      byte[] forged = honest.encoded();
      victimId.id().writeTo(forged, 4);
      attacker.send(victimId.id(), env.encode(LedgerReplicator.TYPE_OPS,
          ReplicationCodec.encodeOps(List.of(Operation.decode(forged)), 60_000).getFirst()));
      // 6. raw garbage that is no envelope at all, and a replayed envelope
      attacker.send(victimId.id(), new byte[] {1, 2, 3});
      byte[] once = env.encode(LedgerReplicator.TYPE_PULL, ReplicationCodec.encodePulls(List.of()));
      attacker.send(victimId.id(), once);
      attacker.send(victimId.id(), once);
      sim.runFor(Duration.ofSeconds(2));

      assertArrayEquals(digest, ledger.stateDigest(), "nothing changed");
      assertEquals(1, ledger.size());
      LedgerReplicator.Stats s = rep.stats();
      assertEquals(4, s.malformedMessages(), s.toString());
      assertEquals(2, s.rejectedEnvelopes(), s.toString());
      assertEquals(1, s.operationsRejected(), s.toString());
      rep.close();
    }
    LedgerException e = assertThrows(LedgerException.class,
        () -> ReplicationCodec.decodeOps(new byte[] {(byte) 0xFF, (byte) 0xFF}));
    assertEquals(LedgerException.Reason.OVERSIZED, e.reason());
  }
}
