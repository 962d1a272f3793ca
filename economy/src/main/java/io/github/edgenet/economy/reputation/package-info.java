/**
 * Reputation of staked nodes in [0, 1], decaying continuously with time and weighted by task value,
 * computed from signed task outcomes; and the price discount it earns.
 */
package io.github.edgenet.economy.reputation;
