/**
 * Governance after OpenZeppelin Governor: proposals to change bounded, typed network parameters,
 * stake-snapshot voting, quorum, timelock, guardian cancel and atomic execution into a new
 * immutable {@link io.github.edgenet.economy.governance.NetworkConfig}.
 */
package io.github.edgenet.economy.governance;
