package io.github.edgenet.core.net.sim;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.net.Cancellable;
import io.github.edgenet.core.net.Membership;
import io.github.edgenet.core.net.MessageHandler;
import io.github.edgenet.core.net.PeerNetwork;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

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

  /** Marker payload: tell node {@code to} its view changed (no allocation per notification). */
  private static final Object NOTIFY_VIEW = new Object();

  private final long seed;
  private final VirtualClock clock;
  private final LinkModel defaultLink;
  private final int maxMessageBytes;
  private final long failureDetectionNanos;
  private final Streams streams;
  private final EventQueue queue = new EventQueue(1024);
  private final Object2IntOpenHashMap<NodeId> indexOf = new Object2IntOpenHashMap<>();
  private final Long2ObjectOpenHashMap<LinkModel> linkOverrides = new Long2ObjectOpenHashMap<>();

  private SimulatedNode[] nodes = new SimulatedNode[16];
  private int nodeCount;
  private long now;
  private boolean running;
  private SimulationObserver observer;

  private boolean viewsStale;
  private boolean notifyPending;
  private Map<IntArrayList, View> views = new HashMap<>();

  private int[] marks = new int[16];
  private int stamp;
  private int[] scratch = new int[64];
  private int scratchTop;

  private long sent;
  private long delivered;
  private long duplicated;
  private long lost;
  private long partitioned;
  private long senderDown;
  private long receiverDown;
  private long oversize;
  private long unknownPeer;
  private long timersRun;
  private long events;
  private long inFlight;

  private NetworkSimulator(Builder b) {
    this.seed = b.seed;
    this.clock = b.clock != null ? b.clock : new VirtualClock();
    this.defaultLink = b.link;
    this.maxMessageBytes = b.maxMessageBytes;
    this.failureDetectionNanos = b.failureDetectionNanos;
    this.streams = new Streams(RandomSource.seeded(seed));
    this.now = clock.nanos();
    indexOf.defaultReturnValue(-1);
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
   * @return the new node, up, with index {@link #nodeCount()} - 1
   */
  public SimulatedNode addNode() {
    RandomSource r = streams.nodeId().derive(nodeCount);
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
    if (indexOf.containsKey(id)) {
      throw new IllegalArgumentException("id " + id + " is already a node of this simulator");
    }
    int index = nodeCount;
    if (index == nodes.length) {
      nodes = Arrays.copyOf(nodes, index * 2);
    }
    SimulatedNode node = new SimulatedNode(this, id, index, streams);
    nodes[index] = node;
    nodeCount++;
    indexOf.put(id, index);
    viewsStale = true;
    scheduleViewNotifications();
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
    return nodes[indexOrThrow("id", id)];
  }

  /**
   * All nodes, in the order they were added (closed and crashed ones included); a copy.
   *
   * @return all nodes, in the order they were added (closed and crashed ones included)
   */
  public List<SimulatedNode> nodes() {
    return List.of(Arrays.copyOf(nodes, nodeCount));
  }

  /**
   * The number of nodes ever added.
   *
   * @return the number of nodes ever added
   */
  public int nodeCount() {
    return nodeCount;
  }

  // ---------------------------------------------------------------- time and running

  /**
   * The virtual clock of this simulation. Read it freely; do not advance it: the simulator moves it
   * and fails with {@link IllegalStateException} if someone else did.
   *
   * @return the virtual clock of this simulation
   */
  public VirtualClock clock() {
    return clock;
  }

  /**
   * The current virtual time in nanoseconds, same as {@code clock().nanos()}.
   *
   * @return the current virtual time in nanoseconds, same as {@code clock().nanos()}
   */
  public long now() {
    return now;
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
    Timer timer = new Timer(task);
    queue.push(instantAfter(delay), -1, -1, timer);
    return timer;
  }

  /**
   * Processes the next event. Cancelled timers are discarded on the way and do not count.
   *
   * @return {@code false} if there was nothing to do
   * @throws IllegalStateException if called from node code (the simulator is already running)
   */
  public boolean step() {
    enter();
    try {
      while (!queue.isEmpty()) {
        if (dispatchNext()) {
          return true;
        }
      }
      return false;
    } finally {
      running = false;
    }
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
    if (timeNanos < now) {
      throw new IllegalArgumentException(
          "timeNanos must be >= now (" + now + " ns), was " + timeNanos);
    }
    enter();
    try {
      EventQueue q = queue;
      while (!q.isEmpty() && q.topTime() <= timeNanos) {
        dispatchNext();
      }
      advanceClock(timeNanos);
    } finally {
      running = false;
    }
  }

  /**
   * Runs for {@code duration} of virtual time: {@code runUntil(now() + duration)}.
   *
   * @param duration how much virtual time to run, {@code >= 0}
   * @throws IllegalArgumentException if {@code duration} is negative or the instant overflows
   * @throws IllegalStateException if called from node code
   */
  public void runFor(Duration duration) {
    runUntil(instantAfter(duration));
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
    if (maxEvents < 0) {
      throw new IllegalArgumentException("maxEvents must be >= 0, was " + maxEvents);
    }
    enter();
    try {
      EventQueue q = queue;
      long done = 0;
      while (done < maxEvents && !q.isEmpty()) {
        if (dispatchNext()) {
          done++;
        }
      }
      discardCancelledTimers();
      return q.isEmpty();
    } finally {
      running = false;
    }
  }

  /**
   * The number of queued events: messages in flight, timers (cancelled ones until discarded).
   *
   * @return the number of queued events
   */
  public int pendingEvents() {
    return queue.size();
  }

  /**
   * A snapshot of the counters.
   *
   * @return a snapshot of the counters
   */
  public NetworkStats stats() {
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
        timersRun,
        events,
        inFlight);
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
    long key = linkKey(indexOrThrow("from", from), indexOrThrow("to", to));
    if (model == null) {
      linkOverrides.remove(key);
    } else {
      linkOverrides.put(key, model);
    }
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
    SimulatedNode n = nodes[indexOrThrow("node", node)];
    if (n.state != SimulatedNode.UP) {
      throw new IllegalStateException("cannot crash " + n + ": it is not up");
    }
    n.state = SimulatedNode.CRASHED;
    n.dropBeforeSeq = queue.nextSeq();
    LOG.log(Level.DEBUG, () -> "t=" + now + " ns: crashed " + n.id);
    faultChanged();
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
    SimulatedNode n = nodes[indexOrThrow("node", node)];
    if (n.state != SimulatedNode.CRASHED) {
      throw new IllegalStateException("cannot restart " + n + ": it is not crashed");
    }
    n.state = SimulatedNode.UP;
    n.dropBeforeSeq = queue.nextSeq(); // a clean inbox: nothing sent before the restart arrives
    LOG.log(Level.DEBUG, () -> "t=" + now + " ns: restarted " + n.id);
    Runnable hook = n.restartHook;
    if (hook != null) {
      queue.push(now, -1, n.index, new Timer(hook));
    }
    faultChanged();
  }

  /**
   * Whether {@code node} is up (neither crashed nor closed).
   *
   * @param node a node of this simulator
   * @return whether {@code node} is up (neither crashed nor closed)
   * @throws IllegalArgumentException if {@code node} is not in this simulator
   */
  public boolean isUp(NodeId node) {
    return nodes[indexOrThrow("node", node)].state == SimulatedNode.UP;
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
    Objects.requireNonNull(groups, "groups");
    int[] assigned = new int[nodeCount];
    for (int g = 0; g < groups.size(); g++) {
      for (NodeId id : Objects.requireNonNull(groups.get(g), "groups element")) {
        int i = indexOrThrow("node in groups", id);
        if (assigned[i] != 0) {
          throw new IllegalArgumentException("node " + id + " is in more than one group");
        }
        assigned[i] = g + 1;
      }
    }
    for (int i = 0; i < nodeCount; i++) {
      nodes[i].group = assigned[i];
    }
    LOG.log(Level.DEBUG, () -> "t=" + now + " ns: partitioned into " + (groups.size() + 1));
    faultChanged();
  }

  /** Ends any partition: all nodes are in one group again; views merge after the detection delay. */
  public void heal() {
    for (int i = 0; i < nodeCount; i++) {
      nodes[i].group = 0;
    }
    LOG.log(Level.DEBUG, () -> "t=" + now + " ns: healed");
    faultChanged();
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
    SimulatedNode n = nodes[indexOrThrow("node", node)];
    n.interceptor = interceptor;
    if (interceptor != null && n.emitter == null) {
      n.emitter = new NodeEmitter(n);
    }
  }

  /**
   * Sets the observer of deliveries and drops, replacing any previous one; {@code null} removes it.
   *
   * @param observer the observer, or {@code null} for none
   */
  public void setObserver(SimulationObserver observer) {
    this.observer = observer;
  }

  // ---------------------------------------------------------------- endpoint operations

  void send(SimulatedNode src, NodeId to, byte[] message) {
    Objects.requireNonNull(to, "to");
    checkMessage(message);
    checkOpen(src);
    outbound(src, indexOf.getInt(to), to, message);
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
    View view = viewOf(src);
    int[] members = view.members;
    int self = src.index;
    if (src.selfCheckedView != view) { // once per view change, not per message
      src.selfCheckedView = view;
      src.selfInView = Arrays.binarySearch(members, self) >= 0;
    }
    int candidates = members.length - (src.selfInView ? 1 : 0);
    int k = Math.min(fanout, candidates);
    if (k == 0) {
      return 0;
    }
    int base = scratchTop;
    if (k == candidates) {
      reserveScratch(candidates);
      int j = base;
      for (int m : members) {
        if (m != self) {
          scratch[j++] = m;
        }
      }
    } else if (k <= candidates >>> 2) {
      // Few peers out of many: draw with rejection, marking picks (expected draws < 4k/3).
      reserveScratch(k);
      int st = nextStamp();
      int[] mk = marks;
      int[] sc = scratch;
      RandomSource r = src.gossipRandom;
      int got = 0;
      while (got < k) {
        int m = members[r.nextInt(members.length)];
        if (m != self && mk[m] != st) {
          mk[m] = st;
          sc[base + got++] = m;
        }
      }
    } else {
      // Many peers: partial Fisher-Yates shuffle of the candidates.
      reserveScratch(candidates);
      int[] sc = scratch;
      int j = base;
      for (int m : members) {
        if (m != self) {
          sc[j++] = m;
        }
      }
      RandomSource r = src.gossipRandom;
      for (int i = 0; i < k; i++) {
        int pick = base + i + r.nextInt(candidates - i);
        int tmp = sc[base + i];
        sc[base + i] = sc[pick];
        sc[pick] = tmp;
      }
    }
    try {
      for (int i = 0; i < k; i++) {
        // Re-read the field: an interceptor may gossip too and grow the scratch array.
        int dst = scratch[base + i];
        outbound(src, dst, nodes[dst].id, message);
      }
    } finally {
      scratchTop = base;
    }
    return k;
  }

  Cancellable scheduleFor(SimulatedNode node, Duration delay, Runnable task) {
    Objects.requireNonNull(task, "task");
    long at = instantAfter(delay);
    checkOpen(node);
    Timer timer = new Timer(task);
    if (node.state == SimulatedNode.UP) {
      queue.push(at, -1, node.index, timer);
    } else {
      timer.done = true; // a crashed node's code does not run: the timer is lost at once
    }
    return timer;
  }

  void close(SimulatedNode node) {
    if (node.state == SimulatedNode.CLOSED) {
      return;
    }
    node.state = SimulatedNode.CLOSED;
    node.dropBeforeSeq = queue.nextSeq();
    node.viewUp = false;
    viewsStale = true;
    LOG.log(Level.DEBUG, () -> "t=" + now + " ns: closed " + node.id);
    scheduleViewNotifications();
  }

  View viewOf(SimulatedNode node) {
    if (viewsStale) {
      rebuildViews();
    }
    return node.view;
  }

  // ---------------------------------------------------------------- the network

  private void outbound(SimulatedNode src, int dst, NodeId to, byte[] message) {
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

  /** Puts a message on the link {@code src -> dst}; the receiver will see {@code claimed} as sender. */
  private void transmit(SimulatedNode src, int claimed, int dst, byte[] message) {
    sent++;
    int from = src.index;
    SimulatedNode d = nodes[dst];
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
    long t = now + latency;
    return t < now ? Long.MAX_VALUE : t; // saturate instead of wrapping around
  }

  /** Takes the next event off the queue and runs it; {@code false} if it was a cancelled timer. */
  private boolean dispatchNext() {
    EventQueue q = queue;
    Object payload = q.topPayload();
    if (payload instanceof Timer timer && timer.done) {
      q.pop();
      return false;
    }
    long time = q.topTime();
    long seq = q.topSeq();
    int from = q.topFrom();
    int to = q.topTo();
    q.pop();
    advanceClock(time);
    events++;
    if (payload instanceof byte[] message) {
      inFlight--;
      deliver(from, from, to, seq, message);
    } else if (payload instanceof Timer timer) {
      runTimer(timer, to, seq);
    } else if (payload instanceof Spoofed s) {
      inFlight--;
      deliver(s.realFrom, from, to, seq, s.message);
    } else if (payload == NOTIFY_VIEW) {
      notifyView(nodes[to]);
    } else {
      ((Runnable) payload).run();
    }
    return true;
  }

  private void deliver(int realFrom, int claimedFrom, int to, long seq, byte[] message) {
    SimulatedNode d = nodes[to];
    SimulatedNode s = nodes[realFrom];
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
      o.onDelivered(now, s.id, d.id, message);
    }
    MessageHandler h = d.handler;
    if (h != null) {
      h.onMessage(nodes[claimedFrom].id, message);
    }
  }

  private void runTimer(Timer timer, int to, long seq) {
    timer.done = true;
    if (to >= 0) {
      SimulatedNode n = nodes[to];
      if (n.state != SimulatedNode.UP || seq < n.dropBeforeSeq) {
        return; // lost with its node
      }
    }
    timersRun++;
    timer.task.run();
  }

  private void dropped(NodeId from, NodeId to, byte[] message, DropReason reason) {
    SimulationObserver o = observer;
    if (o != null) {
      o.onDropped(now, from, to, message, reason);
    }
  }

  // ---------------------------------------------------------------- views

  /** A fault changed who is up or who is grouped with whom: views catch up after the delay. */
  private void faultChanged() {
    long at = now + failureDetectionNanos;
    queue.push(at < now ? Long.MAX_VALUE : at, -1, -1, (Runnable) this::applyFaultsToViews);
  }

  private void applyFaultsToViews() {
    for (int i = 0; i < nodeCount; i++) {
      SimulatedNode n = nodes[i];
      n.viewUp = n.state == SimulatedNode.UP;
      n.viewGroup = n.group;
    }
    viewsStale = true;
    queueViewNotifications();
  }

  /** Makes sure listeners hear of the current views at the current instant. */
  void scheduleViewNotifications() {
    if (!notifyPending) {
      notifyPending = true;
      queue.push(now, -1, -1, (Runnable) this::queueViewNotifications);
    }
  }

  /** One notification event per node whose view changed: each runs as that node's own callback. */
  private void queueViewNotifications() {
    notifyPending = false;
    if (viewsStale) {
      rebuildViews();
    }
    for (int i = 0; i < nodeCount; i++) {
      SimulatedNode n = nodes[i];
      if (n.membershipListener != null && n.state == SimulatedNode.UP && n.view != n.notifiedView) {
        queue.push(now, -1, i, NOTIFY_VIEW);
      }
    }
  }

  private void notifyView(SimulatedNode n) {
    View v = n.view;
    Consumer<Membership> listener = n.membershipListener;
    if (listener != null && n.state == SimulatedNode.UP && v != n.notifiedView) {
      n.notifiedView = v;
      listener.accept(v.snapshot);
    }
  }

  /** Rebuilds the group views from the view state; unchanged groups keep their snapshot object. */
  private void rebuildViews() {
    viewsStale = false;
    Int2ObjectOpenHashMap<IntArrayList> groups = new Int2ObjectOpenHashMap<>();
    for (int i = 0; i < nodeCount; i++) {
      SimulatedNode n = nodes[i];
      if (n.viewUp) {
        groups.computeIfAbsent(n.viewGroup, g -> new IntArrayList()).add(i);
      }
    }
    Map<IntArrayList, View> next = HashMap.newHashMap(groups.size());
    Int2ObjectOpenHashMap<View> byGroup = new Int2ObjectOpenHashMap<>(groups.size());
    for (Int2ObjectOpenHashMap.Entry<IntArrayList> e : groups.int2ObjectEntrySet()) {
      IntArrayList members = e.getValue();
      View v = views.get(members);
      if (v == null) {
        int[] m = members.toIntArray();
        NodeId[] ids = new NodeId[m.length];
        for (int j = 0; j < m.length; j++) {
          ids[j] = nodes[m[j]].id;
        }
        v = new View(m, Membership.of(Arrays.asList(ids)));
      }
      next.put(members, v);
      byGroup.put(e.getIntKey(), v);
    }
    views = next;
    for (int i = 0; i < nodeCount; i++) {
      SimulatedNode n = nodes[i];
      if (n.viewUp) {
        n.view = byGroup.get(n.viewGroup);
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private void enter() {
    if (running) {
      throw new IllegalStateException(
          "the simulator is already running: run methods cannot be called from node code");
    }
    running = true;
  }

  private void advanceClock(long time) {
    if (time != now) {
      long c = clock.nanos();
      if (c != now) {
        throw new IllegalStateException(
            "the simulator's clock was moved from outside: expected " + now + " ns, found " + c);
      }
      clock.advanceTo(time);
      now = time;
    }
  }

  private void discardCancelledTimers() {
    EventQueue q = queue;
    while (!q.isEmpty() && q.topPayload() instanceof Timer t && t.done) {
      q.pop();
    }
  }

  private long instantAfter(Duration delay) {
    long d = LatencyModels.nanos("delay", delay);
    long at = now + d;
    if (at < now) {
      throw new IllegalArgumentException("delay " + delay + " from now (" + now + " ns) overflows");
    }
    return at;
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

  private int indexOrThrow(String name, NodeId id) {
    Objects.requireNonNull(id, name);
    int i = indexOf.getInt(id);
    if (i < 0) {
      throw new IllegalArgumentException(name + " " + id + " is not a node of this simulator");
    }
    return i;
  }

  private static long linkKey(int from, int to) {
    return ((long) from << 32) | (to & 0xFFFF_FFFFL);
  }

  private int nextStamp() {
    if (marks.length < nodeCount) {
      marks = Arrays.copyOf(marks, Math.max(nodeCount, marks.length * 2));
    }
    if (++stamp == 0) {
      Arrays.fill(marks, 0);
      stamp = 1;
    }
    return stamp;
  }

  private void reserveScratch(int n) {
    int need = scratchTop + n;
    if (need > scratch.length) {
      scratch = Arrays.copyOf(scratch, Math.max(need, scratch.length * 2));
    }
    scratchTop = need;
  }

  @Override
  public String toString() {
    return "NetworkSimulator[seed="
        + seed
        + ", "
        + nodeCount
        + " nodes, t="
        + now
        + " ns, "
        + queue.size()
        + " pending]";
  }

  // ---------------------------------------------------------------- small types

  /** The named random streams, each derived once from the seed; nodes derive theirs by index. */
  record Streams(
      RandomSource latency,
      RandomSource loss,
      RandomSource duplication,
      RandomSource reorder,
      RandomSource gossip,
      RandomSource node,
      RandomSource nodeId) {
    Streams(RandomSource root) {
      this(
          root.derive("latency"),
          root.derive("loss"),
          root.derive("duplication"),
          root.derive("reorder"),
          root.derive("gossip"),
          root.derive("node"),
          root.derive("node-id"));
    }
  }

  /** A membership view: sorted dense indices (join order) and the public snapshot. */
  static final class View {
    static final View EMPTY = new View(new int[0], Membership.empty());

    final int[] members;
    final Membership snapshot;

    View(int[] members, Membership snapshot) {
      this.members = members;
      this.snapshot = snapshot;
    }
  }

  /** A timer task in the queue; {@code done} once run, cancelled or lost. */
  private static final class Timer implements Cancellable {
    final Runnable task;
    boolean done;

    Timer(Runnable task) {
      this.task = task;
    }

    @Override
    public boolean cancel() {
      if (done) {
        return false;
      }
      done = true;
      return true;
    }
  }

  /** A payload whose claimed sender (the event's {@code from}) is not its real sender. */
  private record Spoofed(int realFrom, byte[] message) {}

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
      emit(indexOrThrow("claimedSender", claimedSender), to, message);
    }

    private void emit(int claimed, NodeId to, byte[] message) {
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(message, "message");
      if (node.state != SimulatedNode.UP) {
        senderDown++;
        dropped(node.id, to, message, DropReason.SENDER_DOWN);
        return;
      }
      int dst = indexOf.getInt(to);
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
