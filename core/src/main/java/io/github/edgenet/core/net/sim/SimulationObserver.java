package io.github.edgenet.core.net.sim;

import io.github.edgenet.core.identity.NodeId;

/**
 * Watches every delivery and drop of a {@link NetworkSimulator}: the ground truth of a run, for
 * traces, assertions and statistics. Both methods default to doing nothing.
 *
 * <p>{@code from} is always the node that really sent the message, even when a Byzantine
 * interceptor made the receiver see another sender. Times are virtual nanoseconds. The arrays are
 * the payloads themselves: read-only. Called on the simulator's thread, synchronously, before the
 * receiver's handler; an exception propagates out of the simulator's run method like one from node
 * code. Observers must not call the simulator's run methods.
 */
public interface SimulationObserver {

  /**
   * A message arrives at {@code to}; called just before {@code to}'s handler.
   *
   * @param timeNanos the virtual time of the arrival, in nanoseconds of the simulator's clock
   * @param from the node that really sent the message (not the sender a spoofing interceptor
   *     claimed)
   * @param to the receiving node
   * @param message the payload itself, not a copy: read it, never change it
   */
  default void onDelivered(long timeNanos, NodeId from, NodeId to, byte[] message) {}

  /**
   * A message is dropped, when it is sent ({@link DropReason#LOSS}, {@link DropReason#SENDER_DOWN},
   * ...) or when it would have arrived ({@link DropReason#RECEIVER_DOWN}, {@link
   * DropReason#PARTITION}).
   *
   * @param timeNanos the virtual time of the drop, in nanoseconds of the simulator's clock: the
   *     send time, or the arrival time for drops at the receiver
   * @param from the node that really sent the message
   * @param to the destination (for {@link DropReason#UNKNOWN_PEER}, the id that is not a node)
   * @param message the payload itself, not a copy: read it, never change it
   * @param reason why it was dropped
   */
  default void onDropped(
      long timeNanos, NodeId from, NodeId to, byte[] message, DropReason reason) {}
}
