package io.github.edgenet.swarm.demo;

import io.github.edgenet.swarm.node.TaskFailedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * The per-second series of a run, filled from the workload's futures and the nodes' listeners.
 * Thread-safe (one lock): on a real network they complete on the nodes' threads.
 */
final class Recorder {
  final int seconds;
  private final LongSupplier now;
  final long[] submitted;
  final long[] completed;
  final long[] failed;
  private final Histogram[] bucketLatency;
  final Histogram latency = new Histogram(3);
  final Map<TaskFailedException.Reason, Long> failures =
      new EnumMap<>(TaskFailedException.Reason.class);
  private final Map<String, List<List<Long>>> prices = new java.util.LinkedHashMap<>();
  /** Classify tasks completed and answered right, per second (the learned type). */
  final long[] classified;
  final long[] classifiedRight;
  private long untrained;
  private long untrainedRight;
  long wrongAccepted;
  long movedMicros;

  Recorder(int seconds, LongSupplier nowNanos) {
    this.seconds = seconds;
    this.now = nowNanos;
    this.submitted = new long[seconds];
    this.completed = new long[seconds];
    this.failed = new long[seconds];
    this.classified = new long[seconds];
    this.classifiedRight = new long[seconds];
    this.bucketLatency = new Histogram[seconds];
    for (int i = 0; i < seconds; i++) {
      bucketLatency[i] = new Histogram(3);
    }
    for (TaskFailedException.Reason r : TaskFailedException.Reason.values()) {
      failures.put(r, 0L);
    }
    for (String t : new String[] {DemoRun.EMBED, DemoRun.CHECKSUM, DemoRun.RARE, Classify.TYPE}) {
      List<List<Long>> perSecond = new ArrayList<>(seconds);
      for (int i = 0; i < seconds; i++) {
        perSecond.add(new ArrayList<>());
      }
      prices.put(t, perSecond);
    }
  }

  int bucket() {
    return (int) Math.max(0, Math.min(seconds - 1, now.getAsLong() / 1_000_000_000L));
  }

  synchronized void submitted() {
    submitted[bucket()]++;
  }

  synchronized void completed(long latencyNanos, boolean right) {
    int b = bucket();
    completed[b]++;
    latency.recordValue(Math.max(0, latencyNanos));
    bucketLatency[b].recordValue(Math.max(0, latencyNanos));
    if (!right) {
      wrongAccepted++;
    }
  }

  /** A completed task of the learned type: whether its class was the teacher's. */
  synchronized void classified(boolean right) {
    int b = bucket();
    classified[b]++;
    if (right) {
      classifiedRight[b]++;
    }
  }

  /** A submitted task of the learned type: whether the head alone (no adapter) would be right. */
  synchronized void untrained(boolean right) {
    untrained++;
    if (right) {
      untrainedRight++;
    }
  }

  /** Percent of the learned type's tasks the head alone would answer right (NaN if none). */
  synchronized double untrainedAccuracy() {
    return untrained == 0 ? Double.NaN : 100.0 * untrainedRight / untrained;
  }

  /**
   * Percent of the learned type's answers that were right over the {@code window} seconds ending
   * at each second (NaN where none completed): a few tasks a second are too few to read alone.
   */
  synchronized double[] classifyAccuracy(int window) {
    double[] out = new double[seconds];
    for (int s = 0; s < seconds; s++) {
      out[s] = classifyAccuracy(s - window + 1, s + 1);
    }
    return out;
  }

  /** Percent right over seconds {@code [from, to)}, or NaN if none completed there. */
  synchronized double classifyAccuracy(int from, int to) {
    long n = 0;
    long right = 0;
    for (int s = Math.max(0, from); s < Math.min(seconds, to); s++) {
      n += classified[s];
      right += classifiedRight[s];
    }
    return n == 0 ? Double.NaN : 100.0 * right / n;
  }

  synchronized void failed(TaskFailedException.Reason reason) {
    failed[bucket()]++;
    if (reason != null) {
      failures.merge(reason, 1L, Long::sum);
    }
  }

  /** The price a submitter agreed for a completed task of {@code type}. */
  synchronized void agreedPrice(String type, long micros) {
    List<List<Long>> p = type == null ? null : prices.get(type);
    if (p != null) {
      p.get(bucket()).add(micros);
    }
    movedMicros += micros;
  }

  synchronized double[] latencyPercentile(double p) {
    double[] out = new double[seconds];
    for (int s = 0; s < seconds; s++) {
      out[s] = bucketLatency[s].getTotalCount() == 0 ? Double.NaN
          : bucketLatency[s].getValueAtPercentile(p) / 1e6;
    }
    return out;
  }

  /** Median agreed price of {@code type} per second ({@code NaN} where none completed). */
  synchronized double[] medianPrice(String type) {
    double[] out = new double[seconds];
    List<List<Long>> p = prices.get(type);
    for (int s = 0; s < seconds; s++) {
      List<Long> v = p.get(s);
      if (v.isEmpty()) {
        out[s] = Double.NaN;
      } else {
        long[] a = v.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        out[s] = a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2.0;
      }
    }
    return out;
  }

  synchronized long total(long[] series) {
    long t = 0;
    for (long v : series) {
      t += v;
    }
    return t;
  }
}
