package io.github.edgenet.swarm.demo;

import io.github.edgenet.core.net.sim.NetworkStats;
import io.github.edgenet.swarm.node.RejectionReason;
import io.github.edgenet.swarm.node.TaskFailedException;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one demo run measured: per-second series on virtual time and totals.
 *
 * @param options the run's options
 * @param submitted tasks submitted per virtual second
 * @param completed tasks completed per second
 * @param failed tasks failed per second
 * @param messages messages sent per second (simulator count, every copy)
 * @param rejected messages rejected per second, over all nodes
 * @param latencyP50Millis median latency of the tasks completed in each second (0 if none)
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
 * @param network the simulator's counters at the end
 * @param wallMillis real time the run took
 */
record DemoResult(
    DemoOptions options,
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
    NetworkStats network,
    long wallMillis) {

  /** A duration as seconds, e.g. {@code 60 s} or {@code 1.5 s}. */
  static String seconds(java.time.Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s"
        : String.format(Locale.ROOT, "%.3f s", d.toMillis() / 1000.0);
  }

  long total(long[] series) {
    long s = 0;
    for (long v : series) {
      s += v;
    }
    return s;
  }

  double percentileMillis(double p) {
    return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(p) / 1e6;
  }

  String summary() {
    long sub = total(submitted);
    long done = total(completed);
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%nedgenet demo: %d nodes, %s virtual, seed %d, "
            + "loss %.3f, %d Byzantine, partition %s, %d crashes%n", options.nodes(),
        seconds(options.duration()), options.seed(), options.loss(), options.byzantine(),
        options.partition() ? "on" : "off", crashes));
    b.append(String.format(Locale.ROOT, "  tasks      %d submitted, %d completed (%.1f%%), %d failed%n",
        sub, done, sub == 0 ? 0 : 100.0 * done / sub, total(failed)));
    b.append(String.format(Locale.ROOT, "  latency    p50 %.1f ms, p99 %.1f ms, max %.1f ms (virtual)%n",
        percentileMillis(50), percentileMillis(99),
        latency.getTotalCount() == 0 ? 0 : latency.getMaxValue() / 1e6));
    b.append("  failures   ");
    failures.forEach((r, n) -> {
      if (n > 0) {
        b.append(r).append('=').append(n).append(' ');
      }
    });
    b.append(String.format(Locale.ROOT, "%n  executions %d (%d answered from storage), "
        + "adapter hit rate %.1f%%%n", executions, fromStore,
        adapterHits + adapterMisses == 0 ? 0 : 100.0 * adapterHits / (adapterHits + adapterMisses)));
    b.append(String.format(Locale.ROOT, "  Byzantine  %d misbehaviour records, %d wrong results "
        + "accepted%n", misbehaviour, wrongAccepted));
    b.append(String.format(Locale.ROOT, "  messages   %d sent, %d delivered, %d lost, %d cut by the "
        + "partition%n", network.sent(), network.delivered(), network.lost(), network.partitioned()));
    b.append("  rejected   ");
    rejections.forEach((r, n) -> {
      if (n > 0) {
        b.append(r).append('=').append(n).append(' ');
      }
    });
    b.append(String.format(Locale.ROOT, "%n  wall time  %.1f s%n", wallMillis / 1000.0));
    return b.toString();
  }
}
