package io.github.edgenet.swarm.demo;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.OutboundInterceptor;
import io.github.edgenet.swarm.node.EconomyConfig;
import io.github.edgenet.swarm.node.EconomyMetrics;
import io.github.edgenet.swarm.node.EdgeNode;
import io.github.edgenet.swarm.node.EdgeNodeConfig;
import io.github.edgenet.swarm.node.LearningConfig;
import io.github.edgenet.swarm.node.LearningMetrics;
import io.github.edgenet.swarm.node.LedgerStatus;
import io.github.edgenet.swarm.node.NodeMetrics;
import io.github.edgenet.swarm.node.RejectionReason;
import io.github.edgenet.swarm.node.Task;
import io.github.edgenet.swarm.node.TaskFailedException;
import io.github.edgenet.swarm.protocol.SwarmMessageTypes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One demo run: honest nodes that run three task types at their own prices, Byzantine nodes that
 * undercut them and return wrong results (and, on the simulator, forge envelopes), a workload of
 * tasks from random honest nodes, payments on the replicated ledger, a network-wide decision by
 * entropy consensus, push-sum gossip of a market statistic, and on the simulator crashes and a
 * partition that heals. On the simulator the run is deterministic for given options (apart from
 * the wall time).
 */
final class DemoRun {
  static final int DIM = 16;
  static final String EMBED = "embed";
  static final String CHECKSUM = "checksum";
  static final String RARE = "rare";
  /** What every node mints at genesis when payments run on the ledger: one token. */
  static final long GRANT = 1_000_000;
  private static final Duration DEADLINE = Duration.ofSeconds(5);
  /**
   * The learners' settings: a larger step and more replay than the defaults, since each of them
   * sees only a few dozen tasks in a minute.
   */
  private static final LearningConfig LEARNING = LearningConfig.builder().learningRate(0.5)
      .replay(8, 16).build();
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
  private final List<DemoNode> nodes = new ArrayList<>();
  private final List<DemoNode> honest = new ArrayList<>();
  private final List<NodeId> rareProviders = new ArrayList<>();
  private final Set<NodeId> adjudicators = new TreeSet<>();
  private final Set<NodeId> learners = new TreeSet<>();
  private final Classify classify;
  private final Map<NodeId, DemoNode> byId = new HashMap<>();
  private final int seconds;
  private final Recorder rec;
  private final long[] messages;
  private final long[] rejected;
  private final double[] hitRate;
  private final double[] slashes;
  private Decisions decisions;
  private GossipProbe gossip;
  private int crashes;
  private volatile boolean submitting = true;

