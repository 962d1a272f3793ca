package io.github.edgenet.swarm.demo;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.LatencyModel;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.OutboundInterceptor;
import io.github.edgenet.swarm.node.EdgeNode;
import io.github.edgenet.swarm.node.EdgeNodeConfig;
import io.github.edgenet.swarm.node.NodeMetrics;
import io.github.edgenet.swarm.node.RejectionReason;
import io.github.edgenet.swarm.node.Task;
import io.github.edgenet.swarm.node.TaskFailedException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;

/**
 * One demo run on the simulator: honest nodes that run three task types at their own fixed prices,
 * Byzantine nodes that undercut them, return wrong results and forge envelopes, a workload of
 * tasks from random honest nodes, crashes, a partition that heals. Deterministic for given
 * options (apart from the wall time).
 */
final class DemoRun {
  static final int DIM = 16;
  static final String EMBED = "embed";
  static final String CHECKSUM = "checksum";
  static final String RARE = "rare";
  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private static final Duration DRAIN = Duration.ofSeconds(7);

  private final DemoOptions o;
  private final RandomSource random;
  private final NetworkSimulator sim;
  private final List<EdgeNode> nodes = new ArrayList<>();
  private final List<EdgeNode> honest = new ArrayList<>();
  private final List<NodeId> byzantine = new ArrayList<>();
  private final int seconds;
  private final long[] submitted;
  private final long[] completed;
  private final long[] failed;
  private final long[] messages;
  private final long[] rejected;
  private final Histogram[] bucketLatency;
  private final Histogram latency = new Histogram(3);
  private final Map<TaskFailedException.Reason, Long> failures =
      new EnumMap<>(TaskFailedException.Reason.class);
  private long wrongAccepted;
  private int crashes;
  private boolean submitting = true;

  DemoRun(DemoOptions options) {
    this.o = options;
    this.random = RandomSource.seeded(options.seed());
    this.sim = NetworkSimulator.builder()
        .seed(options.seed())
        .latency(LatencyModel.logNormal(Duration.ofMillis(20), 0.5))
        .loss(options.loss())
        .duplication(options.duplication())
        .failureDetectionDelay(Duration.ofMillis(500))
        .build();
    this.seconds = (int) ((options.duration().plus(DRAIN).toMillis() + 999) / 1000);
    this.submitted = new long[seconds];
    this.completed = new long[seconds];
    this.failed = new long[seconds];
    this.messages = new long[seconds];
    this.rejected = new long[seconds];
    this.bucketLatency = new Histogram[seconds];
    for (int i = 0; i < seconds; i++) {
      bucketLatency[i] = new Histogram(3);
    }
    for (TaskFailedException.Reason r : TaskFailedException.Reason.values()) {
      failures.put(r, 0L);
    }
  }

  private static byte[] checksum(byte[] payload) {
    long h = 0xcbf29ce484222325L; // FNV-1a, 64 bits
    for (byte b : payload) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    return ByteBuffer.allocate(8).putLong(h).array();
  }

