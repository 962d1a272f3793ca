/**
 * The peer network SPI: how a node talks to its peers, whatever carries the bytes.
 *
 * <p>{@link io.github.edgenet.core.net.PeerNetwork} is one node's endpoint: send bytes to a peer,
 * gossip them to random peers, read the {@link io.github.edgenet.core.net.Membership membership}
 * view, receive through a {@link io.github.edgenet.core.net.MessageHandler}, and run timers. Two
 * implementations are planned: the deterministic simulator in {@link io.github.edgenet.core.net.sim}
 * (thousands of nodes in one JVM on virtual time) and a JGroups transport in the swarm module.
 *
 * <p>The transport only carries bytes. It promises nothing about delivery (messages may be lost,
 * duplicated or reordered) and nothing about who sent them: the sender it reports is a claim.
 * Authenticity, integrity and replay protection come from signed envelopes one layer up.
 */
package io.github.edgenet.core.net;
