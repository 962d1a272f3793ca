/**
 * Gossip over core's peer network: {@link io.github.edgenet.learning.gossip.PushSumState} (the
 * push-sum algorithm, classic and loss-tolerant running sums), {@link
 * io.github.edgenet.learning.gossip.GossipAverager} (push-sum in signed envelopes over a {@link
 * io.github.edgenet.core.net.PeerNetwork}), {@link io.github.edgenet.learning.gossip.PushSumMessage}
 * (the validated wire format, f64 or Q8_0), and {@link
 * io.github.edgenet.learning.gossip.RobustGossip} (rounds that aggregate neighbours' signed vectors
 * with a Byzantine-robust rule).
 */
package io.github.edgenet.learning.gossip;
