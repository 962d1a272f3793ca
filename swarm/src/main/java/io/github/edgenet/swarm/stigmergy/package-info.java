/**
 * Stigmergy: pheromone trails per task type with closed-form evaporation, roulette selection and a
 * CRDT merge. Entry point: {@link io.github.edgenet.swarm.stigmergy.PheromoneField}.
 */
package io.github.edgenet.swarm.stigmergy;
