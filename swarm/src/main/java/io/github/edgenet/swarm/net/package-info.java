/**
 * The real network: a {@link io.github.edgenet.core.net.PeerNetwork} on JGroups, so the node code
 * that runs on core's simulator also runs between processes and machines.
 *
 * <p>{@link io.github.edgenet.swarm.net.JGroupsNetwork#builder JGroupsNetwork.builder(identity,
 * cluster)} picks one of three {@link io.github.edgenet.swarm.net.JGroupsMode modes}: TCP with a
 * static seed list (loopback, LANs), TUNNEL through a {@link
 * io.github.edgenet.swarm.net.JGroupsGossipRouter GossipRouter} (nodes behind NAT), or JGroups'
 * in-JVM SHARED_LOOPBACK (tests). The transport carries bytes only: every message between nodes is
 * a signed envelope built and checked one layer up (core's {@code EnvelopeSender} and {@code
 * EnvelopeDecoder}).
 */
package io.github.edgenet.swarm.net;
