package io.github.edgenet.core.net;

import io.github.edgenet.core.identity.NodeId;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One node's endpoint on a peer-to-peer network: the SPI that node code is written against, so the
 * same protocol runs on the deterministic simulator ({@link io.github.edgenet.core.net.sim}) and on
 * a real transport.
 *
 * <h2>What the transport promises, and what it does not</h2>
 *
 * <ul>
 *   <li><b>Unreliable datagrams.</b> {@link #send} and {@link #gossip} are fire-and-forget: a
 *       message may be lost, delivered twice or more, or overtaken by a later one. Nothing tells the
 *       sender. Protocols that need more (acknowledgements, retries, ordering, deduplication) build
 *       it on top.
 *   <li><b>Untrusted senders.</b> The {@code from} given to the {@link MessageHandler} is the
 *       transport's claim; a Byzantine peer can forge it. The transport carries bytes only:
 *       authenticity comes from signed envelopes one layer up.
 *   <li><b>Bounded sizes.</b> A message longer than {@link #maxMessageBytes()} is rejected on send
 *       with {@link IllegalArgumentException}; a receiving transport drops longer ones it is sent.
 *   <li><b>No copies.</b> An implementation may hand the very array given to {@code send} to one or
 *       several receivers (the simulator does). Do not modify an array after sending it, and treat
 *       received arrays as read-only.
 *   <li><b>Serialized callbacks.</b> The message handler, the membership listener and the timers of
 *       one endpoint run one at a time (never concurrently with each other), not necessarily on the
 *       same thread each time, each call happening-before the next. Node code written as an actor
 *       driven by these callbacks needs no locks.
 * </ul>
 *
 * <h2>Thread-safety</h2>
 *
 * Implementations document their own: a real transport is expected to accept {@code send},
 * {@code gossip}, {@code schedule} and {@code membership} from any thread; the simulator is confined
 * to the thread that runs it.
 *
 * <h2>Errors</h2>
 *
 * Null arguments throw {@link NullPointerException}; out-of-range arguments throw
 * {@link IllegalArgumentException} naming the parameter and value; using a closed endpoint throws
 * {@link IllegalStateException}. Network failures are never reported as exceptions: they are lost
 * messages.
 */
public interface PeerNetwork extends AutoCloseable {

  /**
   * This endpoint's node id.
   *
   * @return this endpoint's node id
   */
  NodeId localId();

  /**
   * The largest message, in bytes, that this endpoint sends or accepts. At least 1.
   *
   * @return the largest message, in bytes, that this endpoint sends or accepts
   */
  int maxMessageBytes();

  /**
   * Sends {@code message} to the peer {@code to}, at most once from the sender's side, without
   * waiting and without any delivery guarantee (see the class comment). Sending to oneself is
   * allowed and goes through the network like any other message. A peer the transport does not
   * know is not an error: the message is dropped.
   *
   * @param to the destination node
   * @param message the bytes to send; not copied, must not be modified afterwards
   * @throws IllegalArgumentException if {@code message.length > maxMessageBytes()}
   * @throws IllegalStateException if this endpoint is closed
   */
  void send(NodeId to, byte[] message);

  /**
   * Sends {@code message} to {@code fanout} distinct peers drawn uniformly at random from the
   * current {@link #membership()} view, never to this node itself; to all of them if the view has
   * fewer. Each copy is an independent unreliable {@link #send}.
   *
   * @param message the bytes to send; not copied, must not be modified afterwards
   * @param fanout how many peers to send to, {@code >= 0}
   * @return the number of peers the message was sent to: {@code fanout} or the number of other
   *     members in the view, whichever is smaller; 0 where an implementation knows the message
   *     cannot leave (the simulator's crashed nodes)
   * @throws IllegalArgumentException if {@code fanout < 0} or the message is too long
   * @throws IllegalStateException if this endpoint is closed
   */
  int gossip(byte[] message, int fanout);

  /**
   * The current membership view, an immutable snapshot (see {@link Membership}).
   *
   * @return the current membership view, an immutable snapshot (see {@link Membership})
   */
  Membership membership();

  /**
   * Sets the handler that receives this endpoint's inbound messages, replacing any previous one.
   * Until a handler is set, arriving messages are discarded.
   *
   * @param handler receives every inbound message of this endpoint
   */
  void onMessage(MessageHandler handler);

  /**
   * Sets the listener told of each new membership view of this endpoint, replacing any previous
   * one. It is called with the new snapshot after the view changed, serialized with the message
   * handler; views that change and change back before the listener runs may not be reported.
   *
   * @param listener told of each new membership view
   */
  void onMembershipChange(Consumer<Membership> listener);

  /**
   * Runs {@code task} once, {@code delay} from now on this endpoint's clock (virtual time on the
   * simulator), serialized with the message handler. Tasks due at the same instant run in the order
   * they were scheduled. A task is lost if its node stops first (closed, or crashed on the
   * simulator). For a periodic tick, schedule the next run from within the task.
   *
   * @param delay how long to wait, {@code >= 0}
   * @param task what to run
   * @return a handle to cancel the task
   * @throws IllegalArgumentException if {@code delay} is negative or too large to represent
   * @throws IllegalStateException if this endpoint is closed
   */
  Cancellable schedule(Duration delay, Runnable task);

  /**
   * Leaves the network: peers see this node leave their membership, pending timers are dropped and
   * no further message is delivered to it. Idempotent.
   */
  @Override
  void close();
}
