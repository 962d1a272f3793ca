/**
 * edgenet economy: ledger, compute market, reputation, stake, rewards, auctions and governance.
 * Depends on core only.
 */
module io.github.edgenet.economy {
  requires transitive io.github.edgenet.core;

  exports io.github.edgenet.economy.market;
  exports io.github.edgenet.economy.reputation;
  //TMP exports io.github.edgenet.economy.rewards;
  //TMP exports io.github.edgenet.economy.auction;
  exports io.github.edgenet.economy.governance;
}
