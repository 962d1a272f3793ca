package io.github.edgenet.swarm.net;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.EnvelopeLimits;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.Cancellable;
import io.github.edgenet.core.net.Membership;
import io.github.edgenet.core.net.MessageHandler;
import io.github.edgenet.core.net.PeerNetwork;
import io.github.edgenet.swarm.net.internal.AddressBinding;
import io.github.edgenet.swarm.net.internal.PeerDirectory;
import io.github.edgenet.swarm.net.internal.SerialExecutor;
import io.github.edgenet.swarm.net.internal.Stacks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.Event;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.stack.IpAddress;
import org.jgroups.stack.Protocol;

/**
 * A {@link PeerNetwork} endpoint on a JGroups cluster: a real network between processes and
 * machines. Create one with {@link #builder(NodeIdentity, String)}, choose a {@link JGroupsMode}
 * ({@link Builder#tcp TCP with a seed list}, {@link Builder#tunnel TUNNEL through GossipRouters} or
 * {@link Builder#sharedLoopback in-JVM}) and {@link Builder#connect() connect}.
 *
 * <h2>How the SPI maps onto JGroups</h2>
 *
 * <ul>
 *   <li><b>Node ids.</b> Each endpoint's JGroups address carries its {@link NodeId} and its
 *       signature binding the id to that address and cluster, so every view tells every member who
 *       is who, with no extra message. A member whose binding does not verify, or that claims an
 *       id an older member holds, is left out of {@link #membership()} and its messages are
 *       dropped. The binding only stops a member from squatting another's id; the bytes it sends
 *       are still untrusted and authenticated by signed envelopes one layer up.
 *   <li><b>Delivery.</b> JGroups delivers unicasts reliably and in order while both ends stay in
 *       the view, which satisfies the SPI's "at most once, maybe never". Messages to a node id not
 *       in the current view, or sent while the network is failing, are dropped silently (counted in
 *       {@link #stats()}).
 *   <li><b>Sizes.</b> {@link #send} rejects a message longer than {@link #maxMessageBytes()};
 *       longer inbound messages are dropped; over TCP a frame far beyond the limit closes the
 *       connection before it is allocated.
 *   <li><b>Callbacks.</b> The message handler, the membership listener and the timers run on one
 *       thread per endpoint, one at a time. Inbound messages wait in a queue of at most
 *       {@link Builder#maxQueuedMessages(int)}; beyond it they are dropped (counted), so a flood
 *       costs messages, not heap.
 *   <li><b>Membership.</b> Each JGroups view becomes a {@link Membership} snapshot in view order
 *       (the coordinator, i.e. the oldest member, first), including this node. The listener gets
 *       the latest snapshot; views that change and change back before it runs are coalesced.
 *   <li><b>Time.</b> Timers are due on the {@link Clock} given to the builder (the system clock by
 *       default), which must advance by itself.
 * </ul>
 *
 * <p>Thread-safe: {@code send}, {@code gossip}, {@code schedule}, {@code membership}, the setters
 * and {@code close} may be called from any thread, including from the endpoint's own callbacks.
 */
public final class JGroupsNetwork implements PeerNetwork {
  private static final System.Logger LOG = System.getLogger(JGroupsNetwork.class.getName());
  private static final long CLOSE_WAIT_MILLIS = 5_000;

  private final NodeId localId;
  private final String cluster;
  private final JGroupsMode mode;
  private final int maxMessageBytes;
  private final RandomSource random;
  private final SerialExecutor executor;
  private final JChannel channel;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean membershipPending = new AtomicBoolean();
  private volatile PeerDirectory directory = PeerDirectory.EMPTY;
  private volatile MessageHandler handler;
  private volatile Consumer<Membership> listener;
  private Address self;
  // Confined to the executor thread.
  private Consumer<Membership> notifiedListener;
  private Membership notifiedView;

  private final LongAdder sent = new LongAdder();
  private final LongAdder received = new LongAdder();
  private final LongAdder droppedUnknownPeer = new LongAdder();
  private final LongAdder droppedOversized = new LongAdder();
  private final LongAdder droppedQueueFull = new LongAdder();
  private final LongAdder droppedUnboundSender = new LongAdder();
  private final LongAdder sendFailures = new LongAdder();

  private JGroupsNetwork(Builder b, JChannel channel, SerialExecutor executor) {
    this.localId = b.identity.id();
    this.cluster = b.cluster;
    this.mode = b.mode;
    this.maxMessageBytes = b.maxMessageBytes;
    this.random = b.random != null ? b.random : RandomSource.seeded(seedOf(localId));
    this.executor = executor;
    this.channel = channel;
  }

