package io.github.edgenet.swarm.demo;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.node.NodeMetrics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * One demo run: honest nodes that run three task types at their own prices, Byzantine nodes that
 * undercut them and return wrong results (and, on the simulator, forge envelopes and equivocate
 * on the ledger), a workload of tasks from random honest nodes, payments on the replicated
 * ledger, a network-wide decision by entropy consensus, push-sum gossip of a market statistic,
 * and on the simulator crashes and a partition that heals. On the simulator the run is
 * deterministic for given options (apart from the wall time). Who is who: {@link Roster}; the
 * tasks: {@link Workload}; the faults: {@link Faults}; the end: {@link Summary}.
 */
final class DemoRun {
  static final int DIM = 16;
  static final String EMBED = "embed";
  static final String CHECKSUM = "checksum";
  static final String RARE = "rare";
  /** What every node mints at genesis when payments run on the ledger: one token. */
  static final long GRANT = 1_000_000;
  /** The learned type's accuracy is charted over this many seconds up to each second. */
  static final int ACCURACY_WINDOW_SECONDS = 10;
  /** Honest nodes that adjudicate accusations when payments run on the ledger. */
  static final int ADJUDICATORS = 3;
  /** After the workload: time for late results and replies (the simulator's faults need more). */
  private final Duration drain;

  private final DemoOptions o;
  private final RandomSource random;
  private final Fabric fabric;
  private final SimFabric sim;
  private final int seconds;
  private final Recorder rec;
  private final Roster roster;
  private final Faults faults;
  private final Workload workload;
  private final long[] messages;
  private final long[] rejected;
  private final double[] hitRate;
  private final double[] slashes;
  private final double[] proofHolders;
  private final double[] honestUp;
  private Decisions decisions;
  private GossipProbe gossip;

  DemoRun(DemoOptions options) {
    this.o = options;
    this.random = RandomSource.seeded(options.seed());
    this.sim = options.jgroups() > 0 ? null : new SimFabric(options);
    this.fabric = sim != null ? sim : new LoopbackFabric(options.seed(), random.derive("fabric"));
    this.drain = Duration.ofSeconds(options.jgroups() > 0 ? 3 : 7);
    this.seconds = (int) ((options.duration().plus(drain).toMillis() + 999) / 1000);
    this.rec = new Recorder(seconds, fabric::now);
    this.roster = new Roster(options, random, fabric, rec);
    this.faults = sim == null ? null : new Faults(options, sim, random, roster);
    this.workload = new Workload(fabric, random, roster, rec);
    this.messages = new long[seconds];
    this.rejected = new long[seconds];
    this.hitRate = new double[seconds];
    this.slashes = new double[seconds];
    this.proofHolders = new double[seconds];
    this.honestUp = new double[seconds];
    Arrays.fill(hitRate, Double.NaN);
    Arrays.fill(slashes, Double.NaN);
    Arrays.fill(proofHolders, Double.NaN);
    Arrays.fill(honestUp, Double.NaN);
  }

  static byte[] checksum(byte[] payload) {
    long h = 0xcbf29ce484222325L; // FNV-1a, 64 bits
    for (byte b : payload) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    return ByteBuffer.allocate(8).putLong(h).array();
  }

  static byte[] floats(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  private void buildNodes() throws IOException {
    roster.build();
    if (faults != null) {
      faults.installForgers();
    }
    decisions = new Decisions(fabric, roster.nodes, roster.rareProviders,
        random.derive("consensus"));
    gossip = new GossipProbe(fabric, roster.nodes, random.derive("gossip"), seconds);
  }

  /**
   * Per-second totals over every node's metrics; {@code proofHolders}: the honest nodes that are
   * up and hold every equivocation's proof so far (-1 before the first equivocation).
   */
  private record Totals(long rejected, long hits, long misses, long slashes, int honestUp,
      int proofHolders) {}

  private Totals totals() {
    long rej = 0;
    long hits = 0;
    long misses = 0;
    long sl = 0;
    int up = 0;
    int holders = 0;
    Equivocation eq = faults == null ? null : faults.equivocation();
    Set<NodeId> equivocators = eq == null ? Set.of() : eq.equivocators();
    for (DemoNode n : roster.nodes) {
      NodeMetrics m = n.node.metrics();
      rej += m.rejectedTotal();
      hits += m.adapterHits();
      misses += m.adapterMisses();
      sl = Math.max(sl, m.economy().slashes()); // network-wide: the most up-to-date copy
      if (!n.byzantine && fabric.isUp(n.id())) {
        up++;
        holders += m.economy().equivocators().containsAll(equivocators) ? 1 : 0;
      }
    }
    return new Totals(rej, hits, misses, sl, up, equivocators.isEmpty() ? -1 : holders);
  }

  DemoResult run(ProgressBar bar) throws IOException {
    Clock wall = Clock.system(); // the demo's stopwatch, through the one real clock
    long wallStart = wall.nanos();
    try {
      buildNodes();
      workload(bar);
      return new Summary(o, fabric, roster, rec).result(
          new Summary.Series(messages, rejected, hitRate, slashes, proofHolders, honestUp),
          gossip, decisions, faults, (wall.nanos() - wallStart) / 1_000_000);
    } finally {
      for (DemoNode n : roster.nodes) {
        n.node.close();
      }
      fabric.close();
    }
  }

  private void workload(ProgressBar bar) {
    long base = fabric.now();
    if (faults != null) {
      faults.schedule(decisions);
    }
    workload.start(Duration.ofSeconds(1), (long) (1e9 / o.tasksPerSecond()));
    gossip.start();
    long d = o.duration().toNanos();
    if (decisions.possible()) {
      // the first before the partition (30% of the run), the second once the workload ends
      fabric.schedule(Duration.ofNanos(d / 5), () -> decisions.start("after 20% of the run"));
      fabric.schedule(Duration.ofNanos(d), () -> decisions.start("end of the workload"));
    }
    Fabric.Traffic lastTraffic = fabric.traffic();
    Totals last = totals();
    long end = base + o.duration().plus(drain).toNanos();
    for (int s = 0; s < seconds; s++) {
      if (fabric.now() - base >= d) {
        workload.stop();
      }
      fabric.runUntil(Math.min(end, base + (s + 1) * 1_000_000_000L));
      Fabric.Traffic t = fabric.traffic();
      Totals now = totals();
      messages[s] = t.sent() - lastTraffic.sent();
      rejected[s] = now.rejected() - last.rejected();
      long lookups = now.hits() + now.misses() - last.hits() - last.misses();
      hitRate[s] = lookups == 0 ? Double.NaN
          : 100.0 * (now.hits() - last.hits()) / lookups;
      if (o.ledger()) {
        slashes[s] = now.slashes();
      }
      if (now.proofHolders() >= 0) {
        proofHolders[s] = now.proofHolders();
        honestUp[s] = now.honestUp();
      }
      gossip.sample(s);
      lastTraffic = t;
      last = now;
      long done;
      synchronized (rec) {
        done = rec.total(rec.completed);
      }
      bar.update((s + 1) / (double) seconds, String.format(Locale.ROOT,
          "t=%ds  %d tasks done  %d messages", s + 1, done, t.sent()));
    }
    workload.stop();
    decisions.finishIfRunning();
  }
}
