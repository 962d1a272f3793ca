package io.github.edgenet.core.net.sim;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.net.Cancellable;
import io.github.edgenet.core.net.Membership;
import io.github.edgenet.core.net.MessageHandler;
import io.github.edgenet.core.net.PeerNetwork;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One node's {@link PeerNetwork} endpoint inside a {@link NetworkSimulator}, created by {@link
 * NetworkSimulator#addNode()}.
 *
 * <p>Behaves as the SPI describes, on virtual time: messages take the latency of their link and may
 * be lost, duplicated, reordered or cut by a partition; {@link #membership()} follows joins,
 * leaves, crashes and partitions (after the simulator's failure-detection delay); timers run at
 * exact virtual instants. Payloads are never copied: a receiver gets the very array the sender
 * passed, duplicates included.
 *
 * <p>While the node is crashed ({@link NetworkSimulator#crash}) its sends are dropped, {@link
 * #gossip} returns 0, nothing is delivered to it and its timers are lost. The endpoint object, its
 * id, its handler, its membership listener and its restart hook survive a crash; see {@link
 * NetworkSimulator#restart} for the rest.
 *
 * <p>Not thread-safe: confined to the thread that runs the simulator, like all of it. Callbacks run
 * on that thread.
 */
public final class SimulatedNode implements PeerNetwork {
  static final byte UP = 0;
  static final byte CRASHED = 1;
  static final byte CLOSED = 2;

  final NetworkSimulator sim;
  final NodeId id;
  final int index;
  final RandomSource latencyRandom;
  final RandomSource lossRandom;
  final RandomSource duplicationRandom;
  final RandomSource reorderRandom;
  final RandomSource gossipRandom;
  private final RandomSource nodeRandom;

  byte state = UP;
  /** Events for this node with a smaller sequence number were in flight when it last went down. */
  long dropBeforeSeq;
  /** Partition group now (decides which messages pass). */
  int group;
  /** Up and group as the membership views currently see them (they lag by the detection delay). */
  boolean viewUp = true;

  int viewGroup;
  MembershipViews.View view = MembershipViews.View.EMPTY;
  MembershipViews.View notifiedView;
  /** Whether this node is in {@code selfCheckedView}: gossip's cache, valid while the view stays. */
  MembershipViews.View selfCheckedView;

  boolean selfInView;
  MessageHandler handler;
  Consumer<Membership> membershipListener;
  Runnable restartHook;
  OutboundInterceptor interceptor;
  OutboundInterceptor.Emitter emitter;

  SimulatedNode(NetworkSimulator sim, NodeId id, int index, Streams streams) {
    this.sim = sim;
    this.id = id;
    this.index = index;
    this.latencyRandom = streams.latency().derive(index);
    this.lossRandom = streams.loss().derive(index);
    this.duplicationRandom = streams.duplication().derive(index);
    this.reorderRandom = streams.reorder().derive(index);
    this.gossipRandom = streams.gossip().derive(index);
    this.nodeRandom = streams.node().derive(index);
  }

  @Override
  public NodeId localId() {
    return id;
  }

  @Override
  public int maxMessageBytes() {
    return sim.maxMessageBytes();
  }

  /**
   * {@inheritDoc}
   *
   * <p>On the simulator: the message is queued for delivery at {@code now + latency} unless the link
   * drops it; a crashed node's sends are dropped; an unknown destination drops the message.
   *
   * @throws NullPointerException if an argument is null
   */
  @Override
  public void send(NodeId to, byte[] message) {
    sim.send(this, to, message);
  }

  /**
   * {@inheritDoc}
   *
   * <p>On the simulator the peers are drawn from this node's own seeded stream; a crashed node
   * sends nothing and returns 0.
   *
   * @throws NullPointerException if {@code message} is null
   */
  @Override
  public int gossip(byte[] message, int fanout) {
    return sim.gossip(this, message, fanout);
  }

  /**
   * {@inheritDoc}
   *
   * <p>On the simulator: the up members of this node's partition group, in join order, as of the
   * last view change this node saw. Works on closed and crashed nodes too (their last view).
   */
  @Override
  public Membership membership() {
    return sim.viewOf(this).snapshot;
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
   * <p>On the simulator a listener set before the first run is called with the first view; views
   * change at simulator events (joins at once, faults after the failure-detection delay).
   *
   * @throws NullPointerException if {@code listener} is null
   */
  @Override
  public void onMembershipChange(Consumer<Membership> listener) {
    this.membershipListener = Objects.requireNonNull(listener, "listener");
    sim.scheduleViewNotifications();
  }

  /**
   * {@inheritDoc}
   *
   * <p>On the simulator the task runs at exactly {@code now + delay} of virtual time; it is lost if
   * the node crashes or closes first.
   *
   * @throws NullPointerException if an argument is null
   */
  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    return sim.scheduleFor(this, delay, task);
  }

  /**
   * Sets what runs when this node restarts after a crash (replacing any previous hook): a task at
   * the restart instant, before anything else reaches the node. Timers do not survive a crash, so
   * this is where node code re-arms its periodic ticks and resets whatever state a real restart
   * would lose.
   *
   * @param hook the task to run at each restart; not run at the first start
   * @throws NullPointerException if {@code hook} is null
   */
  public void onRestart(Runnable hook) {
    this.restartHook = Objects.requireNonNull(hook, "hook");
  }

  /**
   * This node's own random stream, derived from the simulator's seed and the node's index only:
   * for node code and interceptors that need chance and must stay reproducible. The same object on
   * every call; not thread-safe.
   *
   * @return this node's own random stream, derived from the simulator's seed and the node's index
   *     only
   */
  public RandomSource random() {
    return nodeRandom;
  }

  /**
   * Whether the node is up: neither crashed nor closed.
   *
   * @return whether the node is up
   */
  public boolean isUp() {
    return state == UP;
  }

  /**
   * The simulator this node lives in.
   *
   * @return the simulator this node lives in
   */
  public NetworkSimulator simulator() {
    return sim;
  }

  /**
   * Leaves the network for good: every view drops this node at once (a graceful leave, announced,
   * not detected), its timers and in-flight inbound messages are dropped, and it cannot be
   * restarted. Later sends and schedules throw {@link IllegalStateException}. Idempotent.
   */
  @Override
  public void close() {
    sim.close(this);
  }

  /** The node's id and state, e.g. {@code SimulatedNode[n:3fa2c1d94b0e7a12 #17 up]}. */
  @Override
  public String toString() {
    String s = switch (state) {
      case UP -> "up";
      case CRASHED -> "crashed";
      default -> "closed";
    };
    return "SimulatedNode[" + id + " #" + index + " " + s + "]";
  }
}
