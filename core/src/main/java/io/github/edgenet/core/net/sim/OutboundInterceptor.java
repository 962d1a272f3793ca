package io.github.edgenet.core.net.sim;

import io.github.edgenet.core.identity.NodeId;

/**
 * Takes over a node's outgoing traffic: the hook for Byzantine peers. Installed with {@link
 * NetworkSimulator#setInterceptor}, it sees every message its node sends to a node of the
 * simulator (each gossip copy separately) in place of the network, and decides what really leaves
 * through the {@link Emitter}:
 *
 * <ul>
 *   <li>drop: emit nothing;
 *   <li>pass: {@code out.send(to, message)};
 *   <li>alter: {@code out.send(to, tampered)};
 *   <li>duplicate: emit more than once;
 *   <li>redirect: {@code out.send(someoneElse, message)};
 *   <li>inject or spoof: {@code out.sendAs(victim, anyone, anything)}, which the receiver's handler
 *       sees as coming from {@code victim};
 *   <li>delay: keep the emitter and emit later from a timer of the node.
 * </ul>
 *
 * <p>What is emitted travels the sending node's real links (latency, loss, duplication,
 * partitions) and is not intercepted again. The interceptor runs on the simulator's thread; to stay
 * reproducible it must draw randomness only from a seeded source such as {@link
 * SimulatedNode#random()}.
 */
@FunctionalInterface
public interface OutboundInterceptor {

  /**
   * Called for each message the node sends, instead of sending it.
   *
   * @param to the destination node code asked for
   * @param message the payload node code sent (read-only: emit a copy to alter it)
   * @param out where to emit what really goes out, now or later
   */
  void intercept(NodeId to, byte[] message, Emitter out);

  /**
   * Puts messages on the network as one node, bypassing its interceptor. Valid for the lifetime of
   * the simulator; emitting while the node is crashed drops the message ({@link
   * DropReason#SENDER_DOWN}). A message longer than the simulator's size limit is dropped ({@link
   * DropReason#OVERSIZE}) as a receiving transport would; a destination the simulator does not know
   * drops it ({@link DropReason#UNKNOWN_PEER}). Single-threaded like the simulator.
   */
  interface Emitter {

    /**
     * Sends {@code message} to {@code to} as this node.
     *
     * @param to the destination, a node of the simulator (or the message is dropped as {@link
     *     DropReason#UNKNOWN_PEER})
     * @param message the payload; not copied, so do not change it afterwards
     * @throws NullPointerException if an argument is null
     */
    void send(NodeId to, byte[] message);

    /**
     * Sends {@code message} to {@code to} over this node's links, but claiming to come from {@code
     * claimedSender}: the receiver's handler gets {@code claimedSender} as {@code from}.
     *
     * @param claimedSender the node the receiver will see as sender
     * @param to the destination, a node of the simulator (or the message is dropped as {@link
     *     DropReason#UNKNOWN_PEER})
     * @param message the payload; not copied, so do not change it afterwards
     * @throws IllegalArgumentException if {@code claimedSender} is not a node of the simulator
     * @throws NullPointerException if an argument is null
     */
    void sendAs(NodeId claimedSender, NodeId to, byte[] message);
  }
}
