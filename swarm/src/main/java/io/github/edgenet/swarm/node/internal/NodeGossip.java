package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.Envelope;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.net.Cancellable;
import io.github.edgenet.core.net.PeerNetwork;
import io.github.edgenet.swarm.node.EdgeNodeConfig;
import io.github.edgenet.swarm.node.RejectionReason;
import io.github.edgenet.swarm.protocol.SwarmProtocolException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A node's periodic gossip to a few random peers, every {@link
 * EdgeNodeConfig#announceIntervalMillis()} (the first tick at a random point of the interval, so
 * nodes started together do not speak at once): the ANNOUNCE of its task types at their current
 * quotes (a provider only), and its part of every {@link SharedState} (allocation statistics,
 * trails, patterns), whose incoming envelopes it also merges. Its part of each shared state is
 * kept in the {@link NodeStore} whenever it changes at a sharing tick, and {@link #restore}d at
 * start, so a restarted node goes on from its own registers (a kill loses at most one tick's
 * changes). Timers run their work under the engine's lock ({@link Provider.Outbox#locked}); the
 * rest is confined to it.
 */
final class NodeGossip {
  private static final System.Logger LOG = System.getLogger(NodeGossip.class.getName());

  /**
   * Every this many sharing ticks a shared state is sent even if unchanged: each tick reaches a
   * few random peers only, and merges are idempotent, so repeats cost bandwidth but lose nothing.
   */
  static final int FULL_SHARE_EVERY = 5;

  private final PeerNetwork net;
  private final RandomSource random;
  private final EdgeNodeConfig config;
  private final SortedSet<String> types;
  private final ProviderPricing pricing;
  private final KnownPeers directory;
  private final EnvelopeSender sender;
  private final MetricsRecorder metrics;
  private final Provider.Outbox out;
  private final NodeStore store;
  private final Map<Integer, SharedState> shared = new TreeMap<>();
  /** What each shared state last sent, so an unchanged state is re-sent only now and then. */
  private final Map<Integer, List<byte[]>> lastShared = new TreeMap<>();
  /** What each shared state last stored. */
  private final Map<Integer, List<byte[]>> lastStored = new TreeMap<>();
  private long shareTicks;
  private Cancellable announceTimer;
  private Cancellable shareTimer;

  /**
   * @param types the task types this node runs (none: it announces nothing)
   * @throws IllegalArgumentException if a shared state's type is a task protocol type or another
   *     shared state's
   */
  NodeGossip(PeerNetwork net, RandomSource random, EdgeNodeConfig config, Set<String> types,
      Seams seams, KnownPeers directory, EnvelopeSender sender, MetricsRecorder metrics,
      Provider.Outbox out, NodeStore store) {
    for (SharedState st : seams.shared()) {
      if (Messages.isTaskProtocol(st.messageType())
          || shared.putIfAbsent(st.messageType(), st) != null) {
        throw new IllegalArgumentException("shared state type 0x"
            + Integer.toHexString(st.messageType()) + " collides with another message type");
      }
    }
    this.net = net;
    this.random = random;
    this.config = config;
    this.types = new TreeSet<>(types); // announced in name order
    this.pricing = seams.pricing();
    this.directory = directory;
    this.sender = sender;
    this.metrics = metrics;
    this.out = out;
    this.store = store;
  }

  /**
   * Restores this node's part of every shared state from the store (once, at start). A stored
   * payload that does not decode is logged and skipped.
   */
  void restore() {
    for (SharedState st : shared.values()) {
      List<byte[]> payloads = store.shared(st.messageType());
      for (byte[] payload : payloads) {
        try {
          st.restoreOwn(ByteBuffer.wrap(payload).asReadOnlyBuffer());
        } catch (SwarmProtocolException ex) {
          LOG.log(Level.WARNING, "stored shared state 0x" + Integer.toHexString(st.messageType())
              + " is unreadable; skipped", ex);
        }
      }
      lastStored.put(st.messageType(), payloads);
    }
  }

  /** Arms both timers (at start, and after the simulator restarted the node). */
  void start() {
    scheduleAnnounce(true);
    scheduleShare(true);
  }

  /** Cancels both timers. */
  void stop() {
    if (announceTimer != null) {
      announceTimer.cancel();
    }
    if (shareTimer != null) {
      shareTimer.cancel();
    }
  }

  /** A verified envelope of a type outside the task protocol: merged into its shared state. */
  void onShared(Envelope e) throws SwarmProtocolException {
    SharedState st = shared.get(e.type());
    if (st == null) {
      metrics.reject(RejectionReason.UNKNOWN_MESSAGE_TYPE);
      return;
    }
    st.merge(e);
  }

  private void scheduleAnnounce(boolean first) {
    if (types.isEmpty() || config.announceFanout() == 0) {
      return;
    }
    long interval = config.announceIntervalMillis();
    long delay = first ? random.nextLong(interval) : interval; // spread the first announcements
    announceTimer = net.schedule(Duration.ofMillis(delay), () -> out.locked(this::announceTick));
  }

  private void announceTick() {
    Map<String, Long> prices = new TreeMap<>();
    for (String type : types) {
      OptionalLong q = pricing.quote(type);
      if (q.isPresent() && prices.size() < Messages.MAX_ANNOUNCED_TYPES) {
        prices.put(type, q.getAsLong());
      }
    }
    byte[] payload = Messages.announce(prices);
    for (NodeId peer : directory.randomPeers(config.announceFanout(), Set.of())) {
      out.send(peer, Messages.ANNOUNCE, payload);
    }
    directory.expire();
    scheduleAnnounce(false);
  }

  private void scheduleShare(boolean first) {
    if (shared.isEmpty() || config.announceFanout() == 0) {
      return;
    }
    long interval = config.announceIntervalMillis();
    long delay = first ? random.nextLong(interval) : interval;
    shareTimer = net.schedule(Duration.ofMillis(delay), () -> out.locked(this::shareTick));
  }

  /** Gossips this node's part of every shared state (statistics, trails, patterns) to peers. */
  private void shareTick() {
    List<NodeId> peers = directory.randomPeers(config.announceFanout(), Set.of());
    boolean refresh = shareTicks++ % FULL_SHARE_EVERY == 0;
    for (SharedState st : shared.values()) {
      List<byte[]> payloads = st.ownPayloads();
      if (!samePayloads(lastStored.get(st.messageType()), payloads)) {
        store.saveShared(st.messageType(), payloads);
        lastStored.put(st.messageType(), payloads);
      }
      if (!refresh && samePayloads(lastShared.get(st.messageType()), payloads)) {
        continue; // nothing new since the last tick; the periodic refresh reaches other peers
      }
      lastShared.put(st.messageType(), payloads);
      for (byte[] payload : payloads) {
        byte[] frame = sender.encode(st.messageType(), payload);
        if (frame.length > net.maxMessageBytes()) {
          LOG.log(Level.DEBUG, () -> "shared payload of " + frame.length + " bytes not sent");
          continue;
        }
        for (NodeId peer : peers) {
          metrics.out(frame.length);
          net.send(peer, frame);
        }
      }
    }
    scheduleShare(false);
  }

  private static boolean samePayloads(List<byte[]> a, List<byte[]> b) {
    if (a == null || a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }
}
