package io.github.edgenet.core.net.sim;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.net.Cancellable;
import io.github.edgenet.core.net.PeerNetwork;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A deterministic, discrete-event simulator of a peer-to-peer network: many {@link PeerNetwork}
 * endpoints ({@link SimulatedNode}s) in one JVM, on virtual time, with latency, loss, duplication,
 * reordering, partitions, crashes and Byzantine peers.
 *
 * <pre>{@code
 * NetworkSimulator sim = NetworkSimulator.builder()
 *     .seed(42)
 *     .latency(LatencyModel.logNormal(Duration.ofMillis(20), 0.5))
 *     .loss(0.01)
 *     .build();
 * List<SimulatedNode> nodes = sim.addNodes(1_000);
 * for (SimulatedNode n : nodes) {
 *   n.onMessage((from, msg) -> ...);        // node code: an actor driven by callbacks
 * }
 * nodes.get(0).gossip(payload, 5);
 * sim.runFor(Duration.ofSeconds(10));       // virtual seconds: as fast as the CPU allows
 * }</pre>
 *
 * <h2>Time</h2>
 *
 * Everything happens at events taken from one queue in order of (virtual time, insertion order):
 * message arrivals, timers ({@link #schedule}, {@link SimulatedNode#schedule}), membership changes.
 * The {@link #clock()} jumps to each event's time before it runs; node code reads time from it.
 * Nothing happens between events, and nothing happens unless a run method ({@link #step}, {@link
 * #runUntil}, {@link #runFor}, {@link #runUntilIdle}) is called. Times are nanoseconds of the clock.
 *
 * <h2>Determinism</h2>
 *
 * The same seed, the same calls from outside and node code that is itself deterministic (reads time
 * only from {@link #clock()} and chance only from seeded sources such as {@link
 * SimulatedNode#random()}) give the same run, event for event, on the same JDK. Every random draw of
 * the simulator comes from a stream derived from the seed by purpose and node index (latency, loss,
 * duplication, reordering, gossip peers, node ids), so adding a node or a fault does not shift the
 * random numbers of unrelated streams. Equal event times are ordered by insertion. Limits: the
 * normal, log-normal and exponential latencies use the JDK's {@code nextGaussian} and {@code
 * nextExponential}, whose algorithms could change between JDK releases; node code that iterates a
 * {@code HashMap} of objects without stable hash codes, or uses threads, is not reproducible.
 *
 * <h2>Faults</h2>
 *
 * <ul>
 *   <li>Links: latency, loss, duplication and extra reordering per {@link LinkModel}; one model
 *       for all links from the builder, overrides per directed link with {@link #setLink} or per
 *       node pair with {@link #setLinkBetween}.
 *   <li>Partitions: {@link #partition} splits the nodes into groups; a message whose sender and
 *       receiver are in different groups when it is sent or when it would arrive is dropped. {@link
 *       #heal} joins them again. Schedule both with {@link #schedule} to split at one time and heal
 *       at another.
 *   <li>Crashes: {@link #crash} and {@link #restart}; see there for what survives.
 *   <li>Byzantine peers: {@link #setInterceptor} hands a node's outgoing traffic to an {@link
 *       OutboundInterceptor} that can drop, alter, duplicate, redirect, delay, spoof or inject.
 * </ul>
 *
 * <h2>Membership views</h2>
 *
 * Each node's view is the set of up nodes of its partition group, in join order. Joins ({@link
 * #addNode}) and graceful leaves ({@link SimulatedNode#close()}) show at once; crashes, restarts,
 * partitions and heals show after the {@linkplain Builder#failureDetectionDelay failure-detection
 * delay} (zero by default), as a real failure detector would report them. Until then views are
 * stale: gossip may pick a crashed peer, and the message is lost.
 *
 * <h2>Scale</h2>
 *
 * Queued messages cost no object: the event queue is a binary heap over primitive arrays, nodes
 * are dense indices, payloads are never copied and membership snapshots are rebuilt only when views
 * change. Ten thousand nodes and millions of deliveries per second of CPU fit in one JVM.
 *
 * <h2>Threads and errors</h2>
 *
 * Not thread-safe: build it, add nodes, inject faults and run it from one thread; all node code runs
 * on that thread, inside the run methods. Run methods called from node code throw {@link
 * IllegalStateException}; the other methods (sending, scheduling, crashing, partitioning, adding
 * nodes) may be called from node code. An exception thrown by node code or an observer propagates
 * out of the run method; the event that raised it is consumed, the simulator stays consistent and
 * can keep running. Null arguments throw {@link NullPointerException}; invalid values {@link
 * IllegalArgumentException} naming the parameter and value.
 */
public final class NetworkSimulator {
  private static final System.Logger LOG = System.getLogger(NetworkSimulator.class.getName());

  // The jobs, each in a package-private class: nodes by index and id, time and scheduling, the
  // links and delivery, membership views, gossip's peer choice, and fault injection. This class
  // is the public face that validates arguments and hands each call to the one doing that job.
  private final long seed;
  private final int maxMessageBytes;
  private final Streams streams;
  private final NodeTable nodes = new NodeTable();
  private final EventLoop loop;
  private final Transport transport;
  private final MembershipViews views;
  private final GossipPeers peers;
  private final Faults faults;

  private NetworkSimulator(Builder b) {
    this.seed = b.seed;
    this.maxMessageBytes = b.maxMessageBytes;
    this.streams = new Streams(RandomSource.seeded(seed));
    this.loop = new EventLoop(b.clock != null ? b.clock : new VirtualClock(), nodes);
    this.transport = new Transport(nodes, loop, b.link, maxMessageBytes);
    this.views = new MembershipViews(nodes, loop, b.failureDetectionNanos);
    this.peers = new GossipPeers(nodes);
    this.faults = new Faults(nodes, loop, views);
    loop.attach(transport, views);
  }

  /**
   * A builder with the defaults listed on {@link Builder}.
   *
   * @return a builder with the defaults listed on {@link Builder}
   */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- nodes

  /**
   * Adds a node with an id derived from the seed and the node's index (32 pseudo-random bytes, not
   * a real public key). The node is up, in partition group 0, and in every view of that group at
   * once. May be called while the simulator runs.
   *
   * @return the new node, up; the last of {@link #nodes()}
   */
  public SimulatedNode addNode() {
    RandomSource r = streams.nodeId().derive(nodes.count());
    byte[] key = new byte[NodeId.LENGTH];
    for (int i = 0; i < NodeId.LENGTH; i += 8) {
      long v = r.nextLong();
      for (int j = 0; j < 8; j++) {
        key[i + j] = (byte) (v >>> (56 - 8 * j));
      }
    }
    return addNode(NodeId.of(key));
  }

  /**
   * Adds a node with the given id, for node code that needs a real identity (for instance to sign
   * envelopes with the matching private key). Otherwise like {@link #addNode()}.
   *
   * @param id the node's id, not yet used by a node of this simulator
   * @return the new node, up and in every view of partition group 0
   * @throws IllegalArgumentException if a node with this id already exists
   */
  public SimulatedNode addNode(NodeId id) {
    Objects.requireNonNull(id, "id");
    if (nodes.contains(id)) {
      throw new IllegalArgumentException("id " + id + " is already a node of this simulator");
    }
    SimulatedNode node = new SimulatedNode(this, id, nodes.count(), streams);
    nodes.add(node);
    views.markStale();
    views.scheduleNotifications();
    return node;
  }

  /**
   * Adds {@code count} nodes with derived ids, as {@link #addNode()} does.
   *
   * @param count how many nodes to add, {@code >= 0}
   * @return the new nodes, in order
   * @throws IllegalArgumentException if {@code count} is negative
   */
  public List<SimulatedNode> addNodes(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, was " + count);
    }
    List<SimulatedNode> added = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      added.add(addNode());
    }
    return added;
  }

  /**
   * The node with this id.
   *
   * @param id the id of a node added to this simulator (closed or crashed ones included)
   * @return the node with this id
   * @throws IllegalArgumentException if it is not a node of this simulator
   */
  public SimulatedNode node(NodeId id) {
    return nodes.get(nodes.indexOrThrow("id", id));
  }

  /**
   * All nodes, in the order they were added (closed and crashed ones included); a copy.
   *
   * @return all nodes, in the order they were added (closed and crashed ones included)
   */
  public List<SimulatedNode> nodes() {
    return nodes.list();
  }

  /**
   * The number of nodes ever added.
   *
   * @return the number of nodes ever added
   */
  public int nodeCount() {
    return nodes.count();
  }

  // ---------------------------------------------------------------- time and running

  /**
   * The virtual clock of this simulation. Read it freely; do not advance it: the simulator moves it
   * and fails with {@link IllegalStateException} if someone else did.
   *
   * @return the virtual clock of this simulation
   */
  public VirtualClock clock() {
    return loop.clock();
  }

  /**
   * The current virtual time in nanoseconds, same as {@code clock().nanos()}.
   *
   * @return the current virtual time in nanoseconds, same as {@code clock().nanos()}
   */
  public long now() {
    return loop.now;
  }

  /**
   * The seed this simulator was built with.
   *
   * @return the seed this simulator was built with
   */
  public long seed() {
    return seed;
  }

  /**
   * The largest message accepted, in bytes.
   *
   * @return the largest message accepted, in bytes
   */
  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  /**
   * Runs {@code task} at {@code now + delay}: a simulator-wide task that does not belong to any
   * node, so crashes do not affect it. Use it to script faults ({@code schedule(ofSeconds(5), () ->
   * sim.partition(...))}) and workloads. Tasks due at the same instant run in scheduling order.
   *
   * @param delay how long from now, {@code >= 0}
   * @param task what to run, on the simulator's thread, inside a run method
   * @return a handle to cancel the task
   * @throws IllegalArgumentException if {@code delay} is negative or the instant overflows
   */
  public Cancellable schedule(Duration delay, Runnable task) {
    Objects.requireNonNull(task, "task");
    return loop.schedule(loop.instantAfter(delay), -1, task);
  }

  /**
   * Processes the next event. Cancelled timers are discarded on the way and do not count.
   *
   * @return {@code false} if there was nothing to do
   * @throws IllegalStateException if called from node code (the simulator is already running)
   */
  public boolean step() {
    return loop.step();
  }

  /**
   * Processes every event due at or before {@code timeNanos}, then sets the clock to {@code
   * timeNanos}.
   *
   * @param timeNanos an instant of the clock, in nanoseconds, {@code >= now()}
   * @throws IllegalArgumentException if {@code timeNanos < now()}
   * @throws IllegalStateException if called from node code
   */
  public void runUntil(long timeNanos) {
    loop.runUntil(timeNanos);
  }

  /**
   * Runs for {@code duration} of virtual time: {@code runUntil(now() + duration)}.
   *
   * @param duration how much virtual time to run, {@code >= 0}
   * @throws IllegalArgumentException if {@code duration} is negative or the instant overflows
   * @throws IllegalStateException if called from node code
   */
  public void runFor(Duration duration) {
    loop.runUntil(loop.instantAfter(duration));
  }

  /**
   * Runs until no event is left. Beware: with periodic timers the queue is never empty; use {@link
   * #runUntilIdle(long)} or {@link #runUntil} then.
   *
   * @throws IllegalStateException if called from node code
   */
  public void runUntilIdle() {
    runUntilIdle(Long.MAX_VALUE);
  }

  /**
   * Runs until no event is left or {@code maxEvents} events have been processed, whichever comes
   * first. The clock stays at the time of the last event.
   *
   * @param maxEvents the most events to process, {@code >= 0}
   * @return {@code true} if the queue is empty (idle), {@code false} if it stopped at the limit
   * @throws IllegalArgumentException if {@code maxEvents} is negative
   * @throws IllegalStateException if called from node code
   */
  public boolean runUntilIdle(long maxEvents) {
    return loop.runUntilIdle(maxEvents);
  }

  /**
   * The number of queued events: messages in flight, timers (cancelled ones until discarded).
   *
   * @return the number of queued events
   */
  public int pendingEvents() {
    return loop.queue.size();
  }

  /**
   * A snapshot of the counters.
   *
   * @return a snapshot of the counters
   */
  public NetworkStats stats() {
    return transport.stats();
  }

  // ---------------------------------------------------------------- faults

  /**
   * Overrides the model of the directed link {@code from -> to}; {@code null} goes back to the
   * builder's model. Applies to messages sent from now on.
   *
   * @param from the sending node
   * @param to the receiving node
   * @param model the link's model, or {@code null} for the builder's
   * @throws IllegalArgumentException if a node is not in this simulator
   */
  public void setLink(NodeId from, NodeId to, LinkModel model) {
    transport.setLink(nodes.indexOrThrow("from", from), nodes.indexOrThrow("to", to), model);
  }

  /**
   * Overrides the model of both directions between {@code a} and {@code b}: {@link #setLink} twice.
   * {@code null} goes back to the builder's model.
   *
   * @param a one node
   * @param b the other node
   * @param model the model of both directions, or {@code null} for the builder's
   * @throws IllegalArgumentException if a node is not in this simulator
   */
  public void setLinkBetween(NodeId a, NodeId b, LinkModel model) {
    setLink(a, b, model);
    setLink(b, a, model);
  }

  /**
   * Crashes a node: from now on it sends nothing, receives nothing and its timers do not run.
   * Messages already in flight to it are dropped (even if it restarts before they would arrive); its
   * pending timers are lost; messages it sent before the crash still arrive. Peers' views drop it
   * after the failure-detection delay. May be called from node code.
   *
   * @param node the node to crash; must be up
   * @throws IllegalArgumentException if {@code node} is not in this simulator
   * @throws IllegalStateException if the node is already crashed or is closed
   */
  public void crash(NodeId node) {
    faults.crash(nodes.get(nodes.indexOrThrow("node", node)));
  }

  /**
   * Restarts a crashed node. What survives, as for a process restarted on the same machine with the
   * same code: its id, its {@link SimulatedNode} object with its message handler, membership
   * listener, restart hook and interceptor, and whatever state node code keeps in its own objects
   * (the simulator cannot reach into it). What is lost: timers pending at the crash and every
   * message sent to it before the restart, wherever it was (a restarted node starts with an empty
   * inbox; a real one might still get stragglers, the simulator is stricter). Its restart hook ({@link
   * SimulatedNode#onRestart}) runs now, as an event before anything else reaches the node: re-arm
   * periodic timers and reset volatile state there. Peers see it back, and it sees them, after the
   * failure-detection delay.
   *
   * @param node the crashed node to restart
   * @throws IllegalArgumentException if {@code node} is not in this simulator
   * @throws IllegalStateException if the node is not crashed
   */
  public void restart(NodeId node) {
    faults.restart(nodes.get(nodes.indexOrThrow("node", node)));
  }

  /**
   * Whether {@code node} is up (neither crashed nor closed).
   *
   * @param node a node of this simulator
   * @return whether {@code node} is up (neither crashed nor closed)
   * @throws IllegalArgumentException if {@code node} is not in this simulator
   */
  public boolean isUp(NodeId node) {
    return nodes.get(nodes.indexOrThrow("node", node)).state == SimulatedNode.UP;
  }

  /**
   * Splits the network: each collection in {@code groups} becomes a group, and every node listed in
   * none (including nodes added later) forms one more group together. Messages between groups are
   * dropped, those already in flight included; views split after the failure-detection delay.
   * Replaces any previous partition.
   *
   * @param groups disjoint groups of nodes of this simulator (an empty list puts every node in one
   *     group, as {@link #heal} does)
   * @throws IllegalArgumentException if a node is unknown or listed twice
   */
  public void partition(List<? extends Collection<NodeId>> groups) {
    faults.partition(groups);
  }

  /** Ends any partition: all nodes are in one group again; views merge after the detection delay. */
  public void heal() {
    faults.heal();
  }

  /**
   * Makes {@code node} Byzantine: from now on its outgoing messages go to {@code interceptor}
   * instead of the network ({@code null} makes it honest again). The node's own code, handler and
   * timers keep running; combine both to write any misbehaviour.
   *
   * @param node the node whose outgoing messages are taken over
   * @param interceptor what decides what leaves the node, or {@code null} to make it honest again
   * @throws IllegalArgumentException if {@code node} is not in this simulator
   */
  public void setInterceptor(NodeId node, OutboundInterceptor interceptor) {
    SimulatedNode n = nodes.get(nodes.indexOrThrow("node", node));
    n.interceptor = interceptor;
    if (interceptor != null && n.emitter == null) {
      n.emitter = transport.emitterFor(n);
    }
  }

  /**
   * Sets the observer of deliveries and drops, replacing any previous one; {@code null} removes it.
   *
   * @param observer the observer, or {@code null} for none
   */
  public void setObserver(SimulationObserver observer) {
    transport.setObserver(observer);
  }

  // ---------------------------------------------------------------- endpoint operations

  void send(SimulatedNode src, NodeId to, byte[] message) {
    Objects.requireNonNull(to, "to");
    checkMessage(message);
    checkOpen(src);
    transport.outbound(src, nodes.indexOf(to), to, message);
  }

  int gossip(SimulatedNode src, byte[] message, int fanout) {
    checkMessage(message);
    if (fanout < 0) {
      throw new IllegalArgumentException("fanout must be >= 0, was " + fanout);
    }
    checkOpen(src);
    if (fanout == 0 || src.state != SimulatedNode.UP) {
      return 0;
    }
    MembershipViews.View view = views.viewOf(src);
    int base = peers.top();
    try {
      int k = peers.select(src, view, fanout);
      for (int i = 0; i < k; i++) {
        int dst = peers.at(base + i);
        transport.outbound(src, dst, nodes.get(dst).id, message);
      }
      return k;
    } finally {
      peers.release(base);
    }
  }

  Cancellable scheduleFor(SimulatedNode node, Duration delay, Runnable task) {
    Objects.requireNonNull(task, "task");
    long at = loop.instantAfter(delay);
    checkOpen(node);
    if (node.state == SimulatedNode.UP) {
      return loop.schedule(at, node.index, task);
    }
    return EventLoop.lostTimer(task); // a crashed node's code does not run: the timer is lost at once
  }

  void close(SimulatedNode node) {
    if (node.state == SimulatedNode.CLOSED) {
      return;
    }
    node.state = SimulatedNode.CLOSED;
    node.dropBeforeSeq = loop.queue.nextSeq();
    node.viewUp = false;
    views.markStale();
    LOG.log(Level.DEBUG, () -> "t=" + loop.now + " ns: closed " + node.id);
    views.scheduleNotifications();
  }

  MembershipViews.View viewOf(SimulatedNode node) {
    return views.viewOf(node);
  }

  /** Makes sure listeners hear of the current views at the current instant. */
  void scheduleViewNotifications() {
    views.scheduleNotifications();
  }

  private void checkMessage(byte[] message) {
    Objects.requireNonNull(message, "message");
    if (message.length > maxMessageBytes) {
      throw new IllegalArgumentException(
          "message must be at most maxMessageBytes ("
              + maxMessageBytes
              + ") long, was "
              + message.length
              + " bytes");
    }
  }

  private static void checkOpen(SimulatedNode node) {
    if (node.state == SimulatedNode.CLOSED) {
      throw new IllegalStateException("endpoint " + node.id + " is closed");
    }
  }

  @Override
  public String toString() {
    return "NetworkSimulator[seed="
        + seed
        + ", "
        + nodes.count()
        + " nodes, t="
        + loop.now
        + " ns, "
        + loop.queue.size()
        + " pending]";
  }

  /**
   * Configures a {@link NetworkSimulator}. Defaults: seed 0, a fresh {@link VirtualClock}, latency
   * uniform on [1 ms, 10 ms], no loss, no duplication, no extra reordering, messages up to 1 MiB,
   * failure-detection delay zero.
   *
   * <p>Not thread-safe; each {@link #build()} returns an independent simulator.
   */
  public static final class Builder {
    private long seed;
    private VirtualClock clock;
    private LinkModel link =
        LinkModel.of(LatencyModel.uniform(Duration.ofMillis(1), Duration.ofMillis(10)));
    private int maxMessageBytes = 1 << 20;
    private long failureDetectionNanos;

    private Builder() {}

    /**
     * The seed every random draw of the simulation derives from.
     *
     * @param seed any value; the same seed gives the same run
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The clock to drive, shared with other components that should see virtual time; the
     * simulation starts at its current time. By default a new {@link VirtualClock} at zero.
     *
     * @param clock the virtual clock the simulator moves; nobody else may advance it while the
     *     simulator runs
     * @return this builder
     */
    public Builder clock(VirtualClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The latency distribution of every link (see {@link LatencyModel}).
     *
     * @param latency the latency distribution of every link (per-link overrides come later, with
     *     {@link NetworkSimulator#setLink})
     * @return this builder
     */
    public Builder latency(LatencyModel latency) {
      link = link.withLatency(latency);
      return this;
    }

    /**
     * The probability that any link loses a message.
     *
     * @param loss the probability that a message is lost, in {@code [0, 1]}
     * @return this builder
     * @throws IllegalArgumentException if {@code loss} is not in {@code [0, 1]}
     */
    public Builder loss(double loss) {
      link = link.withLoss(loss);
      return this;
    }

    /**
     * The probability that any link delivers a message one extra time.
     *
     * @param duplication the probability of one extra copy, in {@code [0, 1]}
     * @return this builder
     * @throws IllegalArgumentException if {@code duplication} is not in {@code [0, 1]}
     */
    public Builder duplication(double duplication) {
      link = link.withDuplication(duplication);
      return this;
    }

    /**
     * Extra reordering on every link: with probability {@code probability} a message is held back
     * by an extra delay uniform on {@code [0, maxDelay]}.
     *
     * @param probability how often a message is held back, in {@code [0, 1]}
     * @param maxDelay the longest extra delay, {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code probability} is not in {@code [0, 1]} or {@code
     *     maxDelay} is negative
     */
    public Builder reordering(double probability, Duration maxDelay) {
      link = link.withReordering(probability, maxDelay);
      return this;
    }

    /**
     * The whole model of every link at once, replacing latency, loss, duplication and reordering.
     *
     * @param link the model of every link
     * @return this builder
     */
    public Builder link(LinkModel link) {
      this.link = Objects.requireNonNull(link, "link");
      return this;
    }

    /**
     * The largest message in bytes; longer sends throw {@link IllegalArgumentException}.
     *
     * @param maxMessageBytes the limit in bytes, {@code >= 1} (default 1 MiB)
     * @return this builder
     * @throws IllegalArgumentException if {@code maxMessageBytes < 1}
     */
    public Builder maxMessageBytes(int maxMessageBytes) {
      if (maxMessageBytes < 1) {
        throw new IllegalArgumentException("maxMessageBytes must be >= 1, was " + maxMessageBytes);
      }
      this.maxMessageBytes = maxMessageBytes;
      return this;
    }

    /**
     * How long after a crash, restart, partition or heal the membership views show it (joins and
     * graceful leaves show at once).
     *
     * @param delay the detection delay, {@code >= 0} (default zero: views change at once)
     * @return this builder
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public Builder failureDetectionDelay(Duration delay) {
      this.failureDetectionNanos = LatencyModels.nanos("delay", delay);
      return this;
    }

    /**
     * A new simulator with no nodes, at the clock's current time.
     *
     * @return a new simulator with no nodes, at the clock's current time
     */
    public NetworkSimulator build() {
      return new NetworkSimulator(this);
    }
  }
}
