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
import io.github.edgenet.swarm.node.TaskEvent;
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
    evil.send(worker.id(), signer.encode(0x5303, new byte[] {0})); // the retired clear-text OFFER
    expected.put(RejectionReason.UNKNOWN_MESSAGE_TYPE, 2);
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
    evil.send(worker.id(), signer.encode(Messages.AWARD, cheap)); // below its ask of 5
    expected.put(RejectionReason.BELOW_ASK, 1);
    byte[] unknownType = Messages.award(new Messages.Award(attackersTask, Messages.PRIMARY,
        "translate", 50, deadline, new byte[] {1}, EMBEDDING));
    evil.send(worker.id(), signer.encode(Messages.AWARD, unknownType));
    expected.put(RejectionReason.NOT_OFFERED, 1);
    // The sealed auction's messages: a shortlist for another node's task, one for a task the
    // worker never bid on, a challenge from a node that is no adjudicator, evidence sent to a node
    // that judges nothing, a reveal nobody asked for, and a commitment one byte short.
    byte[] someHash = new byte[32];
    evil.send(worker.id(), signer.encode(Messages.SHORTLIST, Messages.shortlist(
        new Messages.Shortlist(hostsTask, java.util.List.of(
            new Messages.Listed(worker.id(), someHash))))));
    expected.merge(RejectionReason.SENDER_MISMATCH, 1, Integer::sum);
    evil.send(worker.id(), signer.encode(Messages.SHORTLIST, Messages.shortlist(
        new Messages.Shortlist(attackersTask, java.util.List.of(
            new Messages.Listed(worker.id(), someHash))))));
    evil.send(worker.id(), signer.encode(Messages.CHALLENGE,
        Messages.challenge(new Messages.Commit(attackersTask, someHash))));
    expected.merge(RejectionReason.SENDER_MISMATCH, 1, Integer::sum);
    evil.send(worker.id(), signer.encode(Messages.EVIDENCE, Messages.evidence(
        new Messages.EvidenceMessage(0, hostsTask, worker.id(), new byte[1], new byte[1]))));
    evil.send(worker.id(), signer.encode(Messages.REVEAL, Messages.reveal(
        new Messages.Reveal(hostsTask, 5, 1, 10_000, someHash))));
    expected.put(RejectionReason.UNEXPECTED, 3);
    evil.send(worker.id(), signer.encode(Messages.COMMIT, new byte[40 + 31]));
    expected.merge(RejectionReason.MALFORMED_PAYLOAD, 1, Integer::sum);
    byte[] expired = Messages.award(new Messages.Award(new TaskId(attacker.id(), 2),
        Messages.PRIMARY, "echo", 5, deadline - 20_000, new byte[] {1}, EMBEDDING));
    evil.send(worker.id(), signer.encode(Messages.AWARD, expired));
    expected.put(RejectionReason.EXPIRED, 1);
    byte[] complete = signer.encode(Messages.COMPLETE, Messages.complete(attackersTask));
    evil.send(worker.id(), complete);
    expected.merge(RejectionReason.UNEXPECTED, 1, Integer::sum);
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
        new Messages.Result(hostsTask, Messages.PRIMARY, Messages.OK, new byte[32],
            new byte[] {9}))));
    evil.send(host.id(), signer.encode(Messages.COMMIT, Messages.commit(
        new Messages.Commit(hostsTask, new byte[32]))));
    sim.runFor(Duration.ofMillis(100));
    assertEquals(2, host.metrics().rejected(RejectionReason.UNEXPECTED));

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
        new Messages.Result(id, Messages.PRIMARY, Messages.OK, new byte[32], new byte[] {66}))));
    sim.runFor(Duration.ofSeconds(2));
    assertEquals(1, host.metrics().rejected(RejectionReason.UNEXPECTED));
    assertEquals(7, f.join()[0]); // the honest worker's answer, not the forged one
  }

  /**
   * A committer that reveals a bid its commitment does not hash to: the reveal is rejected as
   * REVEAL_MISMATCH, counted, recorded as evidence, and the honest bidder wins at the reserve.
   */
  @Test
  void aRevealThatDoesNotOpenItsCommitmentIsRejectedAndRecorded() {
    NetworkSimulator sim = NetworkSimulator.builder().seed(5).build();
    EdgeNode worker = EdgeNode.builder().simulator(sim).identity(id(1))
        .executor("echo", 5, ctx -> ctx.payload()).build();
    EdgeNode host = EdgeNode.builder().simulator(sim).identity(id(0)).build();
    NodeIdentity attacker = id(2);
    SimulatedNode evil = sim.addNode(attacker.id());
    EnvelopeSender signer = EnvelopeSender.create(attacker, sim.clock());
    TaskId id = new TaskId(host.id(), 0);
    byte[] salt = new byte[32];
    byte[] commitment = new io.github.edgenet.economy.auction.Bid(1, 1, 10_000)
        .commitment(SealedBids.auctionId(id), attacker.id(), salt);
    evil.onMessage((from, frame) -> {
      if (frame.length > 6 && frame[4] == 0x53 && frame[5] == 0x02) { // REQUEST: bid 1, sealed
        evil.send(host.id(), signer.encode(Messages.COMMIT,
            Messages.commit(new Messages.Commit(id, commitment))));
      } else if (frame.length > 6 && frame[4] == 0x53 && frame[5] == 0x08) { // SHORTLIST
        evil.send(host.id(), signer.encode(Messages.REVEAL, Messages.reveal(
            new Messages.Reveal(id, 2, 1, 10_000, salt)))); // not the committed price
      }
    });
    sim.runFor(Duration.ofSeconds(3)); // announcements
    NodeMetrics before = host.metrics();
    java.util.List<TaskEvent> events = new java.util.ArrayList<>();
    host.addListener(events::add);
    CompletableFuture<byte[]> f = host.submit(new Task("echo", new byte[] {3}, EMBEDDING, 10,
        Duration.ofSeconds(5)));
    // The attacker is asked for a bid only if the host happens to pick it among random peers:
    // make sure it is, by committing to the host's first task ahead of the request.
    evil.send(host.id(), signer.encode(Messages.COMMIT,
        Messages.commit(new Messages.Commit(id, commitment))));
    sim.runFor(Duration.ofSeconds(2));
    assertEquals(3, f.join()[0]);
    assertEquals(1, host.metrics().rejected(RejectionReason.REVEAL_MISMATCH)
        - before.rejected(RejectionReason.REVEAL_MISMATCH));
    assertEquals(1, host.metrics().economy().revealMismatches());
    TaskEvent ev = events.stream()
        .filter(x -> x.step() == TaskEvent.Step.MISBEHAVIOUR_RECORDED).findFirst().orElseThrow();
    assertEquals(Evidence.Kind.REVEAL_MISMATCH.name(), ev.detail());
    assertEquals(attacker.id(), ev.peer());
    assertEquals(10, host.task(id).orElseThrow().priceMicros(), "the lone honest bid: the reserve");
    assertEquals(1, worker.metrics().executions());
  }
}
