/**
 * Swarm coordination and the {@code EdgeNode} facade: consensus, Bayesian task allocation, pheromone
 * trails, collective memory and the JGroups transport. Nothing beyond the demo is implemented yet.
 */
package io.github.edgenet.swarm;