  DemoRun(DemoOptions options) {
    this.o = options;
    this.random = RandomSource.seeded(options.seed());
    this.sim = options.jgroups() > 0 ? null : new SimFabric(options);
    this.fabric = sim != null ? sim : new LoopbackFabric(options.seed(), random.derive("fabric"));
    this.drain = Duration.ofSeconds(options.jgroups() > 0 ? 3 : 7);
    this.seconds = (int) ((options.duration().plus(drain).toMillis() + 999) / 1000);
    this.rec = new Recorder(seconds, fabric::now);
    this.classify = new Classify(DIM, random.derive("teacher"));
    this.messages = new long[seconds];
    this.rejected = new long[seconds];
    this.hitRate = new double[seconds];
    this.slashes = new double[seconds];
    Arrays.fill(hitRate, Double.NaN);
    Arrays.fill(slashes, Double.NaN);
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

  private int nodeCount() {
    return o.jgroups() > 0 ? o.jgroups() : o.nodes();
  }

  /** Who is Byzantine, what each honest node charges, who runs the rare type. */
  private record Plan(boolean[] byzantine, long[] embedPrice, long[] checksumPrice,
      long[] rarePrice) {}

  private Plan plan() {
    int n = nodeCount();
    boolean[] byz = new boolean[n];
    RandomSource pick = random.derive("byzantine");
    for (int chosen = 0; chosen < o.byzantine(); ) {
      int i = pick.nextInt(n);
      if (!byz[i]) {
        byz[i] = true;
        chosen++;
      }
    }
    long[] embed = new long[n];
    long[] check = new long[n];
    long[] rare = new long[n];
    RandomSource prices = random.derive("prices");
    int rareCount = 0;
    for (int i = 0; i < n; i++) {
      if (byz[i]) {
        embed[i] = 2;
        check[i] = 2;
        continue;
      }
      embed[i] = 10 + prices.nextInt(40);
      check[i] = 10 + prices.nextInt(40);
      if (prices.nextInt(100) < 3) {
        rare[i] = 80 + prices.nextInt(40);
        rareCount++;
      }
    }
    // Small networks (the JGroups mode) still get two providers of the rare type to decide on.
    for (int i = 0; i < n && rareCount < 2 && n - o.byzantine() >= 3; i++) {
      if (!byz[i] && rare[i] == 0) {
        rare[i] = 80 + prices.nextInt(40);
        rareCount++;
      }
    }
    return new Plan(byz, embed, check, rare);
  }

  private void buildNodes() throws IOException {
    EdgeNodeConfig config = EdgeNodeConfig.builder()
        .embeddingDimension(DIM)
        .crossCheckFraction(o.crossCheck())
        .build();
    Plan plan = plan();
    int n = nodeCount();
    List<NodeIdentity> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(NodeIdentity.generate(random.derive("identity").derive(i)));
    }
    Map<NodeId, Long> genesis = new TreeMap<>();
    EconomyConfig economy = EconomyConfig.defaults();
    if (o.ledger()) {
      ids.forEach(id -> genesis.put(id.id(), GRANT));
      // The first few honest nodes adjudicate: they re-execute accused results and slash liars.
      for (int i = 0; i < n && adjudicators.size() < ADJUDICATORS; i++) {
        if (!plan.byzantine()[i]) {
          adjudicators.add(ids.get(i).id());
        }
      }
      economy = EconomyConfig.builder().adjudicators(adjudicators).build();
    }
    // About 3% of the honest nodes (at least 3) learn the classify type together; not the
    // adjudicators: a learned type's answers depend on the version, so they cannot be re-executed.
    RandomSource pickLearners = random.derive("learners");
    int wantLearners = Math.max(3, (n - o.byzantine()) / 30);
    for (int tries = 0; learners.size() < wantLearners && tries < 100 * n; tries++) {
      int i = pickLearners.nextInt(n);
      if (!plan.byzantine()[i] && !adjudicators.contains(ids.get(i).id())) {
        learners.add(ids.get(i).id());
      }
    }
    for (int i = 0; i < n; i++) {
      NodeIdentity id = ids.get(i);
      boolean bad = plan.byzantine()[i];
      float[] statistic = {plan.embedPrice()[i], plan.checksumPrice()[i],
          plan.rarePrice()[i] > 0 ? 1 : 0};
      DemoNode dn = new DemoNode(i, id, bad, statistic, rec);
      EdgeNode.Builder b = EdgeNode.builder().network(fabric.endpoint(id)).identity(id)
          .clock(fabric.clock()).config(config).listener(dn)
          .verifier(CHECKSUM, (task, result) -> Arrays.equals(result, checksum(task.payload())))
          .verifier(EMBED, (task, result) -> result.length == 4 * DIM)
          .verifier(Classify.TYPE, Classify.verifier());
      if (sim == null) {
        b.random(random.derive("node").derive(i));
      }
      if (o.ledger()) {
        b.genesis(genesis).economy(economy);
      }
      if (bad) {
        RandomSource lies = random.derive("lies").derive(i);
        b.executor(EMBED, plan.embedPrice()[i], ctx -> {
          byte[] r = new byte[4 * DIM];
          synchronized (lies) {
            lies.nextBytes(r);
          }
          return r;
        });
        b.executor(CHECKSUM, plan.checksumPrice()[i], ctx -> {
          byte[] r = new byte[8];
          synchronized (lies) {
            lies.nextBytes(r);
          }
          return r;
        });
      } else {
        b.executor(EMBED, plan.embedPrice()[i], ctx -> floats(ctx.adapted()));
        b.executor(CHECKSUM, plan.checksumPrice()[i], ctx -> checksum(ctx.payload()));
        if (plan.rarePrice()[i] > 0) {
          b.executor(RARE, plan.rarePrice()[i], ctx -> checksum(ctx.payload()));
          rareProviders.add(id.id());
        }
      }
      if (learners.contains(id.id())) {
        b.executor(Classify.TYPE, 20 + plan.checksumPrice()[i] / 2, Classify.executor(),
            Classify.objective()).learning(LEARNING);
      } else {
        b.adaptive(Classify.TYPE); // answers depend on the shared adapter's version: no cross-check
      }
      EdgeNode node = b.build();
      dn.node = node;
      dn.consensusChannel = node.channel(SwarmMessageTypes.CONSENSUS_OPINION,
          SwarmMessageTypes.CONSENSUS_OPINION);
      dn.gossipChannel = node.channel(GossipProbe.ENVELOPE_TYPE, GossipProbe.ENVELOPE_TYPE);
      dn.poolChannel = node.channel(Decisions.POOL_TYPE, Decisions.POOL_TYPE);
      nodes.add(dn);
      byId.put(id.id(), dn);
      if (!bad) {
        honest.add(dn);
      }
    }
    fabric.formed();
    if (sim != null) {
      for (DemoNode dn : nodes) {
        if (dn.byzantine) {
          sim.sim.setInterceptor(dn.id(), forger(random.derive("forger").derive(dn.index)));
        }
      }
    }
    decisions = new Decisions(fabric, nodes, rareProviders, random.derive("consensus"));
    gossip = new GossipProbe(fabric, nodes, random.derive("gossip"), seconds);
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

  private void submitTick(RandomSource r, long intervalNanos) {
    if (!submitting) {
      return;
    }
    DemoNode submitter = honest.get(r.nextInt(honest.size()));
    if (fabric.isUp(submitter.id())) {
      int kind = r.nextInt(10);
      String type = kind < 4 ? EMBED : kind < 7 ? CHECKSUM : kind < 9 ? Classify.TYPE : RARE;
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
        embedding = new float[DIM];
        int cluster = r.nextInt(8); // eight kinds of task: their embeddings share adapters
        RandomSource c = random.derive("cluster").derive(cluster);
        for (int i = 0; i < DIM; i++) {
          embedding[i] = (float) (c.nextGaussian() + 0.05 * r.nextGaussian());
        }
      }
      int expectedClass = label;
      Task task = new Task(type, payload, embedding, type.equals(RARE) ? 100 : 60, DEADLINE);
      long start = fabric.now();
      rec.submitted();
      CompletableFuture<byte[]> f = submitter.node.submit(task);
      f.whenComplete((result, error) -> {
        if (error == null && expectedClass >= 0) {
          rec.completed(fabric.now() - start, true); // a learner's answer is graded, not wrong
          rec.classified(result.length == 1 && result[0] == expectedClass);
        } else if (error == null) {
          byte[] expected = type.equals(EMBED) ? floats(embedding) : checksum(payload);
          rec.completed(fabric.now() - start, Arrays.equals(expected, result));
        } else {
          Throwable t = error instanceof CompletionException ? error.getCause() : error;
          rec.failed(t instanceof TaskFailedException e ? e.reason() : null);
        }
      });
    }
    fabric.schedule(Duration.ofNanos(intervalNanos), () -> submitTick(r, intervalNanos));
  }

