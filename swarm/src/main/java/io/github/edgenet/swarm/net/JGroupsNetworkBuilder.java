package io.github.edgenet.swarm.net;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.EnvelopeLimits;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.Membership;
import io.github.edgenet.core.net.MessageHandler;
import io.github.edgenet.swarm.net.internal.Stacks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jgroups.stack.Protocol;

/**
 * Configures and connects a {@link JGroupsNetwork}. Exactly one mode must be chosen ({@link #tcp},
 * {@link #tunnel} or {@link #sharedLoopback}; the last call wins). Every other setting has a
 * default. Not thread-safe; {@link #connect()} validates.
 */
public final class JGroupsNetworkBuilder {
  final NodeIdentity identity;
  final String cluster;
  JGroupsMode mode;
  InetSocketAddress tcpBind;
  List<InetSocketAddress> seeds = List.of();
  List<InetSocketAddress> routers = List.of();
  InetAddress tunnelBind;
  int portRange;
  Clock clock = Clock.system();
  RandomSource random;
  int maxMessageBytes = EnvelopeLimits.defaults().maxFrameBytes();
  int maxQueuedMessages = 10_000;
  Duration joinTimeout = Duration.ofSeconds(2);
  MessageHandler handler;
  Consumer<Membership> listener;

  JGroupsNetworkBuilder(NodeIdentity identity, String cluster) {
    this.identity = identity;
    this.cluster = cluster;
  }

  /**
   * {@link JGroupsMode#TCP}: listen on {@code bind} and find the cluster through {@code seeds}
   * (TCPPING). The seeds are the listen addresses of some members, this node's own may be among
   * them; one live seed is enough to join. The first node of a cluster finds no one and forms it.
   *
   * @param bind the local address and port to listen on, never a wildcard address; port 0
   *     picks a free port just before connecting (see {@link JGroupsNetwork#listenAddress()}),
   *     for tests and for nodes that are not anyone's seed
   * @param seeds the members' addresses to probe, possibly empty for the first node
   * @return this builder
   * @throws IllegalArgumentException if {@code bind} is unresolved or a wildcard address, or a
   *     seed is unresolved
   */
  public JGroupsNetworkBuilder tcp(InetSocketAddress bind, List<InetSocketAddress> seeds) {
    Objects.requireNonNull(bind, "bind");
    if (bind.isUnresolved() || bind.getAddress().isAnyLocalAddress()) {
      throw new IllegalArgumentException(
          "bind must be a resolved, specific address (not a wildcard), was " + bind);
    }
    this.seeds = checkAddresses(seeds, "seeds");
    this.tcpBind = bind;
    this.mode = JGroupsMode.TCP;
    return this;
  }

