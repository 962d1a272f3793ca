package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.node.EconomyMetrics;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Assembles the economy's part of a metrics snapshot: the submitter's auction and payment counters,
 * the adjudicator's verdicts, and what this node's copy of the replicated ledger says (slashes,
 * claw-backs, stake, vesting, reputation); zeros where the node has no ledger or does not
 * adjudicate. Confined to the engine's lock.
 */
final class EconomyReport {
  private final NodeId self;
  private final boolean runsTasks;
  private final LedgerSettlement ledger;

  /**
   * @param self this node
   * @param runsTasks whether it has executors (its own reputation is then reported)
   * @param settlement the settlement seam (a ledger's, or one without figures)
   */
  EconomyReport(NodeId self, boolean runsTasks, Settlement settlement) {
    this.self = self;
    this.runsTasks = runsTasks;
    this.ledger = settlement instanceof LedgerSettlement l ? l : null;
  }

  EconomyMetrics snapshot(EconomyStats e, Adjudicator adjudicator, Collection<NodeId> providers) {
    long[] slashes = ledger == null ? new long[2] : ledger.slashStats();
    long[] vesting = ledger == null ? new long[3] : ledger.vesting();
    Map<NodeId, Double> reputation = new TreeMap<>();
    if (ledger != null) {
      for (NodeId p : providers) {
        reputation.put(p, ledger.reputation(p));
      }
      if (runsTasks) {
        reputation.put(self, ledger.reputation(self));
      }
    }
    boolean paid = e.paidCount > 0;
    return new EconomyMetrics(e.auctions, e.paidCount, e.paidMicros,
        e.lastPaidMicros, paid ? e.minPaidMicros : 0, e.maxPaidMicros, e.silentBidders,
        e.revealMismatches, adjudicator == null ? 0 : adjudicator.guilty,
        adjudicator == null ? 0 : adjudicator.dismissed, slashes[0], slashes[1], e.audits,
        ledger == null ? 0 : ledger.clawBacks(), ledger == null ? 0 : ledger.stake(), vesting[0],
        vesting[1], vesting[2], reputation);
  }
}
