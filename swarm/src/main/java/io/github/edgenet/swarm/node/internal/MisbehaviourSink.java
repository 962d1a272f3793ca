package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.ledger.Offense;
import io.github.edgenet.swarm.node.TaskId;

/**
 * SEAM for economy's reputation and slashing: receives misbehaviour {@link Evidence} (signed
 * frames) on the node that found it, and an adjudicator's verdicts on the node that judged. The
 * default, {@link EvidenceLog}, only keeps the most recent records and counts them, and has nowhere
 * to slash; {@link LedgerSettlement} publishes the evidence on the replicated ledger and appends
 * verdicts as {@code Slash} operations.
 *
 * <p>Called on the node's network thread.
 */
public interface MisbehaviourSink {

  /** Records one piece of evidence. */
  void record(Evidence evidence);

  /**
   * This node, an adjudicator, found {@code offender} guilty of {@code offense}: sign the verdict
   * and slash. The default has no ledger and slashes nothing.
   *
   * @param offender the accused
   * @param offense the offense proven
   * @param evidence the 32-byte digest of what was proven (one slash per offender, offense and
   *     evidence on the ledger)
   * @return whether a slash was appended
   */
  default boolean slash(NodeId offender, Offense offense, byte[] evidence) {
    return false;
  }

  /**
   * This node, the submitter, paid {@code provider} for {@code task} and sent the result to the
   * adjudicators for an audit: should a slash with {@code evidence} appear, claw back the unvested
   * part of that reward. The default has no ledger and does nothing.
   *
   * @param task the task
   * @param provider the paid provider
   * @param evidence the 32-byte evidence digest a guilty verdict on that result carries
   */
  default void clawBackIfSlashed(TaskId task, NodeId provider, byte[] evidence) {}
}
