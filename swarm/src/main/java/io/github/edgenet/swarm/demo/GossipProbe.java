package io.github.edgenet.swarm.demo;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.learning.gossip.GossipAverager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Push-sum gossip of a market statistic with learning's {@link GossipAverager} over the nodes'
 * endpoints ({@link io.github.edgenet.swarm.node.EdgeNode#channel}): every node starts from its
 * own idle prices of {@code embed} and {@code checksum} and whether it runs {@code rare} (0 or 1),
 * and all of them estimate the network-wide mean of the three (the going rates and the share of
 * nodes that run the rare type) in the loss-tolerant running-sums mode: one ring neighbour and one
 * random contact per round, one round per second. Each second the run measures every up node's
 * relative error against the true mean: {@code ||estimate - mean|| / ||mean||} (Euclidean norms
 * over the three values, so the prices dominate).
 */
final class GossipProbe {
  /** The envelope type of the probe's messages: outside the library's ranges. */
  static final int ENVELOPE_TYPE = 0x7E01;
  private static final Duration PERIOD = Duration.ofSeconds(1);

  private final Fabric fabric;
  private final List<DemoNode> nodes;
  private final List<GossipAverager> averagers = new ArrayList<>();
  private final double[] mean = new double[3];
  final double[] median;
  final double[] p90;

  GossipProbe(Fabric fabric, List<DemoNode> nodes, RandomSource random, int seconds) {
    this.fabric = fabric;
    this.nodes = nodes;
    this.median = new double[seconds];
    this.p90 = new double[seconds];
    Arrays.fill(median, Double.NaN);
    Arrays.fill(p90, Double.NaN);
    for (DemoNode n : nodes) {
      for (int i = 0; i < 3; i++) {
        mean[i] += n.statistic[i] / (double) nodes.size();
      }
      averagers.add(GossipAverager.builder(n.gossipChannel, n.identity, fabric.clock(),
              random.derive(n.index), n.statistic)
          .envelopeType(ENVELOPE_TYPE).ringNeighbours(1).randomPeers(1).build());
    }
  }

  /** Starts the rounds. */
  void start() {
    fabric.schedule(PERIOD, this::round);
  }

  private void round() {
    for (int i = 0; i < nodes.size(); i++) {
      if (fabric.isUp(nodes.get(i).id())) {
        averagers.get(i).round();
      }
    }
    fabric.schedule(PERIOD, this::round);
  }

  /** The true mean the nodes estimate. */
  double[] mean() {
    return mean.clone();
  }

  /** Records the error distribution over up nodes into second {@code s}. */
  void sample(int s) {
    float[] est = new float[3];
    List<Double> errors = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (!fabric.isUp(nodes.get(i).id())) {
        continue;
      }
      averagers.get(i).estimate(est);
      double diff = 0;
      double norm = 0;
      for (int d = 0; d < 3; d++) {
        diff += (est[d] - mean[d]) * (est[d] - mean[d]);
        norm += mean[d] * mean[d];
      }
      errors.add(Math.sqrt(diff / Math.max(1e-18, norm)));
    }
    if (errors.isEmpty()) {
      return;
    }
    double[] v = errors.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    median[s] = v[(v.length - 1) / 2];
    p90[s] = v[(int) Math.ceil(0.9 * v.length) - 1];
  }

  /** Messages the probe sent over all nodes. */
  long messages() {
    long m = 0;
    for (GossipAverager a : averagers) {
      m += a.messagesSent();
    }
    return m;
  }
}