  /**
   * {@link JGroupsMode#TUNNEL}: reach the cluster through the GossipRouters at {@code routers}
   * (see {@link JGroupsGossipRouter}); members keep outgoing TCP connections to the routers only,
   * which works behind NAT.
   *
   * @param routers the routers' addresses, at least one; all members use the same routers
   * @return this builder
   * @throws IllegalArgumentException if {@code routers} is empty or holds an unresolved address
   */
  public JGroupsNetworkBuilder tunnel(List<InetSocketAddress> routers) {
    List<InetSocketAddress> copy = checkAddresses(routers, "routers");
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("routers must name at least one GossipRouter");
    }
    this.routers = copy;
    this.mode = JGroupsMode.TUNNEL;
    return this;
  }

  /**
   * The local address the TUNNEL mode's connections to the routers leave from; by default the
   * one the operating system picks.
   *
   * @param address a local address of this host
   * @return this builder
   */
  public JGroupsNetworkBuilder tunnelBindAddress(InetAddress address) {
    this.tunnelBind = Objects.requireNonNull(address, "address");
    return this;
  }

  /**
   * {@link JGroupsMode#SHARED_LOOPBACK}: JGroups' in-JVM transport, for tests; members of the
   * same cluster name in this JVM find each other, nothing leaves the process.
   *
   * @return this builder
   */
  public JGroupsNetworkBuilder sharedLoopback() {
    this.mode = JGroupsMode.SHARED_LOOPBACK;
    return this;
  }

  /**
   * TCP only: how many ports above the bind port to try if it is taken, and above each seed's
   * port to probe; default 0. Several nodes on one host with the same base port need a range
   * of at least their number minus one.
   *
   * @param range {@code 0 <= range <= 1000}
   * @return this builder
   * @throws IllegalArgumentException if {@code range} is out of bounds
   */
  public JGroupsNetworkBuilder portRange(int range) {
    if (range < 0 || range > 1000) {
      throw new IllegalArgumentException("portRange must be in [0, 1000], was " + range);
    }
    this.portRange = range;
    return this;
  }

  /**
   * The clock timers are due on; default {@link Clock#system()}. It must advance by itself.
   *
   * @param clock a real-time clock
   * @return this builder
   */
  public JGroupsNetworkBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * The stream gossip draws its peers from; by default one seeded from this node's id. The
   * endpoint owns it afterwards (it locks it on each gossip).
   *
   * @param random the stream, not shared with other code afterwards
   * @return this builder
   */
  public JGroupsNetworkBuilder random(RandomSource random) {
    this.random = Objects.requireNonNull(random, "random");
    return this;
  }

  /**
   * The largest message sent or accepted, in bytes; default the largest envelope frame of
   * {@link EnvelopeLimits#defaults()} (1 MiB of payload plus the frame overhead). All members
   * should use the same value.
   *
   * @param bytes {@code >= 1}
   * @return this builder
   * @throws IllegalArgumentException if {@code bytes < 1}
   */
  public JGroupsNetworkBuilder maxMessageBytes(int bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("maxMessageBytes must be >= 1, was " + bytes);
    }
    this.maxMessageBytes = bytes;
    return this;
  }

  /**
   * How many inbound messages may wait for the handler before more are dropped; default 10,000.
   *
   * @param count {@code >= 1}
   * @return this builder
   * @throws IllegalArgumentException if {@code count < 1}
   */
  public JGroupsNetworkBuilder maxQueuedMessages(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("maxQueuedMessages must be >= 1, was " + count);
    }
    this.maxQueuedMessages = count;
    return this;
  }

  /**
   * How long {@link #connect()} looks for an existing cluster before this node forms its own;
   * default 2 s. A node that formed its own cluster merges with others found later (MERGE3,
   * within about 10 s).
   *
   * @param timeout between 100 ms and 10 minutes
   * @return this builder
   * @throws IllegalArgumentException if {@code timeout} is out of bounds
   */
  public JGroupsNetworkBuilder joinTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.compareTo(Duration.ofMillis(100)) < 0
        || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException(
          "joinTimeout must be between 100 ms and 10 minutes, was " + timeout);
    }
    this.joinTimeout = timeout;
    return this;
  }

  /**
   * The message handler, set before joining so that no message arriving while {@link #connect()}
   * runs is discarded (one set later with {@link JGroupsNetwork#onMessage} misses those). It may
   * then run before {@code connect()} returns.
   *
   * @param handler receives each inbound message
   * @return this builder
   */
  public JGroupsNetworkBuilder onMessage(MessageHandler handler) {
    this.handler = Objects.requireNonNull(handler, "handler");
    return this;
  }

  /**
   * The membership listener, set before joining: it is told of the first view too. It may run
   * before {@link #connect()} returns.
   *
   * @param listener told of each new membership view
   * @return this builder
   */
  public JGroupsNetworkBuilder onMembershipChange(Consumer<Membership> listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * Starts the JGroups stack and joins the cluster: returns once this node is in a view (of its
   * own if nobody answered within the join timeout). Blocks for up to about the join timeout
   * plus the stack's start-up (one to two seconds).
   *
   * @return the connected endpoint
   * @throws IllegalStateException if no mode was chosen
   * @throws IOException if the stack could not start or join (e.g. the port is taken, a router
   *     is unreachable); nothing is left running then
   */
  public JGroupsNetwork connect() throws IOException {
    if (mode == null) {
      throw new IllegalStateException(
          "choose a mode first: tcp(bind, seeds), tunnel(routers) or sharedLoopback()");
    }
    return JGroupsNetwork.connect(this);
  }

  List<Protocol> protocols(InetSocketAddress bind) throws UnknownHostException {
    long join = joinTimeout.toMillis();
    return switch (mode) {
      case TCP -> Stacks.tcp(bind, seeds, portRange, join, maxMessageBytes);
      case TUNNEL -> Stacks.tunnel(routers, tunnelBind, join);
      case SHARED_LOOPBACK -> Stacks.sharedLoopback(join);
    };
  }

  private static List<InetSocketAddress> checkAddresses(
      List<InetSocketAddress> addresses, String name) {
    List<InetSocketAddress> copy = List.copyOf(Objects.requireNonNull(addresses, name));
    for (InetSocketAddress a : copy) {
      if (a.isUnresolved()) {
        throw new IllegalArgumentException(name + " holds an unresolved address: " + a);
      }
    }
    return copy;
  }
}
