package io.github.edgenet.core.net.sim;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.net.MessageHandler;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.util.Objects;

/**
 * What happens to a message between its send and its delivery: the sender's interceptor, the
 * link (the builder's model or a per-link override: partition check, loss, latency, reordering,
 * duplication), the partition and crash checks on arrival, and the receiver's handler; every
 * drop goes to the observer with its reason and is counted. Random draws come from the sending
 * node's own streams, in the same order on every run. Not thread-safe.
 */
final class Transport {
  private final NodeTable nodes;
  private final EventLoop loop;
  private final LinkModel defaultLink;
  private final int maxMessageBytes;
  private final Long2ObjectOpenHashMap<LinkModel> linkOverrides = new Long2ObjectOpenHashMap<>();
  private SimulationObserver observer;

  private long sent;
  private long delivered;
  private long duplicated;
  private long lost;
  private long partitioned;
  private long senderDown;
  private long receiverDown;
  private long oversize;
  private long unknownPeer;
  private long inFlight;

  Transport(NodeTable nodes, EventLoop loop, LinkModel defaultLink, int maxMessageBytes) {
    this.nodes = nodes;
    this.loop = loop;
    this.defaultLink = defaultLink;
    this.maxMessageBytes = maxMessageBytes;
  }

  /** Overrides the directed link {@code from -> to}; {@code null} goes back to the default. */
  void setLink(int from, int to, LinkModel model) {
    long key = linkKey(from, to);
    if (model == null) {
      linkOverrides.remove(key);
    } else {
      linkOverrides.put(key, model);
    }
  }

  void setObserver(SimulationObserver observer) {
    this.observer = observer;
  }

  /** The counters, with the loop's own two. */
  NetworkStats stats() {
    return new NetworkStats(
        sent,
        delivered,
        duplicated,
        lost,
        partitioned,
        senderDown,
        receiverDown,
        oversize,
        unknownPeer,
        loop.timersRun,
        loop.events,
        inFlight);
  }

  /** What {@code node}'s interceptor emits through: its links, without interception. */
  OutboundInterceptor.Emitter emitterFor(SimulatedNode node) {
    return new NodeEmitter(node);
  }

  /**
   * A message node code sends from {@code src} to node index {@code dst} (-1 if {@code to} is not
   * a node): to the interceptor if there is one, else onto the link.
   */
  void outbound(SimulatedNode src, int dst, NodeId to, byte[] message) {
    if (src.state != SimulatedNode.UP) {
      senderDown++;
      dropped(src.id, to, message, DropReason.SENDER_DOWN);
      return;
    }
    if (dst < 0) {
      unknownPeer++;
      dropped(src.id, to, message, DropReason.UNKNOWN_PEER);
      return;
    }
    OutboundInterceptor interceptor = src.interceptor;
    if (interceptor != null) {
      interceptor.intercept(to, message, src.emitter);
      return;
    }
    transmit(src, src.index, dst, message);
  }

  /** A message event came off the queue: it leaves the link and reaches {@code to}, or is dropped. */
  void arrive(int realFrom, int claimedFrom, int to, long seq, byte[] message) {
    inFlight--;
    SimulatedNode d = nodes.get(to);
    SimulatedNode s = nodes.get(realFrom);
    if (d.state != SimulatedNode.UP || seq < d.dropBeforeSeq) {
      receiverDown++;
      dropped(s.id, d.id, message, DropReason.RECEIVER_DOWN);
      return;
    }
    if (s.group != d.group) {
      partitioned++;
      dropped(s.id, d.id, message, DropReason.PARTITION);
      return;
    }
    delivered++;
    SimulationObserver o = observer;
    if (o != null) {
      o.onDelivered(loop.now, s.id, d.id, message);
    }
    MessageHandler h = d.handler;
    if (h != null) {
      h.onMessage(nodes.get(claimedFrom).id, message);
    }
  }

  /** Puts a message on the link {@code src -> dst}; the receiver will see {@code claimed} as sender. */
  private void transmit(SimulatedNode src, int claimed, int dst, byte[] message) {
    sent++;
    int from = src.index;
    SimulatedNode d = nodes.get(dst);
    if (src.group != d.group) {
      partitioned++;
      dropped(src.id, d.id, message, DropReason.PARTITION);
      return;
    }
    LinkModel link =
        linkOverrides.isEmpty() ? defaultLink : linkOverrides.getOrDefault(linkKey(from, dst), defaultLink);
    double loss = link.loss();
    if (loss > 0 && src.lossRandom.nextDouble() < loss) {
      lost++;
      dropped(src.id, d.id, message, DropReason.LOSS);
      return;
    }
    Object payload = claimed == from ? message : new Spoofed(from, message);
    EventQueue queue = loop.queue;
    queue.push(arrival(src, link), claimed, dst, payload);
    inFlight++;
    double dup = link.duplication();
    if (dup > 0 && src.duplicationRandom.nextDouble() < dup) {
      duplicated++;
      queue.push(arrival(src, link), claimed, dst, payload);
      inFlight++;
    }
  }

  private long arrival(SimulatedNode src, LinkModel link) {
    long latency = link.latency().sampleNanos(src.latencyRandom);
    if (latency < 0) {
      throw new IllegalStateException(
          "latency model " + link.latency() + " returned a negative latency: " + latency + " ns");
    }
    double p = link.reorderProbability();
    if (p > 0 && src.reorderRandom.nextDouble() < p) {
      latency += src.reorderRandom.nextLong(link.reorderMaxNanos() + 1);
    }
    long now = loop.now;
    long t = now + latency;
    return t < now ? Long.MAX_VALUE : t; // saturate instead of wrapping around
  }

  private void dropped(NodeId from, NodeId to, byte[] message, DropReason reason) {
    SimulationObserver o = observer;
    if (o != null) {
      o.onDropped(loop.now, from, to, message, reason);
    }
  }

  private static long linkKey(int from, int to) {
    return ((long) from << 32) | (to & 0xFFFF_FFFFL);
  }

  /** A payload whose claimed sender (the event's {@code from}) is not its real sender. */
  record Spoofed(int realFrom, byte[] message) {}

  /** What an interceptor emits through: the node's links, without interception. */
  private final class NodeEmitter implements OutboundInterceptor.Emitter {
    private final SimulatedNode node;

    NodeEmitter(SimulatedNode node) {
      this.node = node;
    }

    @Override
    public void send(NodeId to, byte[] message) {
      emit(node.index, to, message);
    }

    @Override
    public void sendAs(NodeId claimedSender, NodeId to, byte[] message) {
      emit(nodes.indexOrThrow("claimedSender", claimedSender), to, message);
    }

    private void emit(int claimed, NodeId to, byte[] message) {
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(message, "message");
      if (node.state != SimulatedNode.UP) {
        senderDown++;
        dropped(node.id, to, message, DropReason.SENDER_DOWN);
        return;
      }
      int dst = nodes.indexOf(to);
      if (dst < 0) {
        unknownPeer++;
        dropped(node.id, to, message, DropReason.UNKNOWN_PEER);
        return;
      }
      if (message.length > maxMessageBytes) {
        oversize++;
        dropped(node.id, to, message, DropReason.OVERSIZE);
        return;
      }
      transmit(node, claimed, dst, message);
    }
  }
}
