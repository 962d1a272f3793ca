package io.github.edgenet.core.net.sim;

/** Why the simulator dropped a message, as reported to a {@link SimulationObserver}. */
public enum DropReason {
  /** The link lost it (its {@link LinkModel#loss() loss} probability). */
  LOSS,
  /** Sender and receiver were in different partition groups when it was sent or when it arrived. */
  PARTITION,
  /** The sender was crashed: a crashed node sends nothing. */
  SENDER_DOWN,
  /**
   * The receiver was crashed or closed when it arrived, or crashed while it was in flight (in-flight
   * messages of a node that crashes are dropped, even if it restarts before they arrive).
   */
  RECEIVER_DOWN,
  /**
   * It was longer than the receiving endpoint accepts. Only messages emitted by an {@link
   * OutboundInterceptor} can get here; node code's oversized sends throw instead.
   */
  OVERSIZE,
  /** The destination is not a node of this simulator. */
  UNKNOWN_PEER
}