  /**
   * A builder for an endpoint of {@code identity} in the cluster named {@code cluster}. All members
   * of one network use the same cluster name (it is also signed into each address binding).
   *
   * @param identity this node's identity; only its id and its signature over the address binding
   *     are used, message signing stays with the caller's {@code EnvelopeSender}
   * @param cluster the cluster name, 1 to 200 characters
   * @throws IllegalArgumentException if {@code cluster} is empty or longer than 200 characters
   */
  public static Builder builder(NodeIdentity identity, String cluster) {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(cluster, "cluster");
    if (cluster.isEmpty() || cluster.length() > 200) {
      throw new IllegalArgumentException(
          "cluster must be 1 to 200 characters, was " + cluster.length() + ": \"" + cluster + "\"");
    }
    return new Builder(identity, cluster);
  }

  @Override
  public NodeId localId() {
    return localId;
  }

  @Override
  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  /** The mode this endpoint was built with. */
  public JGroupsMode mode() {
    return mode;
  }

  /** The cluster name. */
  public String cluster() {
    return cluster;
  }

  /**
   * The socket address this endpoint listens on: with {@link JGroupsMode#TCP}, where peers reach
   * it (the port actually bound, also when the builder asked for port 0), the address to give other
   * nodes as a seed. {@code null} in the other modes.
   */
  public InetSocketAddress listenAddress() {
    if (mode != JGroupsMode.TCP) {
      return null;
    }
    Object physical = channel.down(new Event(Event.GET_PHYSICAL_ADDRESS, self));
    if (physical instanceof IpAddress ip) {
      return new InetSocketAddress(ip.getIpAddress(), ip.getPort());
    }
    return null;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here: looked up in the current view; an id not in it drops the message (counted in
   * {@link Stats#droppedUnknownPeer()}). Sending to {@link #localId()} loops back through JGroups'
   * transport. Does not wait for the peer; may briefly block under JGroups' flow control.
   *
   * @throws NullPointerException if an argument is null
   */
  @Override
  public void send(NodeId to, byte[] message) {
    Objects.requireNonNull(to, "to");
    checkMessage(message);
    checkOpen();
    Address address = directory.byId().get(to);
    if (address == null) {
      droppedUnknownPeer.increment();
      return;
    }
    transmit(address, message);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here: the peers are drawn from this endpoint's {@link RandomSource} (see {@link
   * Builder#random}).
   *
   * @throws NullPointerException if {@code message} is null
   */
  @Override
  public int gossip(byte[] message, int fanout) {
    if (fanout < 0) {
      throw new IllegalArgumentException("fanout must be >= 0, was " + fanout);
    }
    checkMessage(message);
    checkOpen();
    PeerDirectory d = directory;
    NodeId[] others = d.others();
    int k = Math.min(fanout, others.length);
    if (k == 0) {
      return 0;
    }
    NodeId[] pool = others.clone();
    synchronized (random) {
      // Partial Fisher-Yates: the first k slots become a uniform sample without replacement.
      for (int i = 0; i < k; i++) {
        int j = i + random.nextInt(pool.length - i);
        NodeId t = pool[i];
        pool[i] = pool[j];
        pool[j] = t;
      }
    }
    for (int i = 0; i < k; i++) {
      Address address = d.byId().get(pool[i]);
      transmit(address, message);
    }
    return k;
  }

  @Override
  public Membership membership() {
    return directory.membership();
  }

  /**
   * {@inheritDoc}
   *
   * @throws NullPointerException if {@code handler} is null
   */
  @Override
  public void onMessage(MessageHandler handler) {
    this.handler = Objects.requireNonNull(handler, "handler");
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here: a newly set listener is called soon with the current view, then with each change.
   *
   * @throws NullPointerException if {@code listener} is null
   */
  @Override
  public void onMembershipChange(Consumer<Membership> listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    requestMembershipNotification();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here: due at {@code clock.nanos() + delay} of the builder's clock, run on the endpoint's
   * callback thread. Timers still pending at {@link #close()} are dropped.
   *
   * @throws NullPointerException if an argument is null
   */
  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(task, "task");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must be >= 0, was " + delay);
    }
    long nanos;
    try {
      nanos = delay.toNanos();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("delay " + delay + " is too large to represent", e);
    }
    checkOpen();
    try {
      return executor.schedule(nanos, () -> {
        if (!closed.get()) {
          task.run();
        }
      });
    } catch (IllegalStateException e) {
      throw new IllegalStateException("endpoint " + localId + " is closed", e);
    }
  }

  /** Counters since this endpoint connected (a snapshot; each counter is exact, together not atomic). */
  public Stats stats() {
    return new Stats(sent.sum(), received.sum(), droppedUnknownPeer.sum(), droppedOversized.sum(),
        droppedQueueFull.sum(), droppedUnboundSender.sum(), sendFailures.sum());
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here: leaves the JGroups cluster gracefully (peers install a view without this node at
   * once, no failure detection needed), closes the channel, drops queued messages and pending
   * timers, and stops the callback thread (a callback running now finishes; when {@code close} is
   * called from a callback it returns without waiting for itself). May take up to a few seconds
   * when this node coordinates the cluster. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      channel.close();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "closing the JGroups channel of " + localId, e);
    }
    executor.shutdown(CLOSE_WAIT_MILLIS);
  }

  @Override
  public String toString() {
    return "JGroupsNetwork[" + localId + " " + mode + " cluster=" + cluster + ", "
        + directory.membership().size() + " members" + (closed.get() ? ", closed" : "") + "]";
  }

  private void checkMessage(byte[] message) {
    Objects.requireNonNull(message, "message");
    if (message.length > maxMessageBytes) {
      throw new IllegalArgumentException("message of " + message.length
          + " bytes exceeds maxMessageBytes = " + maxMessageBytes);
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("endpoint " + localId + " is closed");
    }
  }

  private void transmit(Address address, byte[] message) {
    try {
      channel.send(new BytesMessage(address, message));
      sent.increment();
    } catch (Exception e) {
      // A network failure is a lost message, never an exception (the SPI's contract).
      sendFailures.increment();
      LOG.log(System.Logger.Level.DEBUG, () -> "send to " + address + " failed: " + e);
    }
  }

  private void requestMembershipNotification() {
    if (membershipPending.compareAndSet(false, true)) {
      if (!executor.submit(this::notifyMembership)) {
        membershipPending.set(false); // closed
      }
    }
  }

  private void notifyMembership() {
    membershipPending.set(false);
    Consumer<Membership> l = listener;
    Membership view = directory.membership();
    if (l == null || closed.get() || (l == notifiedListener && view.equals(notifiedView))) {
      return;
    }
    notifiedListener = l;
    notifiedView = view;
    l.accept(view);
  }

  private void onView(View view) {
    directory = PeerDirectory.of(view, cluster, localId, directory);
    requestMembershipNotification();
  }

  private void onReceive(Message msg) {
    if (closed.get()) {
      return;
    }
    Address src = msg.getSrc();
    NodeId from = src == null ? null : directory.byAddress().get(src);
    if (from == null && src != null) {
      // A member whose view we have not installed yet, or a stranger: trust its signed binding.
      from = AddressBinding.verify(src, cluster);
    }
    if (from == null) {
      droppedUnboundSender.increment();
      return;
    }
    int length = msg.getLength();
    if (length > maxMessageBytes) {
      droppedOversized.increment();
      return;
    }
    byte[] bytes;
    if (length == 0) {
      bytes = new byte[0];
    } else {
      byte[] array = msg.getArray();
      int offset = msg.getOffset();
      bytes = offset == 0 && array.length == length
          ? array : Arrays.copyOfRange(array, offset, offset + length);
    }
    NodeId sender = from;
    if (!executor.offer(() -> deliver(sender, bytes))) {
      droppedQueueFull.increment();
    }
  }

  private void deliver(NodeId from, byte[] bytes) {
    MessageHandler h = handler;
    if (h == null || closed.get()) {
      return;
    }
    received.increment();
    h.onMessage(from, bytes);
  }

  private static long seedOf(NodeId id) {
    byte[] b = id.toBytes();
    long s = 0;
    for (int i = 0; i < 8; i++) {
      s = (s << 8) | (b[i] & 0xFF);
    }
    return s;
  }

  /** How often a free port picked for a TCP endpoint bound to port 0 is tried again if taken. */
  private static final int FREE_PORT_ATTEMPTS = 3;

  private static JGroupsNetwork connect(Builder b) throws IOException {
    if (b.mode != JGroupsMode.TCP || b.tcpBind.getPort() != 0) {
      return connectOnce(b, b.tcpBind);
    }
    // TCPPING needs a fixed port: pick a free one now (another process may take it in between,
    // hence the retries).
    IOException last = null;
    for (int attempt = 0; attempt < FREE_PORT_ATTEMPTS; attempt++) {
      InetSocketAddress bind;
      try (ServerSocket probe = new ServerSocket(0, 1, b.tcpBind.getAddress())) {
        bind = new InetSocketAddress(b.tcpBind.getAddress(), probe.getLocalPort());
      }
      try {
        return connectOnce(b, bind);
      } catch (IOException e) {
        last = e;
      }
    }
    throw last;
  }

  private static JGroupsNetwork connectOnce(Builder b, InetSocketAddress tcpBind)
      throws IOException {
    SerialExecutor executor =
        new SerialExecutor(b.clock, b.maxQueuedMessages, "edgenet-jgroups-" + b.identity.id());
    JChannel channel = null;
    try {
      channel = new JChannel(b.protocols(tcpBind));
      channel.name(b.identity.id().toString());
      channel.addAddressGenerator(
          () -> AddressBinding.create(b.identity, b.cluster, b.identity.id().toString()));
      JGroupsNetwork network = new JGroupsNetwork(b, channel, executor);
      network.handler = b.handler;
      network.listener = b.listener;
      channel.setReceiver(network.new ChannelReceiver());
      channel.connect(b.cluster);
      network.self = channel.address();
      LOG.log(System.Logger.Level.DEBUG, () -> "joined " + network);
      return network;
    } catch (Exception e) {
      if (channel != null) {
        channel.close();
      }
      executor.shutdown(CLOSE_WAIT_MILLIS);
      throw new IOException("could not join JGroups cluster \"" + b.cluster + "\" in mode "
          + b.mode + ": " + e.getMessage(), e);
    }
  }

  /** The JGroups side: called on JGroups' threads, hands everything to the executor. */
  private final class ChannelReceiver implements Receiver {
    @Override
    public void receive(Message msg) {
      onReceive(msg);
    }

    @Override
    public void viewAccepted(View view) {
      onView(view);
    }
  }

  /**
   * Configures and connects a {@link JGroupsNetwork}. Exactly one mode must be chosen ({@link #tcp},
   * {@link #tunnel} or {@link #sharedLoopback}; the last call wins). Every other setting has a
   * default. Not thread-safe; {@link #connect()} validates.
   */
  public static final class Builder {
    private final NodeIdentity identity;
    private final String cluster;
    private JGroupsMode mode;
    private InetSocketAddress tcpBind;
    private List<InetSocketAddress> seeds = List.of();
    private List<InetSocketAddress> routers = List.of();
    private InetAddress tunnelBind;
    private int portRange;
    private Clock clock = Clock.system();
    private RandomSource random;
    private int maxMessageBytes = EnvelopeLimits.defaults().maxFrameBytes();
    private int maxQueuedMessages = 10_000;
    private Duration joinTimeout = Duration.ofSeconds(2);
    private MessageHandler handler;
    private Consumer<Membership> listener;

    private Builder(NodeIdentity identity, String cluster) {
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
    public Builder tcp(InetSocketAddress bind, List<InetSocketAddress> seeds) {
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
    public Builder tunnel(List<InetSocketAddress> routers) {
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
     * @return this builder
     */
    public Builder tunnelBindAddress(InetAddress address) {
      this.tunnelBind = Objects.requireNonNull(address, "address");
      return this;
    }

    /**
     * {@link JGroupsMode#SHARED_LOOPBACK}: JGroups' in-JVM transport, for tests; members of the
     * same cluster name in this JVM find each other, nothing leaves the process.
     *
     * @return this builder
     */
    public Builder sharedLoopback() {
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
    public Builder portRange(int range) {
      if (range < 0 || range > 1000) {
        throw new IllegalArgumentException("portRange must be in [0, 1000], was " + range);
      }
      this.portRange = range;
      return this;
    }

    /**
     * The clock timers are due on; default {@link Clock#system()}. It must advance by itself.
     *
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The stream gossip draws its peers from; by default one seeded from this node's id. The
     * endpoint owns it afterwards (it locks it on each gossip).
     *
     * @return this builder
     */
    public Builder random(RandomSource random) {
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
    public Builder maxMessageBytes(int bytes) {
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
    public Builder maxQueuedMessages(int count) {
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
    public Builder joinTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.compareTo(Duration.ofMillis(100)) < 0 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
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
     * @return this builder
     */
    public Builder onMessage(MessageHandler handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * The membership listener, set before joining: it is told of the first view too. It may run
     * before {@link #connect()} returns.
     *
     * @return this builder
     */
    public Builder onMembershipChange(Consumer<Membership> listener) {
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

    private List<Protocol> protocols(InetSocketAddress bind) throws UnknownHostException {
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

  /**
   * Counters of one endpoint. Messages dropped on receive were never seen by the handler.
   *
   * @param sent messages handed to JGroups (each gossip copy counts once)
   * @param received messages delivered to the handler
   * @param droppedUnknownPeer sends to a node id not in the view
   * @param droppedOversized inbound messages longer than {@link #maxMessageBytes()}
   * @param droppedQueueFull inbound messages dropped because the callback queue was full
   * @param droppedUnboundSender inbound messages from an address without a valid node-id binding
   * @param sendFailures sends JGroups refused (e.g. while the channel was failing)
   */
  public record Stats(
      long sent,
      long received,
      long droppedUnknownPeer,
      long droppedOversized,
      long droppedQueueFull,
      long droppedUnboundSender,
      long sendFailures) {}
}
