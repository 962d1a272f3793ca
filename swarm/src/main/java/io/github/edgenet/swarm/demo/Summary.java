package io.github.edgenet.swarm.demo;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.node.EconomyMetrics;
import io.github.edgenet.swarm.node.LearningMetrics;
import io.github.edgenet.swarm.node.LedgerStatus;
import io.github.edgenet.swarm.node.NodeMetrics;
import io.github.edgenet.swarm.node.RejectionReason;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The end of a demo run: every node's metrics and ledger copy folded into a {@link DemoResult}
 * (totals over the nodes, the learned type's progress, whether the ledger copies agree).
 */
final class Summary {
  /**
   * The per-second series sampled during the run; {@code proofHolders} and {@code honestUp} are
   * NaN before the first equivocation.
   */
  record Series(long[] messages, long[] rejected, double[] hitRate, double[] slashes,
      double[] proofHolders, double[] honestUp) {}

  private final DemoOptions o;
  private final Fabric fabric;
  private final Roster roster;
  private final Recorder rec;

  Summary(DemoOptions options, Fabric fabric, Roster roster, Recorder rec) {
    this.o = options;
    this.fabric = fabric;
    this.roster = roster;
    this.rec = rec;
  }

  DemoResult result(Series series, GossipProbe gossip, Decisions decisions, Faults faults,
      long wallMillis) {
    int crashes = faults == null ? 0 : faults.crashes();
    Equivocation eq = faults == null ? null : faults.equivocation();
    Map<RejectionReason, Long> rejections = new EnumMap<>(RejectionReason.class);
    long executions = 0;
    long fromStore = 0;
    long misbehaviour = 0;
    long hits = 0;
    long misses = 0;
    List<Double> repHonest = new ArrayList<>();
    List<Double> repByzantine = new ArrayList<>();
    for (DemoNode n : roster.nodes) {
      NodeMetrics m = n.node.metrics();
      m.rejectedByReason().forEach((r, v) -> rejections.merge(r, v, Long::sum));
      executions += m.executions();
      fromStore += m.executionsFromStore();
      misbehaviour += m.misbehaviourRecords();
      hits += m.adapterHits();
      misses += m.adapterMisses();
      Double own = m.economy().reputation().get(n.id());
      if (o.ledger() && own != null) {
        (n.byzantine ? repByzantine : repHonest).add(own);
      }
    }
    DemoResult.Ledger ledger = o.ledger() ? ledger() : null;
    DemoResult.DoubleSpends doubleSpends = eq == null ? null : doubleSpends(eq, series);
    DemoResult.Learning learning = learning();
    Map<String, double[]> prices = new LinkedHashMap<>();
    for (String t : new String[] {DemoRun.EMBED, DemoRun.CHECKSUM, DemoRun.RARE, Classify.TYPE}) {
      prices.put(t, rec.medianPrice(t));
    }
    long d = o.duration().toMillis();
    boolean part = fabric instanceof SimFabric && o.partition();
    synchronized (rec) {
      return new DemoResult(o, fabric.describe(), rec.submitted.clone(), rec.completed.clone(),
          rec.failed.clone(), series.messages(), series.rejected(), rec.latencyPercentile(50),
          rec.latencyPercentile(99), rec.latency.copy(), new EnumMap<>(rec.failures), rejections,
          executions, fromStore, misbehaviour, rec.wrongAccepted, crashes,
          part ? (int) (d * 3 / 10000) : -1, part ? (int) (d / 2000) : -1, hits, misses,
          series.hitRate(), prices, rec.movedMicros, gossip.median, gossip.p90,
          gossip.messages(), gossip.mean(), decisions.epochs(), decisions.options().size(),
          o.ledger() ? new DemoResult.Reputation(repHonest, repByzantine) : null,
          o.ledger() ? series.slashes() : null, ledger, doubleSpends, learning, fabric.traffic(),
          wallMillis);
    }
  }

  /**
   * What the honest nodes that are up at the end make of the equivocations: whether each holds
   * every proof (and accuses no one else), whether its fold slashed every equivocator, and what
   * the slashes took and paid (the same on every node that holds the proofs).
   */
  private DemoResult.DoubleSpends doubleSpends(Equivocation eq, Series series) {
    Set<NodeId> equivocators = eq.equivocators();
    int up = 0;
    int holding = 0;
    int slashed = 0;
    int wrong = 0;
    long[] slashedMicros = {Long.MAX_VALUE, Long.MIN_VALUE};
    long[] compensated = {Long.MAX_VALUE, Long.MIN_VALUE};
    for (DemoNode n : roster.nodes) {
      if (!fabric.isUp(n.id())) {
        continue;
      }
      EconomyMetrics m = n.node.metrics().economy();
      if (!equivocators.containsAll(m.equivocators())) {
        wrong++; // an account that did not equivocate is listed
      }
      if (n.byzantine) {
        continue;
      }
      up++;
      holding += m.equivocators().containsAll(equivocators) ? 1 : 0;
      slashed += m.equivocationSlashes() == equivocators.size() ? 1 : 0;
      slashedMicros[0] = Math.min(slashedMicros[0], m.equivocationSlashedMicros());
      slashedMicros[1] = Math.max(slashedMicros[1], m.equivocationSlashedMicros());
      compensated[0] = Math.min(compensated[0], m.compensatedMicros());
      compensated[1] = Math.max(compensated[1], m.compensatedMicros());
    }
    if (up == 0) {
      slashedMicros = new long[2];
      compensated = new long[2];
    }
    return new DemoResult.DoubleSpends(eq.spends(), Equivocation.AMOUNT, up, holding, slashed,
        wrong, slashedMicros[0], slashedMicros[1], compensated[0], compensated[1],
        series.proofHolders(), series.honestUp());
  }

  /** The learned type at the end: accuracy early and late in the workload, versions, rounds. */
  private DemoResult.Learning learning() {
    Map<Long, Integer> versions = new TreeMap<>();
    long rounds = 0;
    long trained = 0;
    long rejectedShares = 0;
    for (DemoNode n : roster.nodes) {
      if (!roster.learners.contains(n.id()) || !fabric.isUp(n.id())) {
        continue;
      }
      LearningMetrics m = n.node.metrics().learning();
      versions.merge(m.versionByType().getOrDefault(Classify.TYPE, 0L), 1, Integer::sum);
      rounds = Math.max(rounds, m.roundsAggregated());
      trained += m.trainedSamples();
      rejectedShares += m.rejectedByReason().values().stream().mapToLong(Long::longValue).sum();
    }
    int workload = (int) o.duration().toSeconds();
    int window = Math.max(1, Math.min(10, workload / 3));
    return new DemoResult.Learning(roster.learners.size(), rec.untrainedAccuracy(),
        rec.classifyAccuracy(DemoRun.ACCURACY_WINDOW_SECONDS),
        rec.classifyAccuracy(1, 1 + window), rec.classifyAccuracy(workload - window, workload + 1),
        versions, rounds, trained, rejectedShares);
  }

  /**
   * The ledger copies at the end: totals of the economy's counters, and whether the up nodes agree
   * (the majority's state digest; the others behind, or diverged if they hold the same chains).
   */
  private DemoResult.Ledger ledger() {
    Map<String, Integer> digests = new HashMap<>();
    Map<DemoNode, String> digestOf = new HashMap<>();
    Map<DemoNode, String> headsOf = new HashMap<>();
    long refusals = 0;
    long supplyMin = Long.MAX_VALUE;
    long supplyMax = Long.MIN_VALUE;
    long operations = 0;
    long byzantineEarned = 0;
    // auctions, audits, verdicts, slashes, slashed, clawBacks, granted, claimed
    long[] econ = new long[8];
    int up = 0;
    for (DemoNode n : roster.nodes) {
      EconomyMetrics m = n.node.metrics().economy();
      econ[0] += m.auctions();
      econ[1] += m.audits();
      econ[2] += m.verdicts();
      if (m.slashes() > econ[3]) {
        econ[3] = m.slashes();
        econ[4] = m.slashedMicros();
      }
      econ[5] += m.clawBacks();
      econ[6] += m.vestingGrantedMicros();
      econ[7] += m.vestingClaimedMicros();
      LedgerStatus s = n.node.ledgerStatus().orElseThrow();
      if (!n.byzantine) {
        refusals += s.refusals(); // an equivocator's node cannot append to its void chain
      }
      if (!fabric.isUp(n.id())) {
        continue;
      }
      up++;
      digests.merge(s.stateDigestHex(), 1, Integer::sum);
      digestOf.put(n, s.stateDigestHex());
      headsOf.put(n, s.headsDigestHex());
      // Slashed stake leaves the supply, except what an equivocator's slash paid its receivers.
      long accounted = s.supplyMicros() + m.slashedMicros() - m.compensatedMicros();
      supplyMin = Math.min(supplyMin, accounted);
      supplyMax = Math.max(supplyMax, accounted);
      operations = Math.max(operations, s.operations());
      if (n.byzantine) {
        byzantineEarned += s.balanceMicros() + s.escrowedMicros() - DemoRun.GRANT;
      }
    }
    String majority = digests.entrySet().stream().max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey).orElse("");
    String majorityHeads = null;
    for (Map.Entry<DemoNode, String> e : digestOf.entrySet()) {
      if (e.getValue().equals(majority)) {
        majorityHeads = headsOf.get(e.getKey());
      }
    }
    int restartedBehind = 0;
    int otherBehind = 0;
    int diverged = 0;
    for (Map.Entry<DemoNode, String> e : digestOf.entrySet()) {
      if (!e.getValue().equals(majority)) {
        if (headsOf.get(e.getKey()).equals(majorityHeads)) {
          diverged++; // the same chains as the majority but another state
        } else if (e.getKey().restartedAt >= 0) {
          restartedBehind++;
        } else {
          otherBehind++; // operations in flight: vesting claims and slashes never stop at once
        }
      }
    }
    return new DemoResult.Ledger((long) roster.nodes.size() * DemoRun.GRANT, supplyMin,
        supplyMax, digests.getOrDefault(majority, 0), up, digests.size(), restartedBehind,
        otherBehind, diverged, operations, refusals, byzantineEarned, econ[0], econ[1], econ[2],
        econ[3], econ[4], econ[5], econ[6], econ[7]);
  }
}
