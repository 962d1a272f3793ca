/**
 * The compute economy. The replicated signed ledger lives in {@link
 * io.github.edgenet.economy.ledger}, its storage options in {@link io.github.edgenet.economy.store}
 * and its replication in {@link io.github.edgenet.economy.replication}.
 */
package io.github.edgenet.economy;
