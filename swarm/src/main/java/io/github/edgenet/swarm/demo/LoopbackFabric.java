package io.github.edgenet.swarm.demo;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.PeerNetwork;
import io.github.edgenet.swarm.net.JGroupsNetwork;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;

/**
 * Real JGroups endpoints in this JVM, each with its own TCP port on 127.0.0.1 (TCPPING, the first
 * endpoint the only seed), on the system clock. The run's events are kept in a queue and run by
 * the thread in {@link #runUntil}, which sleeps between them; the endpoints' callbacks run on
 * their own threads.
 */
final class LoopbackFabric implements Fabric {
  private static final long FORM_TIMEOUT_NANOS = 60_000_000_000L;
  private final Clock clock = Clock.system();
  private volatile long start = clock.nanos();
  private final String cluster;
  private final RandomSource random;
  private final List<JGroupsNetwork> endpoints = new ArrayList<>();
  private final PriorityQueue<Event> events = new PriorityQueue<>();
  private long sequence;
  private long formedAfterMillis;

  private record Event(long due, long seq, Runnable task) implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      int c = Long.compare(due, o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  LoopbackFabric(long seed, RandomSource random) {
    this.cluster = "edgenet-demo-" + ProcessHandle.current().pid() + "-" + seed;
    this.random = random;
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT, "%d JGroups nodes in this JVM, each on its own TCP port on "
        + "127.0.0.1 (TCPPING), system clock; cluster formed in %.1f s", endpoints.size(),
        formedAfterMillis / 1000.0);
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public long now() {
    return clock.nanos() - start;
  }

  @Override
  public PeerNetwork endpoint(NodeIdentity identity) throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    List<InetSocketAddress> seeds = endpoints.isEmpty() ? List.of()
        : List.of(endpoints.getFirst().listenAddress());
    JGroupsNetwork net = JGroupsNetwork.builder(identity, cluster)
        .tcp(new InetSocketAddress(loopback, 0), seeds)
        .clock(clock)
        .random(random.derive("jgroups").derive(endpoints.size()))
        .connect();
    endpoints.add(net);
    return net;
  }

  @Override
  public void formed() throws IOException {
    long deadline = clock.nanos() + FORM_TIMEOUT_NANOS;
    for (JGroupsNetwork net : endpoints) {
      while (net.membership().size() < endpoints.size()) {
        if (clock.nanos() - deadline > 0) {
          throw new IOException("the loopback cluster did not form in 60 s: " + net
              + " sees " + net.membership().size() + " of " + endpoints.size());
        }
        sleepMillis(5);
      }
    }
    formedAfterMillis = now() / 1_000_000;
    start = clock.nanos(); // the run's time starts once the cluster stands
  }

  @Override
  public synchronized void schedule(Duration delay, Runnable task) {
    events.add(new Event(now() + delay.toNanos(), sequence++, task));
  }

  @Override
  public void runUntil(long nanos) {
    while (true) {
      Event next;
      synchronized (this) {
        next = events.peek();
        if (next != null && next.due() <= now()) {
          events.poll();
        } else {
          next = null;
        }
      }
      if (next != null) {
        next.task().run();
        continue;
      }
      long left = nanos - now();
      if (left <= 0) {
        return;
      }
      long until;
      synchronized (this) {
        Event head = events.peek();
        until = head == null ? nanos : Math.min(nanos, head.due());
      }
      sleepMillis(Math.max(1, Math.min(50, (until - now()) / 1_000_000)));
    }
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public boolean isUp(NodeId node) {
    return true;
  }

  @Override
  public Traffic traffic() {
    long sent = 0;
    long received = 0;
    for (JGroupsNetwork n : endpoints) {
      JGroupsNetwork.Stats s = n.stats();
      sent += s.sent();
      received += s.received();
    }
    return new Traffic(sent, received, -1, -1, -1);
  }

  @Override
  public void close() {
    for (int i = endpoints.size() - 1; i >= 0; i--) { // the coordinator (the first) last
      endpoints.get(i).close();
    }
  }
}
