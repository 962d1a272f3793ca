package io.github.edgenet.swarm.net;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.Cancellable;
import io.github.edgenet.core.net.Membership;
import io.github.edgenet.core.net.MessageHandler;
import io.github.edgenet.core.net.PeerNetwork;
import io.github.edgenet.swarm.net.internal.AddressBinding;
import io.github.edgenet.swarm.net.internal.PeerDirectory;
import io.github.edgenet.swarm.net.internal.SerialExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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

/**
 * A {@link PeerNetwork} endpoint on a JGroups cluster: a real network between processes and
 * machines. Create one with {@link #builder(NodeIdentity, String)}, choose a {@link JGroupsMode}
 * ({@link JGroupsNetworkBuilder#tcp TCP with a seed list}, {@link JGroupsNetworkBuilder#tunnel
 * TUNNEL through GossipRouters} or {@link JGroupsNetworkBuilder#sharedLoopback in-JVM}) and
 * {@link JGroupsNetworkBuilder#connect() connect}.
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
 *       longer inbound messages are dropped; over TCP a frame far beyond the limit is refused by
 *       JGroups from its length field, before anything of its size is allocated.
 *   <li><b>Callbacks.</b> The message handler, the membership listener and the timers run on one
 *       thread per endpoint, one at a time. Inbound messages wait in a queue of at most
 *       {@link JGroupsNetworkBuilder#maxQueuedMessages(int)}; beyond it they are dropped
 *       (counted), so a flood costs messages, not heap.
 *   <li><b>Membership.</b> Each JGroups view becomes a {@link Membership} snapshot in view order
 *       (the coordinator, i.e. the oldest member, first), including this node. The listener gets
 *       the latest snapshot; views that change and change back before it runs are coalesced.
 *   <li><b>Time.</b> Timers are due on the {@link io.github.edgenet.core.Clock} given to the builder
 *       (the system clock by default), which must advance by itself.
 * </ul>
 *
 * <p>Thread-safe: {@code send}, {@code gossip}, {@code schedule}, {@code membership}, the setters
 * and {@code close} may be called from any thread, including from the endpoint's own callbacks.
 */
public final class JGroupsNetwork implements PeerNetwork {
  private static final System.Logger LOG = System.getLogger(JGroupsNetwork.class.getName());
  private static final long CLOSE_WAIT_MILLIS = 5_000;
  /** How many bindings of senders outside the view are remembered (then forgotten at once). */
  private static final int MAX_STRANGERS = 1024;

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
  private final ConcurrentHashMap<Address, Optional<NodeId>> strangers = new ConcurrentHashMap<>();
  private volatile MessageHandler handler;
  private volatile Consumer<Membership> listener;
  private volatile Address self;
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

  private JGroupsNetwork(JGroupsNetworkBuilder b, JChannel channel, SerialExecutor executor) {
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
   * @return a builder with this identity and cluster name; choose a mode on it before {@link
   *     JGroupsNetworkBuilder#connect()}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code cluster} is empty or longer than 200 characters
   */
  public static JGroupsNetworkBuilder builder(NodeIdentity identity, String cluster) {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(cluster, "cluster");
    if (cluster.isEmpty() || cluster.length() > 200) {
      throw new IllegalArgumentException(
          "cluster must be 1 to 200 characters, was " + cluster.length() + ": \"" + cluster + "\"");
    }
    return new JGroupsNetworkBuilder(identity, cluster);
  }

  @Override
  public NodeId localId() {
    return localId;
  }

  @Override
  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  /**
   * The mode this endpoint was built with.
   *
   * @return the mode: TCP, TUNNEL or SHARED_LOOPBACK
   */
  public JGroupsMode mode() {
    return mode;
  }

  /**
   * The cluster name.
   *
   * @return the cluster name given to {@link #builder}, 1 to 200 characters
   */
  public String cluster() {
    return cluster;
  }

  /**
   * The socket address this endpoint listens on: with {@link JGroupsMode#TCP}, where peers reach
   * it (the port actually bound, also when the builder asked for port 0), the address to give other
   * nodes as a seed. {@code null} in the other modes.
   *
   * @return the listen address with the bound port, or null unless the mode is TCP
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
   * JGroupsNetworkBuilder#random}).
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

  /**
   * Counters since this endpoint connected: a snapshot, each exact, together not atomic.
   *
   * @return the counters now; later traffic does not change the returned record
   */
  public Stats stats() {
    return new Stats(sent.sum(), received.sum(), droppedUnknownPeer.sum(), droppedOversized.sum(),
        droppedQueueFull.sum(), droppedUnboundSender.sum(), sendFailures.sum());
  }

  /**
   * Whether {@link #close()} was called.
   *
   * @return true once {@code close} was called (even while it is still running)
   */
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
      // A member whose view we have not installed yet, or a stranger: trust its signed binding,
      // checked once per address (a flood from one address costs one signature check).
      if (strangers.size() >= MAX_STRANGERS) {
        strangers.clear();
      }
      from = strangers.computeIfAbsent(src,
          a -> Optional.ofNullable(AddressBinding.verify(a, cluster))).orElse(null);
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

  static JGroupsNetwork connect(JGroupsNetworkBuilder b) throws IOException {
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

  private static JGroupsNetwork connectOnce(JGroupsNetworkBuilder b, InetSocketAddress tcpBind)
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
