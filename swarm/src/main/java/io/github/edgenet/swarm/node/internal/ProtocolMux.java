package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.net.Cancellable;
import io.github.edgenet.core.net.Membership;
import io.github.edgenet.core.net.MessageHandler;
import io.github.edgenet.core.net.PeerNetwork;
import io.github.edgenet.core.net.sim.SimulatedNode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One network endpoint shared by several protocols. Each {@link #channel} is a {@link PeerNetwork}
 * view of the endpoint that receives only the frames whose envelope type lies in its range; the
 * {@link #fallback()} channel receives every other frame, including frames too short to hold a
 * type or without the envelope magic (so the protocol behind it can count them as rejected).
 * Sending, gossip, timers and the membership view go straight to the endpoint.
 *
 * <p>The type is read from the frame header that core's envelope format fixes: the magic
 * {@code "ENV"} at bytes 0-2, the version at byte 3, the unsigned big-endian type at bytes 4-5. The
 * frame's length is checked before the type is read; nothing else is trusted, since each protocol
 * decodes and verifies the whole envelope itself.
 *
 * <p>On the simulator, a restart of the node is told to every channel's {@link Channel#onRestart}
 * hook. {@link #close()} closes the endpoint; closing a channel only detaches its handler.
 *
 * <p>Thread-safe: channel ranges and handlers may be set from any thread; dispatch runs on the
 * endpoint's callback thread and reads them without locks.
 */
public final class ProtocolMux implements AutoCloseable {
  /** Offset of the envelope type in a frame (core's {@code EnvelopeFormat.OFF_TYPE}). */
  static final int OFF_TYPE = 4;

  private final PeerNetwork base;
  private final List<Channel> channels = new CopyOnWriteArrayList<>();
  private final Channel fallback;
  private final List<Runnable> restartHooks = new CopyOnWriteArrayList<>();

  /**
   * Takes over {@code base}'s message handler (and, on the simulator, its restart hook).
   *
   * @param base the endpoint
   */
  public ProtocolMux(PeerNetwork base) {
    this.base = Objects.requireNonNull(base, "base");
    this.fallback = new Channel(-1, -1);
    base.onMessage(this::dispatch);
    base.onMembershipChange(this::viewChanged);
    if (base instanceof SimulatedNode sim) {
      sim.onRestart(() -> restartHooks.forEach(Runnable::run));
    }
  }

  /** The shared endpoint. */
  public PeerNetwork base() {
    return base;
  }

  /**
   * A channel receiving the frames of envelope types {@code [fromType, toType]}.
   *
   * @param fromType the first type, in [0, 65535]
   * @param toType the last type, in [fromType, 65535]
   * @return the channel
   * @throws IllegalArgumentException if the range is invalid or overlaps another channel's
   */
  public synchronized Channel channel(int fromType, int toType) {
    if (fromType < 0 || toType > 0xFFFF || fromType > toType) {
      throw new IllegalArgumentException("type range must lie in [0, 65535] in order, was ["
          + fromType + ", " + toType + "]");
    }
    for (Channel c : channels) {
      if (fromType <= c.to && c.from <= toType) {
        throw new IllegalArgumentException("type range [" + fromType + ", " + toType
            + "] overlaps [" + c.from + ", " + c.to + "]");
      }
    }
    Channel c = new Channel(fromType, toType);
    channels.add(c);
    return c;
  }

  /** The channel receiving every frame no other channel claims. */
  public Channel fallback() {
    return fallback;
  }

  /**
   * The envelope type of {@code frame}, or -1 if it is too short or lacks the envelope magic.
   *
   * @param frame a received frame
   * @return the type in [0, 65535], or -1
   */
  static int typeOf(byte[] frame) {
    if (frame == null || frame.length < OFF_TYPE + 2
        || frame[0] != 'E' || frame[1] != 'N' || frame[2] != 'V') {
      return -1;
    }
    return (frame[OFF_TYPE] & 0xFF) << 8 | frame[OFF_TYPE + 1] & 0xFF;
  }

  private void dispatch(NodeId from, byte[] frame) {
    int type = typeOf(frame);
    if (type >= 0) {
      for (Channel c : channels) {
        if (type >= c.from && type <= c.to) {
          c.deliver(from, frame);
          return;
        }
      }
    }
    fallback.deliver(from, frame);
  }

  private void viewChanged(Membership view) {
    fallback.viewChanged(view);
    for (Channel c : channels) {
      c.viewChanged(view);
    }
  }

  /** Closes the shared endpoint. Idempotent. */
  @Override
  public void close() {
    base.close();
  }

  /**
   * One protocol's view of the shared endpoint. {@link #onMessage} sets the handler for this
   * channel's frames only; {@link #close()} detaches it (the endpoint stays open).
   */
  public final class Channel implements PeerNetwork {
    private final int from;
    private final int to;
    private volatile MessageHandler handler;
    private volatile Consumer<Membership> viewListener;

    private Channel(int from, int to) {
      this.from = from;
      this.to = to;
    }

    private void deliver(NodeId sender, byte[] frame) {
      MessageHandler h = handler;
      if (h != null) {
        h.onMessage(sender, frame);
      }
    }

    private void viewChanged(Membership view) {
      Consumer<Membership> l = viewListener;
      if (l != null) {
        l.accept(view);
      }
    }

    /** The shared endpoint. */
    public PeerNetwork base() {
      return base;
    }

    /**
     * Runs {@code hook} when the simulator restarts the node after a crash (its timers are gone);
     * never on other transports.
     *
     * @param hook what to run
     */
    public void onRestart(Runnable hook) {
      restartHooks.add(Objects.requireNonNull(hook, "hook"));
    }

    @Override
    public NodeId localId() {
      return base.localId();
    }

    @Override
    public int maxMessageBytes() {
      return base.maxMessageBytes();
    }

    @Override
    public void send(NodeId to, byte[] message) {
      base.send(to, message);
    }

    @Override
    public int gossip(byte[] message, int fanout) {
      return base.gossip(message, fanout);
    }

    @Override
    public Membership membership() {
      return base.membership();
    }

    @Override
    public void onMessage(MessageHandler handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
    }

    @Override
    public void onMembershipChange(Consumer<Membership> listener) {
      this.viewListener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
      return base.schedule(delay, task);
    }

    /** Detaches this channel's handler; the shared endpoint stays open. */
    @Override
    public void close() {
      handler = null;
    }

    @Override
    public String toString() {
      return from < 0 ? "Channel[fallback]" : "Channel[0x" + Integer.toHexString(from) + "..0x"
          + Integer.toHexString(to) + "]";
    }
  }
}