  private static byte[] floats(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  private void buildNodes() {
    EdgeNodeConfig config = EdgeNodeConfig.builder()
        .embeddingDimension(DIM)
        .crossCheckFraction(o.crossCheck())
        .build();
    List<Integer> byzIndices = new ArrayList<>();
    RandomSource pick = random.derive("byzantine");
    while (byzIndices.size() < o.byzantine()) {
      int i = pick.nextInt(o.nodes());
      if (!byzIndices.contains(i)) {
        byzIndices.add(i);
      }
    }
    RandomSource prices = random.derive("prices");
    for (int i = 0; i < o.nodes(); i++) {
      NodeIdentity id = NodeIdentity.generate(random.derive("identity").derive(i));
      EdgeNode.Builder b = EdgeNode.builder().simulator(sim).identity(id).config(config)
          .verifier(CHECKSUM, (task, result) -> Arrays.equals(result, checksum(task.payload())))
          .verifier(EMBED, (task, result) -> result.length == 4 * DIM);
      boolean bad = byzIndices.contains(i);
      if (bad) {
        RandomSource lies = random.derive("lies").derive(i);
        b.executor(EMBED, 2, ctx -> {
          byte[] r = new byte[4 * DIM];
          lies.nextBytes(r);
          return r;
        });
        b.executor(CHECKSUM, 2, ctx -> {
          byte[] r = new byte[8];
          lies.nextBytes(r);
          return r;
        });
      } else {
        b.executor(EMBED, 10 + prices.nextInt(40), ctx -> floats(ctx.adapted()));
        b.executor(CHECKSUM, 10 + prices.nextInt(40), ctx -> checksum(ctx.payload()));
        if (prices.nextInt(100) < 3) {
          b.executor(RARE, 80 + prices.nextInt(40), ctx -> checksum(ctx.payload()));
        }
      }
      EdgeNode node = b.build();
      nodes.add(node);
      if (bad) {
        byzantine.add(node.id());
        sim.setInterceptor(node.id(), forger(random.derive("forger").derive(i)));
      } else {
        honest.add(node);
      }
    }
  }

  /**
   * A Byzantine node's outbound traffic: some frames tampered with (the signature breaks), some
   * replayed, some garbage spoofed as coming from another node.
   */
  private OutboundInterceptor forger(RandomSource r) {
    byte[][] last = new byte[1][];
    return (to, message, out) -> {
      double u = r.nextDouble();
      if (u < 0.15) {
        byte[] tampered = message.clone();
        tampered[58 + r.nextInt(tampered.length - 122 + 1)] ^= (byte) (1 + r.nextInt(255));
        out.send(to, tampered);
      } else if (u < 0.20 && last[0] != null) {
        out.send(to, message);
        out.send(to, last[0]); // an old frame again
      } else if (u < 0.25) {
        out.send(to, message);
        byte[] garbage = new byte[64 + r.nextInt(64)];
        r.nextBytes(garbage);
        NodeId victim = honest.get(r.nextInt(honest.size())).id();
        out.sendAs(victim, to, garbage);
      } else {
        out.send(to, message);
      }
      last[0] = message;
    };
  }

  private int bucket() {
    return (int) Math.min(seconds - 1, sim.now() / 1_000_000_000L);
  }

  private void submitTick(RandomSource r, long intervalNanos) {
    if (!submitting) {
      return;
    }
    EdgeNode submitter = honest.get(r.nextInt(honest.size()));
    if (sim.isUp(submitter.id())) {
      int kind = r.nextInt(10);
      String type = kind < 5 ? EMBED : kind < 9 ? CHECKSUM : RARE;
      byte[] payload = new byte[16 + r.nextInt(240)];
      r.nextBytes(payload);
      float[] embedding = new float[DIM];
      int cluster = r.nextInt(8); // eight kinds of task: their embeddings share adapters
      RandomSource c = random.derive("cluster").derive(cluster);
      for (int i = 0; i < DIM; i++) {
        embedding[i] = (float) (c.nextGaussian() + 0.05 * r.nextGaussian());
      }
      Task task = new Task(type, payload, embedding, type.equals(RARE) ? 100 : 60, DEADLINE);
      long start = sim.now();
      submitted[bucket()]++;
      CompletableFuture<byte[]> f = submitter.submit(task);
      f.whenComplete((result, error) -> {
        int b = bucket();
        if (error == null) {
          completed[b]++;
          long l = sim.now() - start;
          latency.recordValue(l);
          bucketLatency[b].recordValue(l);
          byte[] expected = type.equals(EMBED) ? floats(embedding) : checksum(payload);
          if (!Arrays.equals(expected, result)) {
            wrongAccepted++;
          }
        } else {
          failed[b]++;
          Throwable t = error instanceof java.util.concurrent.CompletionException ? error.getCause()
              : error;
          if (t instanceof TaskFailedException e) {
            failures.merge(e.reason(), 1L, Long::sum);
          }
        }
      });
    }
    sim.schedule(Duration.ofNanos(intervalNanos), () -> submitTick(r, intervalNanos));
  }

  private void scheduleFaults() {
    long d = o.duration().toNanos();
    if (o.partition()) {
      List<NodeId> half = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i += 2) {
        half.add(nodes.get(i).id());
      }
      sim.schedule(Duration.ofNanos(d * 3 / 10), () -> sim.partition(List.of(half)));
      sim.schedule(Duration.ofNanos(d / 2), sim::heal);
    }
    RandomSource r = random.derive("crashes");
    int count = (int) Math.round(o.crashFraction() * honest.size());
    List<EdgeNode> shuffled = new ArrayList<>(honest);
    for (int i = 0; i < count; i++) {
      int j = i + r.nextInt(shuffled.size() - i);
      EdgeNode victim = shuffled.get(j);
      shuffled.set(j, shuffled.get(i));
      long at = d / 10 + (long) (r.nextDouble() * d * 7 / 10);
      long downFor = 2_000_000_000L + (long) (r.nextDouble() * 6_000_000_000L);
      NodeId id = victim.id();
      sim.schedule(Duration.ofNanos(at), () -> {
        if (sim.isUp(id)) {
          sim.crash(id);
          crashes++;
          sim.schedule(Duration.ofNanos(downFor), () -> sim.restart(id));
        }
      });
    }
  }