  private void scheduleFaults() {
    if (sim == null) {
      return;
    }
    long d = o.duration().toNanos();
    if (o.partition()) {
      List<NodeId> half = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i += 2) {
        half.add(nodes.get(i).id());
      }
      sim.schedule(Duration.ofNanos(d * 3 / 10), () -> sim.sim.partition(List.of(half)));
      sim.schedule(Duration.ofNanos(d / 2), sim.sim::heal);
    }
    RandomSource r = random.derive("crashes");
    int count = (int) Math.round(o.crashFraction() * honest.size());
    List<DemoNode> shuffled = new ArrayList<>(honest);
    shuffled.removeIf(dn -> adjudicators.contains(dn.id())); // the judges stay up
    for (int i = 0; i < count; i++) {
      int j = i + r.nextInt(shuffled.size() - i);
      DemoNode victim = shuffled.get(j);
      shuffled.set(j, shuffled.get(i));
      long at = d / 10 + (long) (r.nextDouble() * d * 7 / 10);
      long downFor = 2_000_000_000L + (long) (r.nextDouble() * 6_000_000_000L);
      NodeId id = victim.id();
      sim.schedule(Duration.ofNanos(at), () -> {
        if (sim.isUp(id)) {
          sim.sim.crash(id);
          crashes++;
          sim.schedule(Duration.ofNanos(downFor), () -> {
            sim.sim.restart(id);
            victim.restartedAt = sim.now();
            decisions.restarted(victim);
          });
        }
      });
    }
  }

  /** Per-second totals over every node's metrics. */
  private record Totals(long rejected, long hits, long misses, long slashes) {}

  private Totals totals() {
    long rej = 0;
    long hits = 0;
    long misses = 0;
    long sl = 0;
    for (DemoNode n : nodes) {
      NodeMetrics m = n.node.metrics();
      rej += m.rejectedTotal();
      hits += m.adapterHits();
      misses += m.adapterMisses();
      sl = Math.max(sl, m.economy().slashes()); // network-wide: the most up-to-date copy
    }
    return new Totals(rej, hits, misses, sl);
  }

  DemoResult run(ProgressBar bar) throws IOException {
    Clock wall = Clock.system(); // the demo's stopwatch, through the one real clock
    long wallStart = wall.nanos();
    try {
      buildNodes();
      return workload(bar, wall, wallStart);
    } finally {
      for (DemoNode n : nodes) {
        n.node.close();
      }
      fabric.close();
    }
  }

  private DemoResult workload(ProgressBar bar, Clock wall, long wallStart) {
    long base = fabric.now();
    scheduleFaults();
    long interval = (long) (1e9 / o.tasksPerSecond());
    fabric.schedule(Duration.ofSeconds(1), () -> submitTick(random.derive("workload"), interval));
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
        submitting = false;
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
    submitting = false;
    decisions.finishIfRunning();
    return result(wall, wallStart);
  }

  private DemoResult result(Clock wall, long wallStart) {
    Map<RejectionReason, Long> rejections = new EnumMap<>(RejectionReason.class);
    long executions = 0;
    long fromStore = 0;
    long misbehaviour = 0;
    long hits = 0;
    long misses = 0;
    List<Double> repHonest = new ArrayList<>();
    List<Double> repByzantine = new ArrayList<>();
    for (DemoNode n : nodes) {
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
    DemoResult.Ledger ledger = o.ledger() ? ledgerSummary() : null;
    DemoResult.Learning learning = learningSummary();
    Map<String, double[]> prices = new LinkedHashMap<>();
    for (String t : new String[] {EMBED, CHECKSUM, RARE, Classify.TYPE}) {
      prices.put(t, rec.medianPrice(t));
    }
    long d = o.duration().toMillis();
    boolean part = sim != null && o.partition();
    synchronized (rec) {
      return new DemoResult(o, fabric.describe(), rec.submitted.clone(), rec.completed.clone(),
          rec.failed.clone(), messages, rejected, rec.latencyPercentile(50),
          rec.latencyPercentile(99), rec.latency.copy(), new EnumMap<>(rec.failures), rejections,
          executions, fromStore, misbehaviour, rec.wrongAccepted, crashes,
          part ? (int) (d * 3 / 10000) : -1, part ? (int) (d / 2000) : -1, hits, misses, hitRate,
          prices, rec.movedMicros, gossip.median, gossip.p90, gossip.messages(), gossip.mean(),
          decisions.epochs(), decisions.options().size(),
          o.ledger() ? new DemoResult.Reputation(repHonest, repByzantine) : null,
          o.ledger() ? slashes : null, ledger, learning, fabric.traffic(),
          (wall.nanos() - wallStart) / 1_000_000);
    }
  }

  /** The learned type at the end: accuracy early and late in the workload, versions, rounds. */
  private DemoResult.Learning learningSummary() {
    Map<Long, Integer> versions = new TreeMap<>();
    long rounds = 0;
    long trained = 0;
    long rejectedShares = 0;
    for (DemoNode n : nodes) {
      if (!learners.contains(n.id()) || !fabric.isUp(n.id())) {
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
    return new DemoResult.Learning(learners.size(), rec.untrainedAccuracy(),
        rec.classifyAccuracy(ACCURACY_WINDOW_SECONDS),
        rec.classifyAccuracy(1, 1 + window), rec.classifyAccuracy(workload - window, workload + 1),
        versions, rounds, trained, rejectedShares);
  }

  private DemoResult.Ledger ledgerSummary() {
    Map<String, Integer> digests = new HashMap<>();
    Map<DemoNode, String> digestOf = new HashMap<>();
    Map<DemoNode, String> headsOf = new HashMap<>();
    long refusals = 0;
    long supplyMin = Long.MAX_VALUE;
    long supplyMax = Long.MIN_VALUE;
    long operations = 0;
    long byzantineEarned = 0;
    long[] econ = new long[8]; // auctions, audits, verdicts, slashes, slashed, clawBacks, granted, claimed
    int up = 0;
    for (DemoNode n : nodes) {
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
      refusals += s.refusals();
      if (!fabric.isUp(n.id())) {
        continue;
      }
      up++;
      digests.merge(s.stateDigestHex(), 1, Integer::sum);
      digestOf.put(n, s.stateDigestHex());
      headsOf.put(n, s.headsDigestHex());
      long accounted = s.supplyMicros() + m.slashedMicros(); // slashed stake leaves the supply
      supplyMin = Math.min(supplyMin, accounted);
      supplyMax = Math.max(supplyMax, accounted);
      operations = Math.max(operations, s.operations());
      if (n.byzantine) {
        byzantineEarned += s.balanceMicros() + s.escrowedMicros() - GRANT;
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
    return new DemoResult.Ledger((long) nodes.size() * GRANT, supplyMin, supplyMax,
        digests.getOrDefault(majority, 0), up, digests.size(), restartedBehind, otherBehind,
        diverged,
        operations, refusals, byzantineEarned, econ[0], econ[1], econ[2], econ[3], econ[4], econ[5], econ[6], econ[7]);
  }
}
