package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.swarm.node.LearningMetrics;
import io.github.edgenet.swarm.node.EconomyMetrics;
import io.github.edgenet.swarm.node.NodeMetrics;
import io.github.edgenet.swarm.node.RejectionReason;
import io.github.edgenet.swarm.node.TaskFailedException;
import io.github.edgenet.swarm.node.TaskState;
import java.util.EnumMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** A node's counters; guarded by the engine's lock (not thread-safe on its own). */
final class MetricsRecorder {
  private final Histogram latency = new Histogram(3); // auto-resizing, nanoseconds
  private final long[] states = new long[TaskState.values().length];
  private final long[] failures = new long[TaskFailedException.Reason.values().length];
  private final long[] rejected = new long[RejectionReason.values().length];
  long executions;
  long executionsFromStore;
  long messagesIn;
  long messagesOut;
  long bytesIn;
  long bytesOut;
  long misbehaviour;

  void in(int bytes) {
    messagesIn++;
    bytesIn += bytes;
  }

  void out(int bytes) {
    messagesOut++;
    bytesOut += bytes;
  }

  void reject(RejectionReason reason) {
    rejected[reason.ordinal()]++;
  }

  void enter(TaskState state) {
    states[state.ordinal()]++;
  }

  void leave(TaskState state) {
    states[state.ordinal()]--;
  }

  void failed(TaskFailedException.Reason reason) {
    failures[reason.ordinal()]++;
  }

  void latency(long nanos) {
    latency.recordValue(Math.max(0, nanos));
  }

  NodeMetrics snapshot(long adapterHits, long adapterMisses, int knownProviders,
      Map<String, Long> admittedByType, Map<String, Long> declinedByType,
      LearningMetrics learning, EconomyMetrics economy) {
    Map<TaskState, Long> s = new EnumMap<>(TaskState.class);
    for (TaskState t : TaskState.values()) {
      s.put(t, states[t.ordinal()]);
    }
    Map<TaskFailedException.Reason, Long> f = new EnumMap<>(TaskFailedException.Reason.class);
    for (TaskFailedException.Reason r : TaskFailedException.Reason.values()) {
      f.put(r, failures[r.ordinal()]);
    }
    Map<RejectionReason, Long> rj = new EnumMap<>(RejectionReason.class);
    for (RejectionReason r : RejectionReason.values()) {
      rj.put(r, rejected[r.ordinal()]);
    }
    boolean any = latency.getTotalCount() > 0;
    return new NodeMetrics(s, f, executions, executionsFromStore,
        any ? latency.getValueAtPercentile(50) : 0, any ? latency.getValueAtPercentile(99) : 0,
        any ? latency.getMaxValue() : 0, messagesIn, messagesOut, bytesIn, bytesOut, rj,
        misbehaviour, adapterHits, adapterMisses, knownProviders, admittedByType, declinedByType,
        learning, economy);
  }

  /** A copy of the latency histogram (for aggregating many nodes in a report). */
  Histogram latencyHistogram() {
    return latency.copy();
  }
}
