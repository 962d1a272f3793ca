/**
 * edgenet learning: decentralized learning among peers (gossip averaging, robust aggregation,
 * federated rounds, prioritized replay, EWC). Depends on {@code io.github.edgenet.lora} and core.
 */
module io.github.edgenet.learning {
  requires transitive io.github.edgenet.core;
  requires transitive io.github.edgenet.lora;
}
