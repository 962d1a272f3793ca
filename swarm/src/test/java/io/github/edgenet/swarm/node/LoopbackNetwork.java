package io.github.edgenet.swarm.node;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.net.Cancellable;
import io.github.edgenet.core.net.Membership;
import io.github.edgenet.core.net.MessageHandler;
import io.github.edgenet.core.net.PeerNetwork;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A thread-safe in-JVM {@link PeerNetwork} for tests on real threads: each endpoint delivers its
 * messages and runs its timers on its own single thread (so its callbacks are serialized, as the
 * SPI requires), and accepts sends from any thread. Lossless; for concurrency tests only.
 */
final class LoopbackNetwork {
  private final Map<NodeId, Endpoint> endpoints = new ConcurrentHashMap<>();

  Endpoint join(NodeId id) {
    Endpoint e = new Endpoint(id);
    endpoints.put(id, e);
    return e;
  }

  void shutdown() {
    endpoints.values().forEach(Endpoint::close);
  }

  final class Endpoint implements PeerNetwork {
    private final NodeId id;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
    private volatile MessageHandler handler = (from, m) -> { };

    Endpoint(NodeId id) {
      this.id = id;
    }

    @Override
    public NodeId localId() {
      return id;
    }

    @Override
    public int maxMessageBytes() {
      return 1 << 20;
    }

    @Override
    public void send(NodeId to, byte[] message) {
      Endpoint target = endpoints.get(to);
      if (target != null && !target.thread.isShutdown()) {
        try {
          target.thread.execute(() -> target.handler.onMessage(id, message));
        } catch (java.util.concurrent.RejectedExecutionException closed) {
          // the target closed meanwhile: the message is lost, as the SPI allows
        }
      }
    }

    @Override
    public int gossip(byte[] message, int fanout) {
      int sent = 0;
      for (NodeId peer : List.copyOf(endpoints.keySet())) {
        if (sent < fanout && !peer.equals(id)) {
          send(peer, message);
          sent++;
        }
      }
      return sent;
    }

    @Override
    public Membership membership() {
      return Membership.of(List.copyOf(endpoints.keySet()));
    }

    @Override
    public void onMessage(MessageHandler handler) {
      this.handler = handler;
    }

    @Override
    public void onMembershipChange(Consumer<Membership> listener) {}

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
      ScheduledFuture<?> f = thread.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    }

    @Override
    public void close() {
      endpoints.remove(id);
      thread.shutdownNow();
    }
  }
}
