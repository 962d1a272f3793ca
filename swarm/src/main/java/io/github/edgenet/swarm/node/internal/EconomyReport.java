package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.ledger.ChainHead;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.WorkRecord;
import io.github.edgenet.swarm.node.EconomyMetrics;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Assembles the economy's part of a metrics snapshot: the submitter's auction and payment counters,
 * the adjudicator's verdicts, and what this node's copy of the replicated ledger says (slashes,
 * claw-backs, stake, vesting, reputation, equivocations); zeros where the node has no ledger or
 * does not adjudicate. The equivocation figures are recomputed when the ledger holds more
 * operations than at the last snapshot, and kept as they were once the node is closed. Confined
 * to the engine's lock.
 */
final class EconomyReport {
  private final NodeId self;
  private final boolean runsTasks;
  private final LedgerSettlement ledger;
  private int equivocationScanSize = -1;
  private List<NodeId> equivocators = List.of();
  /** Equivocation slashes, the stake they took, the compensation they paid. */
  private final long[] equivocation = new long[3];

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

  /**
   * @param closed whether the node is closed (its ledger may be: the last figures are kept)
   */
  EconomyMetrics snapshot(EconomyStats e, Adjudicator adjudicator, Collection<NodeId> providers,
      boolean closed) {
    if (ledger != null && !closed) {
      scanEquivocation(ledger.ledger());
    }
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
        vesting[1], vesting[2], reputation, equivocators, equivocation[0], equivocation[1],
        equivocation[2]);
  }

  /**
   * The equivocators and, from the fold's work records, their equivocation slashes: a slash record
   * of an equivocator that names one of its own operations (its last effective one; a verdict's
   * record names the adjudicator's slash operation instead). The compensation paid is summed over
   * every account.
   */
  private void scanEquivocation(Ledger l) {
    int size = l.size();
    if (size == equivocationScanSize) {
      return;
    }
    equivocationScanSize = size;
    equivocators = l.equivocators();
    Arrays.fill(equivocation, 0);
    if (equivocators.isEmpty()) {
      return;
    }
    Set<NodeId> accused = new HashSet<>(equivocators);
    for (WorkRecord w : l.workRecords()) {
      if (w.kind() == WorkRecord.Kind.SLASHED && accused.contains(w.worker())
          && l.operation(w.operation()).filter(op -> op.account().equals(w.worker()))
              .isPresent()) {
        equivocation[0]++;
        equivocation[1] += w.valueMicros();
      }
    }
    for (ChainHead h : l.heads()) {
      equivocation[2] += l.compensation(h.account());
    }
  }
}
