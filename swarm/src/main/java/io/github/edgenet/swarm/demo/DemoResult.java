package io.github.edgenet.swarm.demo;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.node.RejectionReason;
import io.github.edgenet.swarm.node.TaskFailedException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one demo run measured: per-second series (virtual time on the simulator, real time on
 * JGroups) and totals. {@code NaN} in a series means "nothing to measure that second".
 *
 * @param options the run's options
 * @param network what the nodes ran on, for the report
 * @param submitted tasks submitted per second
 * @param completed tasks completed per second
 * @param failed tasks failed per second
 * @param messages messages sent per second (every copy)
 * @param rejected messages rejected per second, over all nodes
 * @param latencyP50Millis median latency of the tasks completed in each second
 * @param latencyP99Millis 99th percentile of the same
 * @param latency every completed task's latency, nanoseconds
 * @param failures failed tasks by reason
 * @param rejections rejected messages by reason, over all nodes
 * @param executions executions over all nodes (primary and cross-check)
 * @param fromStore repeated awards answered from storage
 * @param misbehaviour misbehaviour evidence records over all submitters
 * @param wrongAccepted completed tasks whose accepted result was wrong (a Byzantine success)
 * @param crashes node crashes injected
 * @param partitionStartSecond when the partition began (or -1)
 * @param partitionEndSecond when it healed (or -1)
 * @param adapterHits adapter pool hits over all nodes
 * @param adapterMisses adapter pool misses over all nodes
 * @param hitRatePercent adapter pool hit rate of each second's lookups, percent
 * @param medianPrice median agreed price per task type and second, micro-units
 * @param movedMicros sum of the agreed prices of completed tasks
 * @param gossipMedian median relative error of the push-sum estimates, per second
 * @param gossipP90 90th percentile of the same
 * @param gossipMessages push-sum messages sent
 * @param gossipMean the true mean the nodes estimate (embed price, checksum price, rare share)
 * @param decisions the consensus decisions taken
 * @param rareProviders how many nodes run the rare type (the decision's options)
 * @param reputation each node's reputation at the end, as its own ledger copy computes it, or
 *     null when payments are off
 * @param slashes slashes on the most up-to-date ledger copy at the end of each second, or null
 *     when payments are off
 * @param ledger the ledger at the end, or null when payments are off
 * @param doubleSpends the Byzantine nodes' equivocations and what the honest nodes made of them,
 *     or null when no node equivocates (no ledger, JGroups mode, {@code --equivocators 0})
 * @param learning the learned type ({@link Classify}) at the end
 * @param traffic the network's message counters at the end
 * @param wallMillis real time the run took
 */
record DemoResult(
    DemoOptions options,
    String network,
    long[] submitted,
    long[] completed,
    long[] failed,
    long[] messages,
    long[] rejected,
    double[] latencyP50Millis,
    double[] latencyP99Millis,
    Histogram latency,
    Map<TaskFailedException.Reason, Long> failures,
    Map<RejectionReason, Long> rejections,
    long executions,
    long fromStore,
    long misbehaviour,
    long wrongAccepted,
    int crashes,
    int partitionStartSecond,
    int partitionEndSecond,
    long adapterHits,
    long adapterMisses,
    double[] hitRatePercent,
    Map<String, double[]> medianPrice,
    long movedMicros,
    double[] gossipMedian,
    double[] gossipP90,
    long gossipMessages,
    double[] gossipMean,
    List<Decisions.Epoch> decisions,
    int rareProviders,
    Reputation reputation,
    double[] slashes,
    Ledger ledger,
    DoubleSpends doubleSpends,
    Learning learning,
    Fabric.Traffic traffic,
    long wallMillis) {

  /**
   * The nodes' reputation scores at the end of the run.
   *
   * @param honest the honest nodes' scores
   * @param byzantine the Byzantine nodes' scores
   */
  record Reputation(List<Double> honest, List<Double> byzantine) {}

  /**
   * The replicated ledger at the end of the run, over the nodes that were up.
   *
   * @param genesisMicros what was minted at genesis, over all nodes
   * @param supplyMin the smallest supply plus slashed stake minus what the slashes of
   *     equivocators paid their receivers, over the up nodes (genesis when nothing is lost or
   *     made)
   * @param supplyMax the largest
   * @param agreeing up nodes whose state digest is the most common one
   * @param up nodes up at the end
   * @param distinctDigests distinct state digests among them
   * @param restartedBehind up nodes with another digest that crashed and restarted during the run
   *     (still catching up: anti-entropy repairs one layer of missing operations per second)
   * @param otherBehind up nodes with another state and other chains that never crashed:
   *     operations still in flight (providers claim vested rewards every few seconds, so
   *     the ledger is never quiet at one instant)
   * @param diverged up nodes that hold the same chains as the majority (equal heads digests) but
   *     compute another state: divergence (0 expected)
   * @param operations the most operations any node holds
   * @param refusals operations the honest nodes' settlements tried to append and their ledger
   *     refused (an equivocator's node refuses its own from the conflict on)
   * @param byzantineEarnedMicros what the Byzantine nodes hold beyond their genesis
   * @param auctions sealed auctions settled, over all submitters
   * @param audits accepted results sent to the adjudicators for re-execution
   * @param verdicts guilty verdicts the adjudicators signed
   * @param slashes slash operations on the most up-to-date node's ledger
   * @param slashedMicros stake they slashed, micro-units
   * @param clawBacks unvested rewards clawed back after a slash
   * @param vestingGrantedMicros task payments granted as vesting rewards, over all providers
   * @param vestingClaimedMicros what the providers claimed of them by the end
   */
  record Ledger(long genesisMicros, long supplyMin, long supplyMax, int agreeing, int up,
      int distinctDigests, int restartedBehind, int otherBehind, int diverged, long operations,
      long refusals,
      long byzantineEarnedMicros, long auctions, long audits, long verdicts, long slashes,
      long slashedMicros, long clawBacks, long vestingGrantedMicros, long vestingClaimedMicros) {}

  /**
   * The Byzantine nodes' equivocations on the ledger ({@link Equivocation}) and what the honest
   * nodes that are up at the end make of them.
   *
   * @param spends each equivocator's equivocation
   * @param amountMicros what the conflicting send pays
   * @param honestUp honest nodes up at the end
   * @param holdingAll of those, the nodes whose ledger holds every equivocator's proof
   * @param slashedAll of those, the nodes whose ledger slashed every equivocator
   * @param wronglyAccusing up nodes (Byzantine ones included) whose ledger lists an account that
   *     did not equivocate (0 expected)
   * @param slashedMinMicros the least stake the equivocation slashes took on one of those nodes
   * @param slashedMaxMicros the most (equal to the least when they agree)
   * @param compensatedMinMicros the least the slashes paid the receivers on one of those nodes
   * @param compensatedMaxMicros the most
   * @param proofHolders honest up nodes holding every proof, each second (NaN before the spends)
   * @param honestUpSeries honest nodes up, each second (NaN before the spends)
   */
  record DoubleSpends(List<Equivocation.Spend> spends, long amountMicros, int honestUp,
      int holdingAll, int slashedAll, int wronglyAccusing, long slashedMinMicros,
      long slashedMaxMicros, long compensatedMinMicros, long compensatedMaxMicros,
      double[] proofHolders, double[] honestUpSeries) {

    /** When the first equivocation was sent, in run seconds. */
    double atSeconds() {
      return spends.isEmpty() ? Double.NaN : spends.getFirst().atNanos() / 1e9;
    }

    /** One sentence for the summary and the report. */
    String describe() {
      if (spends.isEmpty()) {
        return "no equivocation (no equivocator appended an operation after the attack time)";
      }
      return String.format(Locale.ROOT, "%s a second operation for a place already used in "
              + "%s chain (a send of %,d micro-units to an honest node) from %.1f s and sent it to "
              + "one half of the nodes, the original to the other: %d of %d honest up nodes "
              + "hold every proof, %d slashed every equivocator (%s micro-units of stake) and "
              + "paid the receivers %s from it; %d nodes list an account that did not "
              + "equivocate", spends.size() == 1 ? "1 Byzantine node signed"
              : spends.size() + " Byzantine nodes each signed", spends.size() == 1 ? "its"
              : "their", amountMicros, atSeconds(), holdingAll, honestUp, slashedAll,
          range(slashedMinMicros, slashedMaxMicros),
          range(compensatedMinMicros, compensatedMaxMicros), wronglyAccusing);
    }

    private static String range(long min, long max) {
      return min == max ? String.format(Locale.ROOT, "%,d", min)
          : String.format(Locale.ROOT, "%,d..%,d", min, max);
    }
  }

  /**
   * The learned type at the end of the run.
   *
   * @param learners providers that learn it together
   * @param untrainedPercent percent of its tasks the head alone (no adapter) would answer right
   * @param accuracyPercent percent of its answers that were right over the last {@value
   *     DemoRun#ACCURACY_WINDOW_SECONDS} seconds, at each second (NaN where none)
   * @param firstPercent percent right over the workload's first seconds (up to 10)
   * @param lastPercent percent right over its last seconds (as many)
   * @param versions how many up learners are on each version of the shared adapter
   * @param roundsAggregated the most rounds any learner aggregated
   * @param trainedSamples training steps over all learners
   * @param rejectedShares peers' shares the learners dropped, by any reason
   */
  record Learning(int learners, double untrainedPercent, double[] accuracyPercent,
      double firstPercent, double lastPercent,
      Map<Long, Integer> versions, long roundsAggregated, long trainedSamples,
      long rejectedShares) {}

  /** A duration as seconds, e.g. {@code 60 s} or {@code 1.5 s}. */
  static String seconds(java.time.Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s"
        : String.format(Locale.ROOT, "%.3f s", d.toMillis() / 1000.0);
  }

  static long total(long[] series) {
    long s = 0;
    for (long v : series) {
      s += v;
    }
    return s;
  }

  double percentileMillis(double p) {
    return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(p) / 1e6;
  }

  double hitRateTotal() {
    return adapterHits + adapterMisses == 0 ? 0
        : 100.0 * adapterHits / (adapterHits + adapterMisses);
  }

  /** The last finite value of a series, or NaN. */
  static double last(double[] series) {
    for (int i = series.length - 1; i >= 0; i--) {
      if (Double.isFinite(series[i])) {
        return series[i];
      }
    }
    return Double.NaN;
  }

  /** A percentage for the summary, or "n/a" when nothing was measured (a short run). */
  private static String percent(double p) {
    return Double.isNaN(p) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", p);
  }

  static String shortId(NodeId id) {
    return id == null ? "none" : id.toHex().substring(0, 8);
  }

  String summary() {
    long sub = total(submitted);
    long done = total(completed);
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%nedgenet demo: %s; workload %s, seed %d%n", network,
        seconds(options.duration()), options.seed()));
    if (options.jgroups() == 0) {
      b.append(String.format(Locale.ROOT, "  faults     loss %.3f, %d Byzantine, partition %s, "
              + "%d crashes%n", options.loss(), options.byzantine(),
          options.partition() ? "on" : "off", crashes));
    } else {
      b.append(String.format(Locale.ROOT, "  faults     %d Byzantine (wrong results)%n",
          options.byzantine()));
    }
    b.append(String.format(Locale.ROOT, "  tasks      %d submitted, %d completed (%.1f%%), %d "
        + "failed%n", sub, done, sub == 0 ? 0 : 100.0 * done / sub, total(failed)));
    b.append(String.format(Locale.ROOT, "  latency    p50 %.1f ms, p99 %.1f ms, max %.1f ms%s%n",
        percentileMillis(50), percentileMillis(99),
        latency.getTotalCount() == 0 ? 0 : latency.getMaxValue() / 1e6,
        options.jgroups() == 0 ? " (virtual)" : ""));
    b.append("  failures   ");
    failures.forEach((r, n) -> {
      if (n > 0) {
        b.append(r).append('=').append(n).append(' ');
      }
    });
    b.append(String.format(Locale.ROOT, "%n  executions %d (%d answered from storage), "
        + "adapter hit rate %.1f%%%n", executions, fromStore, hitRateTotal()));
    b.append(String.format(Locale.ROOT, "  Byzantine  %d misbehaviour records, %d wrong results "
        + "accepted%n", misbehaviour, wrongAccepted));
    if (ledger != null) {
      b.append(String.format(Locale.ROOT, "  ledger     %d micro-units paid for completed tasks; "
              + "%d of %d up nodes hold the same state (%d restarted ones still catching up, %d "
              + "others with operations in flight, %d diverged), supply + slashed %s, "
              + "%d refused%n",
          movedMicros, ledger.agreeing(), ledger.up(), ledger.restartedBehind(),
          ledger.otherBehind(), ledger.diverged(),
          ledger.supplyMin() == ledger.supplyMax() && ledger.supplyMin() == ledger.genesisMicros()
              ? "= genesis" : ledger.supplyMin() + ".." + ledger.supplyMax(), ledger.refusals()));
      b.append(String.format(Locale.ROOT, "  economy    %d sealed auctions, %d audits, %d guilty "
              + "verdicts, %d slashes (%d micro-units of stake), %d rewards clawed back; vesting "
              + "%d micro-units granted, %d claimed; Byzantine nodes earned %d%n",
          ledger.auctions(), ledger.audits(), ledger.verdicts(), ledger.slashes(),
          ledger.slashedMicros(), ledger.clawBacks(), ledger.vestingGrantedMicros(),
          ledger.vestingClaimedMicros(), ledger.byzantineEarnedMicros()));
    }
    if (doubleSpends != null) {
      b.append(String.format(Locale.ROOT, "  equivocation %s%n", doubleSpends.describe()));
    }
    b.append(String.format(Locale.ROOT, "  learning   %s: %d providers learn one shared adapter; "
            + "answers right %s in the first seconds, %s in the last (untrained head: "
            + "%s); %d rounds, versions held %s, %d training steps, %d shares dropped%n",
        Classify.TYPE, learning.learners(), percent(learning.firstPercent()),
        percent(learning.lastPercent()), percent(learning.untrainedPercent()),
        learning.roundsAggregated(), learning.versions(), learning.trainedSamples(),
        learning.rejectedShares()));
    for (Decisions.Epoch e : decisions) {
      b.append(String.format(Locale.ROOT, "  consensus  %s: %s; the pooled observations rate %s "
              + "best (completed/awarded, by how many nodes: %s)%n", e.label(),
          e.roundsToAgreement() < 0 ? "no 95% agreement in " + e.agreeing().size()
              + " rounds (most on " + shortId(e.chosen()) + ")"
              : shortId(e.chosen()) + " in " + e.roundsToAgreement() + " rounds",
          e.chosen() != null && e.chosen().equals(e.pooledBest()) ? "it"
              : shortId(e.pooledBest()), String.join(", ", e.pooled())));
    }
    b.append(String.format(Locale.ROOT, "  gossip     push-sum error at the end: median %.2g, "
        + "p90 %.2g (%d messages)%n", last(gossipMedian), last(gossipP90), gossipMessages));
    b.append(String.format(Locale.ROOT, "  messages   %d sent, %d delivered", traffic.sent(),
        traffic.delivered()));
    if (traffic.lost() >= 0) {
      b.append(String.format(Locale.ROOT, ", %d lost, %d cut by the partition", traffic.lost(),
          traffic.partitioned()));
    }
    b.append(String.format(Locale.ROOT, "%n  rejected   "));
    rejections.forEach((r, n) -> {
      if (n > 0) {
        b.append(r).append('=').append(n).append(' ');
      }
    });
    b.append(String.format(Locale.ROOT, "%n  wall time  %.1f s%n", wallMillis / 1000.0));
    return b.toString();
  }
}
