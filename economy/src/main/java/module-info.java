/**
 * edgenet economy: ledger, compute market, reputation, stake, rewards, auctions and governance.
 * Depends on core only.
 */
module io.github.edgenet.economy {
  requires transitive io.github.edgenet.core;
}
