/**
 * The {@link io.github.edgenet.swarm.node.EdgeNode} facade: what a host application builds to put
 * a node on the network, submit tasks and run its peers' tasks. See docs/edgenode.md.
 */
package io.github.edgenet.swarm.node;
