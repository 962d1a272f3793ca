package io.github.edgenet.swarm.demo;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.PeerNetwork;
import io.github.edgenet.core.net.sim.LatencyModel;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.NetworkStats;
import java.time.Duration;
import java.util.Locale;

/** The deterministic simulator: virtual time, latency, loss, duplication; faults injectable. */
final class SimFabric implements Fabric {
  final NetworkSimulator sim;
  private final DemoOptions o;

  SimFabric(DemoOptions options) {
    this.o = options;
    this.sim = NetworkSimulator.builder()
        .seed(options.seed())
        .latency(LatencyModel.logNormal(Duration.ofMillis(20), 0.5))
        .loss(options.loss())
        .duplication(options.duplication())
        .failureDetectionDelay(Duration.ofMillis(500))
        .build();
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT, "%d simulated nodes (core's network simulator, log-normal "
        + "links with a 20 ms median), virtual time", o.nodes());
  }

  @Override
  public Clock clock() {
    return sim.clock();
  }

  @Override
  public long now() {
    return sim.now();
  }

  @Override
  public PeerNetwork endpoint(NodeIdentity identity) {
    return sim.addNode(identity.id());
  }

  @Override
  public void formed() {}

  @Override
  public void schedule(Duration delay, Runnable task) {
    sim.schedule(delay, task);
  }

  @Override
  public void runUntil(long nanos) {
    sim.runUntil(nanos);
  }

  @Override
  public boolean isUp(NodeId node) {
    return sim.isUp(node);
  }

  @Override
  public Traffic traffic() {
    NetworkStats s = sim.stats();
    return new Traffic(s.sent(), s.delivered(), s.lost(), s.partitioned(), s.receiverDown());
  }

  @Override
  public void close() {}
}
