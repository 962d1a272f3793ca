package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.envelope.Envelope;
import io.github.edgenet.swarm.protocol.SwarmProtocolException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * State a node shares with its peers by gossip and merges from theirs: the swarm's allocation
 * statistics, pheromone trails and collective-memory patterns. The engine gossips {@link
 * #ownPayloads()} on its sharing timer, each sealed in a signed envelope of {@link #messageType()},
 * and hands every verified envelope of that type to {@link #merge}.
 *
 * <p>Implementations merge as CRDTs (merging a payload twice, or in another order, gives the same
 * state) and reject malformed payloads with {@link SwarmProtocolException} without changing state.
 * Called on the node's network thread.
 */
public interface SharedState {

  /** The envelope type of this state's payloads; distinct from the task protocol's types. */
  int messageType();

  /**
   * This node's own contribution, as payloads that fit one message each.
   *
   * @return the payloads, possibly empty
   */
  List<byte[]> ownPayloads();

  /**
   * Merges a peer's payload.
   *
   * @param envelope a verified envelope of {@link #messageType()}
   * @return how many entries changed
   * @throws SwarmProtocolException if the payload is malformed or out of bounds (nothing changed)
   */
  int merge(Envelope envelope) throws SwarmProtocolException;

  /**
   * Restores this node's own contribution from a payload {@link #ownPayloads()} returned before a
   * restart (the engine keeps the last ones in its store): an origin's registers only grow, so a
   * node that started again from nothing would be ignored by its peers until it caught up.
   *
   * @param payload one of the stored payloads
   * @throws SwarmProtocolException if the payload is malformed (nothing changed)
   */
  void restoreOwn(ByteBuffer payload) throws SwarmProtocolException;
}
