package io.github.edgenet.swarm.consensus;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.EnvelopeDecoder;
import io.github.edgenet.core.envelope.EnvelopeLimits;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.identity.SignatureVerifier;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.SimulatedNode;
import io.github.edgenet.swarm.internal.WireWriter;
import io.github.edgenet.swarm.protocol.SwarmMessageTypes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@link EntropyConsensus} on the deterministic simulator: {@code n} nodes, 5 options of
 * qualities {0.6, 0.7, 1.0, 0.8, 0.5} (best 2, worst 4), each node's estimates noisy (sd 0.1),
 * random Dirichlet starting preferences, crashes at random instants of the first 2 s, message
 * loss, and Byzantine nodes that gossip "worst option, certainty 1" every round with valid
 * signatures. Every opinion is a signed envelope verified by the receiver.
 */
final class ConsensusSimulation {
  static final double[] QUALITY = {0.6, 0.7, 1.0, 0.8, 0.5};
  static final int BEST = 2;
  static final int WORST = 4;
  static final Duration PERIOD = Duration.ofMillis(100);

  record Params(int nodes, double crashFraction, double loss, int byzantine, long seed, int maxRounds) {}

  /**
   * @param converged whether >= 95% of the up honest nodes converged on one option
   * @param winner that option (or the plurality of exhibited options if not converged)
   * @param rounds periods until converged (or maxRounds)
   * @param messages messages sent in the run
   * @param bestShare the share of up honest nodes exhibiting the best option at the end
   * @param worstShare the share exhibiting the worst option at the end
   */
  record Result(boolean converged, int winner, int rounds, long messages, double bestShare,
      double worstShare) {}

  static Result run(Params prm) {
    RandomSource root = RandomSource.seeded(prm.seed());
    NetworkSimulator sim = NetworkSimulator.builder()
        .seed(prm.seed())
        .loss(prm.loss())
        .failureDetectionDelay(Duration.ofMillis(500))
        .build();
    EnvelopeLimits limits = EnvelopeLimits.builder()
        .maxPayloadBytes(64).replayWindow(64).maxTrackedPeers(128).maxAge(Duration.ofSeconds(3)).build();
    SignatureVerifier verifier = SignatureVerifier.create(Math.max(1024, prm.nodes() + prm.byzantine()));
    ConsensusConfig cfg = ConsensusConfig.defaults(QUALITY.length);
    List<EntropyConsensus> honest = new ArrayList<>();
    List<SimulatedNode> honestNodes = new ArrayList<>();
    RandomSource ids = root.derive("identities");
    for (int i = 0; i < prm.nodes(); i++) {
      NodeIdentity identity = NodeIdentity.generate(ids.derive(i));
      SimulatedNode node = sim.addNode(identity.id());
      RandomSource r = root.derive("node").derive(i);
      double[] q = new double[QUALITY.length];
      for (int o = 0; o < q.length; o++) {
        q[o] = Math.max(0.05, QUALITY[o] + 0.1 * r.nextGaussian());
      }
      EntropyConsensus c = EntropyConsensus.builder(node,
              EnvelopeSender.create(identity, sim.clock()),
              EnvelopeDecoder.create(sim.clock(), limits, verifier), sim.clock(), cfg)
          .randomPreference(r).qualities(q).build();
      c.start(Duration.ofNanos(r.nextLong(PERIOD.toNanos())));
      honest.add(c);
      honestNodes.add(node);
    }
    for (int b = 0; b < prm.byzantine(); b++) {
      NodeIdentity identity = NodeIdentity.generate(ids.derive(1_000_000 + b));
      SimulatedNode node = sim.addNode(identity.id());
      EnvelopeSender s = EnvelopeSender.create(identity, sim.clock());
      Runnable[] tick = new Runnable[1];
      tick[0] = () -> {
        byte[] payload = new WireWriter().u8(1).u16(WORST).f32(1f).i64(0).toByteArray();
        node.gossip(s.encode(SwarmMessageTypes.CONSENSUS_OPINION, payload), cfg.fanout());
        node.schedule(PERIOD, tick[0]);
      };
      node.schedule(Duration.ofNanos(root.derive("byz").derive(b).nextLong(PERIOD.toNanos())), tick[0]);
    }
    RandomSource crashes = root.derive("crashes");
    int toCrash = (int) Math.round(prm.crashFraction() * prm.nodes());
    for (int i = 0; i < toCrash; i++) {
      SimulatedNode victim = honestNodes.get(i * prm.nodes() / Math.max(1, toCrash));
      sim.schedule(Duration.ofMillis(crashes.nextInt(2000)), () -> sim.crash(victim.localId()));
    }
    int[] count = new int[QUALITY.length];
    for (int round = 1; round <= prm.maxRounds(); round++) {
      sim.runFor(PERIOD);
      java.util.Arrays.fill(count, 0);
      int up = 0;
      int[] exhibited = new int[QUALITY.length];
      for (int i = 0; i < honest.size(); i++) {
        if (!honestNodes.get(i).isUp()) {
          continue;
        }
        up++;
        EntropyConsensus c = honest.get(i);
        exhibited[c.exhibited()]++;
        var d = c.decision();
        if (d.isPresent()) {
          count[d.getAsInt()]++;
        }
      }
      double best = exhibited[BEST] / (double) up;
      double worst = exhibited[WORST] / (double) up;
      for (int o = 0; o < count.length; o++) {
        if (count[o] >= 0.95 * up) {
          return new Result(true, o, round, sim.stats().sent(), best, worst);
        }
      }
      if (round == prm.maxRounds()) {
        int plural = 0;
        for (int o = 1; o < exhibited.length; o++) {
          if (exhibited[o] > exhibited[plural]) {
            plural = o;
          }
        }
        return new Result(false, plural, round, sim.stats().sent(), best, worst);
      }
    }
    throw new AssertionError("unreachable");
  }

  /** Prints results for the docs: {@code java ... ConsensusSimulation nodes runs}. */
  public static void main(String[] args) {
    int nodes = Integer.parseInt(args[0]);
    int runs = Integer.parseInt(args[1]);
    int byz = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    double crash = args.length > 3 ? Double.parseDouble(args[3]) : 0.1;
    int maxRounds = args.length > 4 ? Integer.parseInt(args[4]) : 200;
    int ok = 0;
    long roundsSum = 0;
    for (int s = 1; s <= runs; s++) {
      long t0 = System.nanoTime();
      Result r = run(new Params(nodes, crash, 0.05, byz, s, maxRounds));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf("seed %d: %s%n", s, r + " in " + ms + " ms");
      if (byz > 0 ? r.bestShare() >= 0.9 : r.converged() && r.winner() == BEST) {
        ok++;
      }
      roundsSum += r.rounds();
    }
    System.out.printf("nodes %d byzantine %d: best in %d of %d runs, mean rounds %.1f%n",
        nodes, byz, ok, runs, roundsSum / (double) runs);
  }
}
