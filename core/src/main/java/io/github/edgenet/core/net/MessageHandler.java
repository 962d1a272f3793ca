package io.github.edgenet.core.net;

import io.github.edgenet.core.identity.NodeId;

/**
 * Receives the messages that arrive at one {@link PeerNetwork} endpoint.
 *
 * <p>{@code from} is what the transport claims about the sender: it is not authenticated and a
 * Byzantine peer can forge it. Trust comes only from a verified signed envelope inside
 * {@code message}. The {@code message} array may be shared with other receivers (a simulator does
 * not copy payloads, and a duplicated message arrives as the same array twice): treat it as
 * read-only and copy what you keep.
 *
 * <p>Implementations of {@link PeerNetwork} call one endpoint's handler from one thread at a time,
 * serialized with that endpoint's timers and membership listener, so a handler needs no locking
 * against them. It should return quickly: a slow handler delays everything else of its endpoint.
 */
@FunctionalInterface
public interface MessageHandler {

  /**
   * Called once per arriving message (a duplicated message arrives more than once).
   *
   * @param from the sender as claimed by the transport, untrusted
   * @param message the bytes as sent, at most {@link PeerNetwork#maxMessageBytes()} long, read-only
   */
  void onMessage(NodeId from, byte[] message);
}
