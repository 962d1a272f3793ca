package io.github.edgenet.swarm.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.SimulatedNode;
import io.github.edgenet.swarm.node.EdgeNode;
import io.github.edgenet.swarm.node.NodeMetrics;
import io.github.edgenet.swarm.node.RejectionReason;
import io.github.edgenet.swarm.node.Task;
import io.github.edgenet.swarm.node.TaskId;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Forged and malformed messages are rejected, counted by reason, and change nothing else. */
class ProtocolRejectionTest {
  private static final float[] EMBEDDING = {
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
  };

  private static NodeIdentity id(int i) {
    return NodeIdentity.generate(RandomSource.seeded(99).derive(i));
  }

  @Test
  void everyForgedOrMalformedMessageIsCountedByReasonAndChangesNothing() {
    NetworkSimulator sim = NetworkSimulator.builder().seed(3).build();
    AtomicInteger runs = new AtomicInteger();
    EdgeNode worker = EdgeNode.builder().simulator(sim).identity(id(1))
        .executor("echo", 5, ctx -> {
          runs.incrementAndGet();
          return ctx.payload();
        }).build();
    EdgeNode host = EdgeNode.builder().simulator(sim).identity(id(0)).build();
    NodeIdentity attacker = id(2);
    SimulatedNode evil = sim.addNode(attacker.id());
    EnvelopeSender signer = EnvelopeSender.create(attacker, sim.clock());
    sim.runFor(Duration.ofSeconds(3)); // announcements settle
    NodeMetrics before = worker.metrics();
    long deadline = sim.clock().epochMillis() + 10_000;

    TaskId attackersTask = new TaskId(attacker.id(), 1);
    TaskId hostsTask = new TaskId(host.id(), 0);
    byte[] award = Messages.award(new Messages.Award(attackersTask, Messages.PRIMARY, "echo", 5,
        deadline, new byte[] {1, 2}, EMBEDDING));

    Map<RejectionReason, Integer> expected = new EnumMap<>(RejectionReason.class);
    evil.send(worker.id(), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    expected.put(RejectionReason.BAD_MAGIC, 1);
    byte[] good = signer.encode(Messages.AWARD, award);
    byte[] flipped = good.clone();
    flipped[70] ^= 1; // inside the payload: the signature no longer matches
    evil.send(worker.id(), flipped);
    expected.put(RejectionReason.BAD_SIGNATURE, 1);
    byte[] truncated = Arrays.copyOf(good, good.length - 1);
    evil.send(worker.id(), truncated);
    expected.put(RejectionReason.TRUNCATED, 1);
    evil.send(worker.id(), signer.encode(0x1234, new byte[] {0}));
    expected.put(RejectionReason.UNKNOWN_MESSAGE_TYPE, 1);
    evil.send(worker.id(), signer.encode(Messages.AWARD, Arrays.copyOf(award, 30)));
    byte[] hugeLength = award.clone();
    int payloadLengthAt = 32 + 8 + 1 + 2 + 4 + 8 + 8; // taskId, role, type "echo", price, deadline
    hugeLength[payloadLengthAt] = 0x7f; // payload length field ~2 GiB: refused before allocating
    evil.send(worker.id(), signer.encode(Messages.AWARD, hugeLength));
    expected.put(RejectionReason.MALFORMED_PAYLOAD, 2);
    byte[] forHost = Messages.award(new Messages.Award(hostsTask, Messages.PRIMARY, "echo", 5,
        deadline, new byte[] {1}, EMBEDDING));
    evil.send(worker.id(), signer.encode(Messages.AWARD, forHost));
    expected.put(RejectionReason.SENDER_MISMATCH, 1);
    byte[] cheap = Messages.award(new Messages.Award(attackersTask, Messages.PRIMARY, "echo", 1,
        deadline, new byte[] {1}, EMBEDDING));
    evil.send(worker.id(), signer.encode(Messages.AWARD, cheap));
    expected.put(RejectionReason.NOT_OFFERED, 1);
    byte[] expired = Messages.award(new Messages.Award(new TaskId(attacker.id(), 2),
        Messages.PRIMARY, "echo", 5, deadline - 20_000, new byte[] {1}, EMBEDDING));
    evil.send(worker.id(), signer.encode(Messages.AWARD, expired));
    expected.put(RejectionReason.EXPIRED, 1);
    byte[] complete = signer.encode(Messages.COMPLETE, Messages.complete(attackersTask));
    evil.send(worker.id(), complete);
    expected.put(RejectionReason.UNEXPECTED, 1);
    evil.send(worker.id(), complete); // the very same frame again
    expected.put(RejectionReason.REPLAYED, 1);
    sim.runFor(Duration.ofMillis(200));

    NodeMetrics after = worker.metrics();
    for (RejectionReason r : RejectionReason.values()) {
      assertEquals(before.rejected(r) + expected.getOrDefault(r, 0), after.rejected(r), r.name());
    }
    assertEquals(0, runs.get());
    assertEquals(0, after.executions());
    assertEquals(0, after.adapterMisses());
    assertEquals(before.knownProviders(), after.knownProviders());

    // A result the host never asked for, for a task it does not have: rejected, nothing changes.
    evil.send(host.id(), signer.encode(Messages.RESULT, Messages.result(
        new Messages.Result(hostsTask, Messages.PRIMARY, Messages.OK, new byte[] {9}))));
    sim.runFor(Duration.ofMillis(100));
    assertEquals(1, host.metrics().rejected(RejectionReason.UNEXPECTED));

    // The worker still serves honest peers.
    CompletableFuture<byte[]> f = host.submit(
        new Task("echo", new byte[] {4, 2}, EMBEDDING, 10, Duration.ofSeconds(5)));
    sim.runFor(Duration.ofSeconds(2));
    assertTrue(f.isDone());
    assertEquals(2, f.join().length);
    assertEquals(1, runs.get());
  }

  @Test
  void aForgedResultFromANodeThatWasNotAwardedIsRejected() {
    NetworkSimulator sim = NetworkSimulator.builder().seed(4).build();
    EdgeNode.builder().simulator(sim).identity(id(1)).executor("echo", 5, ctx -> ctx.payload())
        .build();
    EdgeNode host = EdgeNode.builder().simulator(sim).identity(id(0)).build();
    NodeIdentity attacker = id(2);
    SimulatedNode evil = sim.addNode(attacker.id());
    EnvelopeSender signer = EnvelopeSender.create(attacker, sim.clock());
    CompletableFuture<byte[]> f = host.submit(
        new Task("echo", new byte[] {7}, EMBEDDING, 10, Duration.ofSeconds(5)));
    TaskId id = new TaskId(host.id(), 0);
    evil.send(host.id(), signer.encode(Messages.RESULT, Messages.result(
        new Messages.Result(id, Messages.PRIMARY, Messages.OK, new byte[] {66}))));
    sim.runFor(Duration.ofSeconds(2));
    assertEquals(1, host.metrics().rejected(RejectionReason.UNEXPECTED));
    assertEquals(7, f.join()[0]); // the honest worker's answer, not the forged one
  }
}
