package io.github.edgenet.swarm.demo;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.swarm.node.Task;
import io.github.edgenet.swarm.node.TaskFailedException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The tasks of a demo run: at a steady rate, a random honest node that is up submits one task (40%
 * embed, 30% checksum, 20% classify, 10% rare), and its outcome is recorded: latency, whether the
 * accepted result is right (classify answers are graded against their label), or why it failed.
 */
final class Workload {
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  private final Fabric fabric;
  private final RandomSource random;
  private final Roster roster;
  private final Recorder rec;
  private final Classify classify;
  private volatile boolean submitting = true;

  Workload(Fabric fabric, RandomSource random, Roster roster, Recorder rec) {
    this.fabric = fabric;
    this.random = random;
    this.roster = roster;
    this.rec = rec;
    this.classify = new Classify(DemoRun.DIM, random.derive("teacher"));
  }

  /** Submits the first task after {@code delay}, then one every {@code intervalNanos}. */
  void start(Duration delay, long intervalNanos) {
    RandomSource r = random.derive("workload");
    fabric.schedule(delay, () -> submitTick(r, intervalNanos));
  }

  /** Submits no more tasks. */
  void stop() {
    submitting = false;
  }

  private void submitTick(RandomSource r, long intervalNanos) {
    if (!submitting) {
      return;
    }
    DemoNode submitter = roster.honest.get(r.nextInt(roster.honest.size()));
    if (fabric.isUp(submitter.id())) {
      submit(submitter, r);
    }
    fabric.schedule(Duration.ofNanos(intervalNanos), () -> submitTick(r, intervalNanos));
  }

  private void submit(DemoNode submitter, RandomSource r) {
    int kind = r.nextInt(10);
    String type = kind < 4 ? DemoRun.EMBED : kind < 7 ? DemoRun.CHECKSUM
        : kind < 9 ? Classify.TYPE : DemoRun.RARE;
    byte[] payload;
    float[] embedding;
    int label = -1;
    if (type.equals(Classify.TYPE)) {
      embedding = classify.embedding(r);
      label = classify.label(embedding);
      rec.untrained(Classify.predict(embedding) == label); // the head without any adapter
      payload = new byte[] {(byte) label}; // the supervised signal the providers learn from
    } else {
      payload = new byte[16 + r.nextInt(240)];
      r.nextBytes(payload);
      embedding = new float[DemoRun.DIM];
      int cluster = r.nextInt(8); // eight kinds of task: their embeddings share adapters
      RandomSource c = random.derive("cluster").derive(cluster);
      for (int i = 0; i < DemoRun.DIM; i++) {
        embedding[i] = (float) (c.nextGaussian() + 0.05 * r.nextGaussian());
      }
    }
    int expectedClass = label;
    Task task = new Task(type, payload, embedding, type.equals(DemoRun.RARE) ? 100 : 60,
        DEADLINE);
    long start = fabric.now();
    rec.submitted();
    CompletableFuture<byte[]> f = submitter.node.submit(task);
    f.whenComplete((result, error) -> {
      if (error == null && expectedClass >= 0) {
        rec.completed(fabric.now() - start, true); // a learner's answer is graded, not wrong
        rec.classified(result.length == 1 && result[0] == expectedClass);
      } else if (error == null) {
        byte[] expected = type.equals(DemoRun.EMBED) ? DemoRun.floats(embedding)
            : DemoRun.checksum(payload);
        rec.completed(fabric.now() - start, Arrays.equals(expected, result));
      } else {
        Throwable t = error instanceof CompletionException ? error.getCause() : error;
        rec.failed(t instanceof TaskFailedException e ? e.reason() : null);
      }
    });
  }
}
