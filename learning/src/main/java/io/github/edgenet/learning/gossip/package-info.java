/**
 * Push-sum gossip averaging over core's peer network: {@link
 * io.github.edgenet.learning.gossip.PushSumState} (the algorithm, classic and loss-tolerant running
 * sums), {@link io.github.edgenet.learning.gossip.GossipAverager} (signed envelopes over a {@link
 * io.github.edgenet.core.net.PeerNetwork}), {@link io.github.edgenet.learning.gossip.PushSumMessage}
 * (the validated wire format, f64 or Q8_0).
 */
package io.github.edgenet.learning.gossip;
