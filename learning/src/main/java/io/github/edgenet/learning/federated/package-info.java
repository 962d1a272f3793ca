/**
 * Federated rounds: signed {@link io.github.edgenet.learning.federated.Contribution}s from
 * ephemeral agents, aggregated by any node in the coordinator role with {@link
 * io.github.edgenet.learning.federated.FederatedRound}.
 */
package io.github.edgenet.learning.federated;
