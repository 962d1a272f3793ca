package io.github.edgenet.economy.replication;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.EnvelopeLimits;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.net.Membership;
import io.github.edgenet.core.net.PeerNetwork;
import io.github.edgenet.economy.internal.ReplicationCodec;
import io.github.edgenet.economy.internal.ReplicationCodec.HeadEntry;
import io.github.edgenet.economy.internal.ReplicationCodec.PullEntry;
import io.github.edgenet.economy.ledger.ChainHead;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.LedgerException.Reason;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The anti-entropy protocol of one replicator: what it does with a peer's operations, chain heads
 * and pull requests, and the rotating page of heads it sends each round. A pulled operation that
 * does not link makes it reach further back, doubling, until it holds the conflicting operation;
 * pulls are throttled to one per account per interval; answers carry at most {@value
 * #PULL_OPS_PER_ACCOUNT} operations per account and two messages per request, void operations an
 * answer names going first. Not thread-safe; owned by one replicator, called under its lock.
 */
final class PeerExchange {
  static final int PULL_OPS_PER_ACCOUNT = 64;

  private final Ledger ledger;
  private final PeerNetwork network;
  private final EnvelopeSender sender;
  private final Clock clock;
  private final Duration interval;
  private final int maxHeads;
  private final int maxMessage;
  private final Map<NodeId, Long> backoff = new HashMap<>();
  private final Map<NodeId, Long> lastPullNanos = new HashMap<>();
  private int headsOffset;
  private long accepted;
  private long rejected;
  private long equivocations;

  PeerExchange(Ledger ledger, PeerNetwork network, EnvelopeSender sender, Clock clock,
      Duration interval, int maxHeads, int maxMessage) {
    this.ledger = ledger;
    this.network = network;
    this.sender = sender;
    this.clock = clock;
    this.interval = interval;
    this.maxHeads = maxHeads;
    this.maxMessage = maxMessage;
  }

  long accepted() {
    return accepted;
  }

  long rejected() {
    return rejected;
  }

  long equivocations() {
    return equivocations;
  }

  /**
   * One anti-entropy round: sends a random peer of {@code view} other than this node the next
   * page of this node's chain heads (pages rotate).
   */
  void sendHeads(Membership view, RandomSource random) {
    List<NodeId> peers = new ArrayList<>(view.size());
    for (NodeId id : view.members()) {
      if (!id.equals(network.localId())) {
        peers.add(id);
      }
    }
    List<ChainHead> heads = ledger.heads();
    if (peers.isEmpty() || heads.isEmpty()) {
      return;
    }
    NodeId peer = peers.get(random.nextInt(peers.size()));
    List<HeadEntry> page = new ArrayList<>(Math.min(maxHeads, heads.size()));
    if (headsOffset >= heads.size()) {
      headsOffset = 0;
    }
    for (int i = 0; i < Math.min(maxHeads, heads.size()); i++) {
      page.add(head(heads.get((headsOffset + i) % heads.size())));
    }
    headsOffset += page.size();
    network.send(peer, sender.encode(LedgerReplicator.TYPE_HEADS,
        ReplicationCodec.encodeHeads(page)));
  }

  /**
   * Submits a peer's operations and pulls from it where they show this node is behind.
   *
   * @return the operations the ledger newly stored, to gossip on
   */
  List<Operation> onOps(NodeId from, List<Operation> ops) {
    List<Operation> fresh = new ArrayList<>();
    List<PullEntry> pulls = new ArrayList<>();
    for (Ledger.Result r : ledger.submitAll(ops)) {
      if (r.rejection() == null) {
        accepted++;
        fresh.add(r.operation());
        backoff.remove(r.operation().account());
        if (r.outcome() == Ledger.Outcome.EQUIVOCATION) {
          equivocations++;
        }
        continue;
      }
      Reason reason = r.rejection().reason();
      if (reason == Reason.DUPLICATE || reason == Reason.CHAIN_VOID) {
        continue;
      }
      rejected++;
      Operation op = r.operation();
      if (reason == Reason.SEQUENCE_GAP) {
        ChainHead mine = ledger.head(op.account());
        pulls.add(new PullEntry(op.account(), mine == null ? 0 : mine.length()));
      } else if (reason == Reason.BAD_LINK) {
        long back = backoff.merge(op.account(), 2L, (a, b) -> Math.min(a * 2, 1L << 40));
        pulls.add(new PullEntry(op.account(), Math.max(0, op.sequence() - back)));
      }
    }
    addPulls(from, pulls);
    return fresh;
  }

  /** Pulls where the peer is ahead or knows a lower conflict; answers with heads where ahead. */
  void onHeads(NodeId from, List<HeadEntry> heads) {
    List<PullEntry> pulls = new ArrayList<>();
    List<HeadEntry> ahead = new ArrayList<>();
    for (HeadEntry e : heads) {
      ChainHead mine = ledger.head(e.account());
      long myLength = mine == null ? 0 : mine.length();
      long myConflict = mine == null ? -1 : mine.conflictSequence();
      if (e.conflict() >= 0 && (myConflict < 0 || myConflict > e.conflict())) {
        pulls.add(new PullEntry(e.account(), e.conflict()));
      } else if (myConflict >= 0 && (e.conflict() < 0 || e.conflict() > myConflict)) {
        ahead.add(head(mine));
      } else if (myConflict >= 0) {
        continue; // both know the same first conflict: nothing after it matters
      } else if (myLength < e.length()) {
        // Reach back as far as a pulled operation last failed to link (BAD_LINK above): the pull
        // that answers a BAD_LINK is usually throttled, so without this a chain that is longer on
        // one branch than the other would be pulled from the same place for ever.
        long back = backoff.getOrDefault(e.account(), 0L);
        pulls.add(new PullEntry(e.account(), Math.max(0, myLength - back)));
      } else if (myLength > e.length()) {
        ahead.add(head(mine));
      } else if (myLength > 0 && !mine.head().equals(e.head())) {
        pulls.add(new PullEntry(e.account(), myLength - 1));
      }
    }
    addPulls(from, pulls);
    if (!ahead.isEmpty()) {
      network.send(from, sender.encode(LedgerReplicator.TYPE_HEADS, ReplicationCodec.encodeHeads(
          ahead.subList(0, Math.min(ahead.size(), maxHeads)))));
    }
  }

  private static HeadEntry head(ChainHead h) {
    return new HeadEntry(h.account(), h.length(), h.head(), h.conflictSequence());
  }

  private void addPulls(NodeId from, List<PullEntry> pulls) {
    // One pull per account per anti-entropy interval: many peers announcing the same new head
    // must not each trigger a transfer of the same operations.
    long now = clock.nanos();
    List<PullEntry> page = new ArrayList<>();
    for (PullEntry p : pulls) {
      Long last = lastPullNanos.get(p.account());
      if (page.size() < maxHeads && (last == null || now - last >= interval.toNanos())) {
        lastPullNanos.put(p.account(), now);
        page.add(p);
      }
    }
    if (page.isEmpty()) {
      return;
    }
    network.send(from, sender.encode(LedgerReplicator.TYPE_PULL,
        ReplicationCodec.encodePulls(page)));
  }

  /** Answers a pull: the operations asked for, each preceded by the void ones it names. */
  void onPull(NodeId from, List<PullEntry> pulls) {
    int budget = maxMessage - EnvelopeLimits.OVERHEAD;
    List<Operation> out = new ArrayList<>();
    Set<OperationId> sent = new HashSet<>();
    for (PullEntry p : pulls) {
      for (Operation op : ledger.operations(p.account(), p.fromSeq(), PULL_OPS_PER_ACCOUNT)) {
        // Void operations this one names go first: the puller may never have held them (the
        // chain above a conflict is not pulled), and needs them to validate this one.
        for (Operation ev : ledger.evidenceFor(op)) {
          if (sent.add(ev.id())) {
            out.add(ev);
          }
        }
        if (sent.add(op.id())) {
          out.add(op);
        }
      }
    }
    // Answers are bounded: at most two messages per request; the rest comes next round.
    List<byte[]> payloads = ReplicationCodec.encodeOps(out, budget);
    for (int i = 0; i < Math.min(payloads.size(), 2); i++) {
      network.send(from, sender.encode(LedgerReplicator.TYPE_OPS, payloads.get(i)));
    }
  }
}
