/**
 * The compute economy: an exact ledger in micro-units, the constant-product compute market, reputation,
 * stake and slashing, vesting rewards, sealed commit-reveal auctions and governance. Nothing is
 * implemented yet; this package marks where it will live.
 */
package io.github.edgenet.economy;
