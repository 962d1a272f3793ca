/**
 * Vesting rewards with OpenZeppelin VestingWallet(+Cliff) semantics: linear release after a cliff,
 * claims of the vested part, claw-back of only the unvested part of one named recipient's grant.
 */
package io.github.edgenet.economy.rewards;