  private long totalRejected() {
    long t = 0;
    for (EdgeNode n : nodes) {
      t += n.metrics().rejectedTotal();
    }
    return t;
  }

  DemoResult run(ProgressBar bar) {
    Clock wall = Clock.system(); // the demo's stopwatch, through the one real clock
    long wallStart = wall.nanos();
    buildNodes();
    scheduleFaults();
    long interval = (long) (1e9 / o.tasksPerSecond());
    sim.schedule(Duration.ofSeconds(1), () -> submitTick(random.derive("workload"), interval));
    long lastSent = 0;
    long lastRejected = 0;
    long end = o.duration().plus(DRAIN).toNanos();
    for (int s = 0; s < seconds; s++) {
      if (sim.now() >= o.duration().toNanos()) {
        submitting = false;
      }
      sim.runUntil(Math.min(end, (s + 1) * 1_000_000_000L));
      long sent = sim.stats().sent();
      long rej = totalRejected();
      messages[s] = sent - lastSent;
      rejected[s] = rej - lastRejected;
      lastSent = sent;
      lastRejected = rej;
      long done = Arrays.stream(completed).sum();
      bar.update((s + 1) / (double) seconds, String.format(Locale.ROOT,
          "t=%ds  %d tasks done  %d messages", s + 1, done, sent));
    }
    double[] p50 = new double[seconds];
    double[] p99 = new double[seconds];
    for (int s = 0; s < seconds; s++) {
      if (bucketLatency[s].getTotalCount() > 0) {
        p50[s] = bucketLatency[s].getValueAtPercentile(50) / 1e6;
        p99[s] = bucketLatency[s].getValueAtPercentile(99) / 1e6;
      }
    }
    Map<RejectionReason, Long> rejections = new EnumMap<>(RejectionReason.class);
    long executions = 0;
    long fromStore = 0;
    long misbehaviour = 0;
    long hits = 0;
    long misses = 0;
    for (EdgeNode n : nodes) {
      NodeMetrics m = n.metrics();
      m.rejectedByReason().forEach((r, v) -> rejections.merge(r, v, Long::sum));
      executions += m.executions();
      fromStore += m.executionsFromStore();
      misbehaviour += m.misbehaviourRecords();
      hits += m.adapterHits();
      misses += m.adapterMisses();
    }
    long d = o.duration().toMillis();
    DemoResult result = new DemoResult(o, submitted, completed, failed, messages, rejected, p50,
        p99, latency, failures, rejections, executions, fromStore, misbehaviour, wrongAccepted,
        crashes, o.partition() ? (int) (d * 3 / 10000) : -1, o.partition() ? (int) (d / 2000) : -1,
        hits, misses, sim.stats(), (wall.nanos() - wallStart) / 1_000_000);
    for (EdgeNode n : nodes) {
      n.close();
    }
    return result;
  }
}
