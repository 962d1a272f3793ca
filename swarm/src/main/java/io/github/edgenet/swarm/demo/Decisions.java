package io.github.edgenet.swarm.demo;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.EnvelopeDecoder;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.consensus.ConsensusConfig;
import io.github.edgenet.swarm.consensus.EntropyConsensus;
import java.time.Duration;
import io.github.edgenet.learning.gossip.GossipAverager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A network-wide decision the demo's nodes take: which provider of the rare task type the network
 * recommends as the most reliable. The options are the rare type's providers in node-id order.
 * Each node has observed only the rare tasks it submitted itself (awarded to a provider, completed
 * by it), mostly none, so a decision takes two phases, both over the nodes' endpoints ({@link
 * io.github.edgenet.swarm.node.EdgeNode#channel}) in signed envelopes:
 *
 * <ol>
 *   <li><b>Pooling</b> ({@value #POOL_ROUNDS} rounds of 100 ms): learning's {@link GossipAverager}
 *       push-sum averages every node's counts (completed and awarded per provider), so each node
 *       estimates the network's totals (mean times the size of its view);
 *   <li><b>Consensus</b>: swarm's {@link EntropyConsensus}, each honest node weighing the options
 *       by quality = the posterior mean success rate {@code (1 + completed) / (2 + awarded)} of its
 *       pooled estimate (0.5 for a provider nobody used) and starting from {@code p ∝
 *       quality^8}. The Byzantine nodes push the provider the pooled observations rate worst,
 *       with certainty 1 (zealots); in the pooling phase they report their own counts honestly.
 * </ol>
 *
 * <p>The consensus ends when 95% of the honest nodes that are up have decided on one option (then a
 * few more rounds), or after {@link #MAX_ROUNDS}; the run samples every node each round. The
 * report compares the outcome with the provider the exact pooled counts rate best.
 */
final class Decisions {
  static final int MAX_ROUNDS = 60;
  private static final int EXTRA_ROUNDS = 3;
  /** Push-sum rounds (one per consensus period) that pool the observations first. */
  static final int POOL_ROUNDS = 15;
  /** The envelope type of the pooling messages: outside the library's ranges. */
  static final int POOL_TYPE = 0x7E02;
  private static final double AGREEMENT = 0.95;
  /** An honest node starts from {@code p ∝ quality^8}, leaning to the option it rates best. */
  private static final double EVIDENCE_SHARPNESS = 8;

  /** One decision: per round, the share of up honest nodes decided on the final majority. */
  record Epoch(String label, int second, List<Double> agreeing, List<Double> decided,
      int roundsToAgreement, NodeId chosen, NodeId pooledBest, long opinions,
      List<String> pooled) {}

  private final Fabric fabric;
  private final List<DemoNode> nodes;
  private final List<NodeId> options;
  private final RandomSource random;
  private final List<Epoch> epochs = new ArrayList<>();
  private final Map<NodeId, EntropyConsensus> running = new HashMap<>();
  private final Map<NodeId, EnvelopeSender> senders = new HashMap<>();
  private ConsensusConfig config;
  private List<Double> agreeing;
  private List<Double> decided;
  private String label;
  private int second;
  private int agreedAt;
  private int rounds;
  private NodeId pooledBest;
  private int worst;
  private final Map<NodeId, GossipAverager> pool = new HashMap<>();
  private int poolRounds;
  private List<String> pooledText;

  Decisions(Fabric fabric, List<DemoNode> nodes, List<NodeId> rareProviders, RandomSource random) {
    this.fabric = fabric;
    this.nodes = nodes;
    this.options = rareProviders.stream().sorted().toList();
    this.random = random;
  }

  /** Whether there is anything to decide (at least two providers). */
  boolean possible() {
    return options.size() >= 2;
  }

  List<NodeId> options() {
    return options;
  }

  List<Epoch> epochs() {
    return List.copyOf(epochs);
  }

  /** The posterior mean reliability under a uniform prior: 0.5 for a provider never used. */
  static double quality(long[] o) {
    return (1.0 + o[1]) / (2.0 + o[0]);
  }

  /** Starts a decision now; it runs itself to its end on the fabric's timers. */
  void start(String what) {
    if (!possible() || label != null) {
      return;
    }
    int k = options.size();
    config = ConsensusConfig.defaults(k);
    label = what;
    second = (int) (fabric.now() / 1_000_000_000L);
    agreeing = new ArrayList<>();
    decided = new ArrayList<>();
    agreedAt = -1;
    rounds = 0;
    // What an observer holding every node's observations would pick, and reject.
    long[][] pooled = new long[k][3];
    for (DemoNode n : nodes) {
      for (int o = 0; o < k; o++) {
        long[] obs = n.observations(options.get(o));
        for (int j = 0; j < 3; j++) {
          pooled[o][j] += obs[j];
        }
      }
    }
    int best = 0;
    worst = 0;
    for (int o = 1; o < k; o++) {
      best = quality(pooled[o]) > quality(pooled[best]) ? o : best;
      worst = quality(pooled[o]) < quality(pooled[worst]) ? o : worst;
    }
    pooledBest = options.get(best);
    pooledText = new ArrayList<>();
    for (int o = 0; o < k; o++) {
      int informed = 0;
      for (DemoNode n : nodes) {
        informed += n.observations(options.get(o))[0] > 0 ? 1 : 0;
      }
      pooledText.add(DemoResult.shortId(options.get(o)) + " " + pooled[o][1] + "/" + pooled[o][0]
          + " by " + informed);
    }
    // Phase 1: every node that is up pools its counts with the others by push-sum.
    RandomSource r = random.derive("epoch").derive(epochs.size());
    pool.clear();
    for (DemoNode n : nodes) {
      if (fabric.isUp(n.id())) {
        float[] counts = new float[2 * k];
        for (int o = 0; o < k; o++) {
          long[] obs = n.observations(options.get(o));
          counts[o] = obs[1];
          counts[k + o] = obs[0];
        }
        pool.put(n.id(), GossipAverager.builder(n.poolChannel, n.identity, fabric.clock(),
                r.derive("pool").derive(n.index), counts)
            .envelopeType(POOL_TYPE).ringNeighbours(1).randomPeers(1).build());
      }
    }
    poolRounds = 0;
    fabric.schedule(config.period(), this::poolRound);
  }

  private void poolRound() {
    for (DemoNode n : nodes) {
      GossipAverager a = pool.get(n.id());
      if (a != null && fabric.isUp(n.id())) {
        a.round();
      }
    }
    if (++poolRounds < POOL_ROUNDS) {
      fabric.schedule(config.period(), this::poolRound);
      return;
    }
    // Phase 2: entropy consensus, each node weighing the options by its pooled estimate.
    RandomSource r = random.derive("epoch").derive(epochs.size());
    for (DemoNode n : nodes) {
      if (fabric.isUp(n.id()) && pool.containsKey(n.id())) {
        begin(n, r.derive(n.index));
      }
    }
    fabric.schedule(config.period(), this::sample);
  }

  private void begin(DemoNode n, RandomSource r) {
    int k = options.size();
    double[] q = new double[k];
    EntropyConsensus.Builder b = EntropyConsensus.builder(n.consensusChannel,
        senders.computeIfAbsent(n.id(), id -> EnvelopeSender.create(n.identity, fabric.clock())),
        EnvelopeDecoder.create(fabric.clock()), fabric.clock(), config);
    double[] p = new double[k];
    if (n.byzantine) {
      Arrays.fill(q, 1e-6);
      q[worst] = 1;
      p[worst] = 1;
    } else {
      float[] mean = new float[2 * k];
      pool.get(n.id()).estimate(mean);
      int members = Math.max(1, n.consensusChannel.membership().size());
      for (int o = 0; o < k; o++) {
        long ok = Math.round(Math.max(0, mean[o]) * (double) members);
        long tries = Math.round(Math.max(0, mean[k + o]) * (double) members);
        q[o] = quality(new long[] {Math.max(tries, ok), ok, 0});
        p[o] = Math.pow(q[o], EVIDENCE_SHARPNESS);
      }
    }
    b.qualities(q).preference(p);
    EntropyConsensus c = b.build();
    EntropyConsensus old = running.put(n.id(), c);
    if (old != null) {
      old.stop();
    }
    c.start(Duration.ofNanos((long) (r.nextDouble() * config.period().toNanos())));
  }

  /** A node restarted after a crash: its timers are gone, so its part starts again. */
  void restarted(DemoNode n) {
    if (label == null) {
      return;
    }
    EntropyConsensus c = running.get(n.id());
    if (c != null) {
      c.stop();
      c.start(Duration.ofNanos(config.period().toNanos() / 2));
    }
  }

  private void sample() {
    rounds++;
    int up = 0;
    Map<Integer, Integer> votes = new HashMap<>();
    int done = 0;
    for (DemoNode n : nodes) {
      EntropyConsensus c = running.get(n.id());
      if (n.byzantine || c == null || !fabric.isUp(n.id())) {
        continue;
      }
      up++;
      if (c.converged()) {
        done++;
        votes.merge(c.exhibited(), 1, Integer::sum);
      }
    }
    int top = votes.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    double share = up == 0 ? 0 : (double) top / up;
    agreeing.add(share);
    decided.add(up == 0 ? 0 : (double) done / up);
    if (agreedAt < 0 && share >= AGREEMENT) {
      agreedAt = rounds;
    }
    if (rounds >= MAX_ROUNDS || agreedAt >= 0 && rounds >= agreedAt + EXTRA_ROUNDS) {
      finish(votes);
    } else {
      fabric.schedule(config.period(), this::sample);
    }
  }

  /** Ends a decision still running when the run ends (recorded with what it reached). */
  void finishIfRunning() {
    if (label == null) {
      return;
    }
    if (running.isEmpty()) { // still pooling: nothing decided
      pool.clear();
      label = null;
      return;
    }
    Map<Integer, Integer> votes = new HashMap<>();
    for (DemoNode n : nodes) {
      EntropyConsensus c = running.get(n.id());
      if (!n.byzantine && c != null && fabric.isUp(n.id()) && c.converged()) {
        votes.merge(c.exhibited(), 1, Integer::sum);
      }
    }
    finish(votes);
  }

  private void finish(Map<Integer, Integer> votes) {
    long opinions = 0;
    for (EntropyConsensus c : running.values()) {
      opinions += c.round() * config.fanout();
      c.stop();
    }
    for (GossipAverager a : pool.values()) {
      opinions += a.messagesSent();
    }
    pool.clear();
    int option = votes.entrySet().stream().max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey).orElse(-1);
    epochs.add(new Epoch(label, second, List.copyOf(agreeing), List.copyOf(decided), agreedAt,
        option < 0 ? null : options.get(option), pooledBest, opinions, pooledText));
    running.clear();
    label = null;
  }
}
