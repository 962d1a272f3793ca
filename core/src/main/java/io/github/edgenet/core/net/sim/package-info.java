/**
 * A deterministic simulator of the peer network SPI: {@link
 * io.github.edgenet.core.net.sim.NetworkSimulator} runs thousands of {@link
 * io.github.edgenet.core.net.sim.SimulatedNode} endpoints in one JVM on a {@link
 * io.github.edgenet.core.VirtualClock}, with {@link io.github.edgenet.core.net.sim.LatencyModel
 * latency}, {@link io.github.edgenet.core.net.sim.LinkModel loss, duplication and reordering},
 * partitions, crashes and {@link io.github.edgenet.core.net.sim.OutboundInterceptor Byzantine}
 * peers; the same seed gives the same run.
 */
package io.github.edgenet.core.net.sim;
