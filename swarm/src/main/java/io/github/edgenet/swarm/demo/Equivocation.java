package io.github.edgenet.swarm.demo;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.EnvelopeLimits;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.net.sim.OutboundInterceptor;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import io.github.edgenet.economy.ledger.OperationKind;
import io.github.edgenet.economy.replication.LedgerReplicator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Byzantine nodes that equivocate on the replicated ledger. When an equivocator's replicator
 * gossips a new operation of its own chain (a stake top-up, a receive, a claim) after the attack
 * time, the equivocator signs, with its own key, a second operation for the same place in its
 * chain (same account, sequence, previous operation and time): an {@link OperationBody.Send} of
 * {@link #AMOUNT} to an honest node of the upper half of the node indices, paid from the balance
 * the original also spends from. The original goes on to the lower half (its gossip copies to the
 * upper half are dropped); the send goes to every node of the upper half, in an operations
 * message of the ledger's replication protocol that the equivocator signs. The halves cross the
 * partition's (even and odd indices), so an equivocation during the partition still reaches both
 * versions' sides within the equivocator's part. Each half accepts its version (the receiver
 * claims its payment); gossip and anti-entropy then bring both to every node, which holds them as
 * an {@link io.github.edgenet.economy.ledger.EquivocationProof}: the ledger voids both and the rest
 * of the equivocator's chain, slashes half its bonded stake once and pays the receiver from the
 * slash (docs/economy.md). What the honest nodes make of it is read from their metrics ({@link
 * io.github.edgenet.swarm.node.EconomyMetrics#equivocators()}).
 *
 * <p>Exactly two versions exist: the equivocator's own ledger holds the original, so it never
 * appends a third at that place (with three, nodes could keep different pairs as the proof and
 * pay different receivers; docs/edgenode.md).
 *
 * <p>The hook is the simulator's {@link OutboundInterceptor}: it shows the equivocator its own
 * outbound traffic and gives it the {@link OutboundInterceptor.Emitter} to send as itself. Its
 * own frames are numbered {@value #SEQUENCE_GAP} above the last envelope sequence number its
 * replicator used, so the replicator's next frames still fall inside the receivers' replay
 * windows. Simulator only; confined to its thread.
 */
final class Equivocation {
  /** What the conflicting send pays its receiver: a tenth of the genesis grant. */
  static final long AMOUNT = DemoRun.GRANT / 10;
  /** How far above its replicator's last envelope sequence number an equivocator signs. */
  static final long SEQUENCE_GAP = 256;
  /** Envelope layout (core's EnvelopeDecoder): type, sequence, payload length, payload. */
  private static final int TYPE_AT = 4;
  private static final int SEQUENCE_AT = 38;
  private static final int LENGTH_AT = 54;
  private static final int PAYLOAD_AT = 58;
  private static final int OVERHEAD = EnvelopeLimits.OVERHEAD;

  /**
   * One equivocation.
   *
   * @param equivocator who signed both operations
   * @param atNanos when, in run nanoseconds
   * @param sequence the chain position both claim
   * @param original what the equivocator's own chain holds there (its kind)
   * @param receiver the honest node of the upper half the conflicting send pays
   */
  record Spend(NodeId equivocator, long atNanos, long sequence, OperationKind original,
      NodeId receiver) {}

  /** What an equivocator learned of its own replication traffic, and whether it struck. */
  private static final class Watch {
    final DemoNode node;
    Operation head;
    long envelopeSequence = -1;
    boolean done;
    /** The frame whose copies to the upper half are dropped: it carries the original. */
    byte[] original;

    Watch(DemoNode node) {
      this.node = node;
    }
  }

  private final SimFabric sim;
  private final Roster roster;
  private final RandomSource random;
  private final Map<NodeId, Watch> watches = new LinkedHashMap<>();
  private final Map<NodeId, DemoNode> byId = new HashMap<>();
  private final List<Spend> spends = new ArrayList<>();
  private boolean armed;

  Equivocation(SimFabric sim, Roster roster, RandomSource random) {
    this.sim = sim;
    this.roster = roster;
    this.random = random.derive("equivocation");
  }

  /**
   * Makes {@code node} an equivocator: the returned interceptor watches its traffic, strikes
   * once armed, and hands every message it does not drop to {@code next} (its forger).
   */
  OutboundInterceptor watch(DemoNode node, OutboundInterceptor next) {
    Watch w = new Watch(node);
    watches.put(node.id(), w);
    return (to, message, out) -> {
      if (message == w.original && upper(to)) {
        return; // the rest of the original's gossip copies to the upper half
      }
      Operation fresh = observe(w, message);
      if (armed && !w.done && fresh != null) {
        w.done = true;
        w.original = message;
        equivocate(w, fresh, out);
        if (upper(to)) {
          return;
        }
      }
      next.intercept(to, message, out);
    };
  }

  /** The equivocations so far, in order. */
  List<Spend> spends() {
    return List.copyOf(spends);
  }

  /** The accounts that equivocated so far. */
  Set<NodeId> equivocators() {
    Set<NodeId> s = new TreeSet<>();
    spends.forEach(sp -> s.add(sp.equivocator()));
    return s;
  }

  /** The equivocators strike from {@code delay} from now on, at their next own operation. */
  void schedule(Duration delay) {
    sim.schedule(delay, () -> armed = true);
  }

  /** Whether {@code id} is in the upper half of the node indices (gets the conflicting send). */
  private boolean upper(NodeId id) {
    if (byId.isEmpty()) {
      roster.nodes.forEach(n -> byId.put(n.id(), n));
    }
    DemoNode n = byId.get(id);
    return n != null && upper(n);
  }

  private boolean upper(DemoNode n) {
    return n.index >= roster.nodes.size() / 2;
  }

  /**
   * Reads a frame the node sends: remembers its replicator's envelope sequence numbers and the
   * highest operation of its own chain.
   *
   * @return an operation of its own newer than any seen before, or null
   */
  private Operation observe(Watch w, byte[] m) {
    if (m.length < OVERHEAD || m[0] != 'E' || m[1] != 'N' || m[2] != 'V'
        || OVERHEAD + u32(m, LENGTH_AT) != m.length) {
      return null;
    }
    int type = u16(m, TYPE_AT);
    if (type < LedgerReplicator.TYPE_OPS || type > LedgerReplicator.TYPE_PULL) {
      return null;
    }
    w.envelopeSequence = Math.max(w.envelopeSequence, u64(m, SEQUENCE_AT));
    if (type != LedgerReplicator.TYPE_OPS) {
      return null;
    }
    // The operations message: u16 count, then per operation a u16 length and its bytes.
    Operation fresh = null;
    int end = m.length - 64;
    int p = PAYLOAD_AT + 2;
    for (int i = 0, n = u16(m, PAYLOAD_AT); i < n && p + 2 <= end; i++) {
      int len = u16(m, p);
      if (p + 2 + len > end) {
        return fresh;
      }
      try {
        Operation op = Operation.decode(m, p + 2, len);
        if (op.account().equals(w.node.id())
            && (w.head == null || op.sequence() > w.head.sequence())) {
          w.head = op;
          fresh = op;
        }
      } catch (LedgerException e) {
        return fresh; // not what the replicator sends: nothing more to learn
      }
      p += 2 + len;
    }
    return fresh;
  }

  /** Signs the conflicting send for {@code original}'s place and sends it to the upper half. */
  private void equivocate(Watch w, Operation original, OutboundInterceptor.Emitter out) {
    List<DemoNode> candidates = new ArrayList<>();
    for (DemoNode n : roster.honest) {
      if (upper(n)) {
        candidates.add(n);
      }
    }
    if (original.sequence() == 0 || candidates.isEmpty()) {
      return; // nothing before it to spend from, or nobody to pay
    }
    NodeId receiver = candidates.get(random.nextInt(candidates.size())).id();
    Operation conflicting = Operation.sign(w.node.identity, original.sequence(),
        original.previous(), original.timestampMillis(), new OperationBody.Send(receiver, AMOUNT));
    byte[] payload = new byte[4 + conflicting.encodedLength()];
    payload[1] = 1; // one operation
    payload[2] = (byte) (conflicting.encodedLength() >>> 8);
    payload[3] = (byte) conflicting.encodedLength();
    conflicting.writeTo(payload, 4);
    byte[] frame = EnvelopeSender.create(w.node.identity, sim.clock(),
        w.envelopeSequence + SEQUENCE_GAP).encode(LedgerReplicator.TYPE_OPS, payload);
    for (DemoNode n : roster.nodes) {
      if (n != w.node && upper(n)) {
        out.send(n.id(), frame);
      }
    }
    spends.add(new Spend(w.node.id(), sim.now(), original.sequence(), original.kind(),
        receiver));
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
  }

  private static long u32(byte[] b, int at) {
    return (long) u16(b, at) << 16 | u16(b, at + 2);
  }

  private static long u64(byte[] b, int at) {
    return u32(b, at) << 32 | u32(b, at + 4);
  }
}
