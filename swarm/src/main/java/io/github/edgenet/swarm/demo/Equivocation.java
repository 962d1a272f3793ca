package io.github.edgenet.swarm.demo;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.net.sim.OutboundInterceptor;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import io.github.edgenet.economy.replication.LedgerReplicator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Byzantine nodes that equivocate on the replicated ledger: each signs, with its own key, two
 * {@link OperationBody.Send}s of {@link #AMOUNT} for the same place in its chain (the same account,
 * sequence and previous operation: a double spend) to two honest receivers, and sends one to the
 * nodes of even index and the other to the nodes of odd index, in operations messages of the
 * ledger's replication protocol that it signs itself. Each half accepts its variant (its receiver
 * claims it); gossip and anti-entropy then bring both to every node, which holds them as an {@link
 * io.github.edgenet.economy.ledger.EquivocationProof}: the ledger voids both and the rest of the
 * equivocator's chain, slashes half its bonded stake once and pays the receivers from the slash
 * (docs/economy.md). What the honest nodes make of it is read from their metrics ({@link
 * io.github.edgenet.swarm.node.EconomyMetrics#equivocators()}).
 *
 * <p>To sign a variant that links, the equivocator must know its chain's head: it reads its own
 * outbound replication traffic (the hook is the simulator's {@link OutboundInterceptor}, which
 * also gives it the {@link OutboundInterceptor.Emitter} to send as itself), keeping the highest
 * operation of its own account and the highest envelope sequence number its replicator used. Its
 * own frames are numbered {@value #SEQUENCE_GAP} above that, so the replicator's next frames
 * still fall inside the receivers' replay windows. Simulator only; confined to its thread.
 */
final class Equivocation {
  /** What each of the two conflicting sends pays its receiver: a tenth of the genesis grant. */
  static final long AMOUNT = DemoRun.GRANT / 10;
  /** How far above its replicator's last envelope sequence number an equivocator signs. */
  static final long SEQUENCE_GAP = 256;
  /** Envelope layout (core's EnvelopeDecoder): type, sequence, payload length, payload. */
  private static final int TYPE_AT = 4;
  private static final int SEQUENCE_AT = 38;
  private static final int LENGTH_AT = 54;
  private static final int PAYLOAD_AT = 58;
  private static final int OVERHEAD = 122;

  /**
   * One double spend.
   *
   * @param equivocator who signed both sends
   * @param atNanos when, in run nanoseconds
   * @param sequence the chain position both claim
   * @param evenReceiver the receiver of the variant sent to the nodes of even index
   * @param oddReceiver the receiver of the other variant
   */
  record Spend(NodeId equivocator, long atNanos, long sequence, NodeId evenReceiver,
      NodeId oddReceiver) {}

  /** What an equivocator learned of its own replication traffic. */
  private static final class Watch {
    final DemoNode node;
    Operation head;
    long envelopeSequence = -1;
    OutboundInterceptor.Emitter out;

    Watch(DemoNode node) {
      this.node = node;
    }
  }

  private final SimFabric sim;
  private final Roster roster;
  private final RandomSource random;
  private final Map<NodeId, Watch> watches = new LinkedHashMap<>();
  private final List<Spend> spends = new ArrayList<>();

  Equivocation(SimFabric sim, Roster roster, RandomSource random) {
    this.sim = sim;
    this.roster = roster;
    this.random = random;
  }

  /**
   * Makes {@code node} an equivocator: the returned interceptor watches its traffic, then hands
   * each message to {@code next} (its forger).
   */
  OutboundInterceptor watch(DemoNode node, OutboundInterceptor next) {
    Watch w = new Watch(node);
    watches.put(node.id(), w);
    return (to, message, out) -> {
      w.out = out;
      observe(w, message);
      next.intercept(to, message, out);
    };
  }

  /** The double spends sent so far, in order. */
  List<Spend> spends() {
    return List.copyOf(spends);
  }

  /** The accounts that double-spent so far. */
  Set<NodeId> equivocators() {
    Set<NodeId> s = new TreeSet<>();
    spends.forEach(sp -> s.add(sp.equivocator()));
    return s;
  }

  /** Every equivocator double-spends {@code delay} from now. */
  void schedule(Duration delay) {
    sim.schedule(delay, this::doubleSpend);
  }

  private void observe(Watch w, byte[] m) {
    if (m.length < OVERHEAD || m[0] != 'E' || m[1] != 'N' || m[2] != 'V'
        || OVERHEAD + u32(m, LENGTH_AT) != m.length) {
      return;
    }
    int type = u16(m, TYPE_AT);
    if (type < LedgerReplicator.TYPE_OPS || type > LedgerReplicator.TYPE_PULL) {
      return;
    }
    w.envelopeSequence = Math.max(w.envelopeSequence, u64(m, SEQUENCE_AT));
    if (type != LedgerReplicator.TYPE_OPS) {
      return;
    }
    // The operations message: u16 count, then per operation a u16 length and its bytes.
    int end = m.length - 64;
    int p = PAYLOAD_AT + 2;
    for (int i = 0, n = u16(m, PAYLOAD_AT); i < n && p + 2 <= end; i++) {
      int len = u16(m, p);
      if (p + 2 + len > end) {
        return;
      }
      try {
        Operation op = Operation.decode(m, p + 2, len);
        if (op.account().equals(w.node.id())
            && (w.head == null || op.sequence() > w.head.sequence())) {
          w.head = op;
        }
      } catch (LedgerException e) {
        return; // not what the replicator sends: nothing to learn
      }
      p += 2 + len;
    }
  }

  private void doubleSpend() {
    RandomSource r = random.derive("equivocation");
    for (Watch w : watches.values()) {
      if (w.head == null || w.out == null || !sim.isUp(w.node.id())) {
        continue; // it never sent its chain: nothing to link to
      }
      NodeId even = receiver(r, 0, w.node);
      NodeId odd = receiver(r, 1, w.node);
      long seq = w.head.sequence() + 1;
      long at = Math.max(sim.clock().epochMillis(), w.head.timestampMillis());
      Operation toEven = Operation.sign(w.node.identity, seq, w.head.id(), at,
          new OperationBody.Send(even, AMOUNT));
      Operation toOdd = Operation.sign(w.node.identity, seq, w.head.id(), at,
          new OperationBody.Send(odd, AMOUNT));
      byte[] evenFrame = frame(w, toEven);
      byte[] oddFrame = frame(w, toOdd);
      for (DemoNode n : roster.nodes) {
        if (n != w.node) {
          w.out.send(n.id(), n.index % 2 == 0 ? evenFrame : oddFrame);
        }
      }
      spends.add(new Spend(w.node.id(), sim.now(), seq, even, odd));
    }
  }

  /** An honest node of the given index parity, not {@code self}. */
  private NodeId receiver(RandomSource r, int parity, DemoNode self) {
    List<DemoNode> side = new ArrayList<>();
    for (DemoNode n : roster.honest) {
      if (n.index % 2 == parity && n != self) {
        side.add(n);
      }
    }
    return side.get(r.nextInt(side.size())).id();
  }

  private byte[] frame(Watch w, Operation op) {
    byte[] payload = new byte[4 + op.encodedLength()];
    payload[1] = 1; // one operation
    payload[2] = (byte) (op.encodedLength() >>> 8);
    payload[3] = (byte) op.encodedLength();
    op.writeTo(payload, 4);
    EnvelopeSender sender = w.envelopeSequence < 0
        ? EnvelopeSender.create(w.node.identity, sim.clock())
        : EnvelopeSender.create(w.node.identity, sim.clock(), w.envelopeSequence + SEQUENCE_GAP);
    return sender.encode(LedgerReplicator.TYPE_OPS, payload);
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
