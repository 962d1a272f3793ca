/**
 * edgenet economy: the replicated signed ledger (per-account chains of signed operations, stake and
 * slashing, escrow, SQLite persistence, gossip and anti-entropy), and the market, reputation,
 * rewards, auctions and governance that sit on it. Depends on core only.
 */
module io.github.edgenet.economy {
  requires transitive io.github.edgenet.core;
  requires java.sql;
  requires org.xerial.sqlitejdbc;

  exports io.github.edgenet.economy.ledger;
  exports io.github.edgenet.economy.store;
  exports io.github.edgenet.economy.replication;

  exports io.github.edgenet.economy.market;
  exports io.github.edgenet.economy.reputation;
  exports io.github.edgenet.economy.rewards;
  exports io.github.edgenet.economy.auction;
  exports io.github.edgenet.economy.governance;
}
