package io.github.edgenet.swarm.node.internal;

/**
 * SEAM for economy's reputation and slashing: receives misbehaviour {@link Evidence} (signed
 * frames). The real module turns it into a slashing proof gossiped to every node and a reputation
 * update. The default, {@link EvidenceLog}, only keeps the most recent records and counts them.
 *
 * <p>Called on the submitting node's network thread.
 */
public interface MisbehaviourSink {

  /** Records one piece of evidence. */
  void record(Evidence evidence);
}
