/**
 * edgenet learning: decentralized learning among peers. Depends on {@code io.github.edgenet.lora}
 * and core.
 *
 * <ul>
 *   <li>{@link io.github.edgenet.learning.gossip} - push-sum gossip averaging, loss-tolerant
 *       running sums, compressed (Q8_0) exchange with error feedback.
 *   <li>{@link io.github.edgenet.learning.aggregate} - the mean and Byzantine-robust rules.
 *   <li>{@link io.github.edgenet.learning.federated} - signed contributions and coordinator rounds.
 *   <li>{@link io.github.edgenet.learning.replay} - prioritized experience replay.
 *   <li>{@link io.github.edgenet.learning.ewc} - elastic weight consolidation.
 *   <li>{@link io.github.edgenet.learning.actor} - the single-writer gradient actor.
 * </ul>
 */
module io.github.edgenet.learning {
  requires transitive io.github.edgenet.core;
  requires transitive io.github.edgenet.lora;

  exports io.github.edgenet.learning.actor;
  exports io.github.edgenet.learning.aggregate;
  exports io.github.edgenet.learning.ewc;
  exports io.github.edgenet.learning.federated;
  exports io.github.edgenet.learning.gossip;
  exports io.github.edgenet.learning.replay;
}
