/**
 * Prioritized experience replay: {@link io.github.edgenet.learning.replay.SegmentTree} (sum and
 * min trees) and {@link io.github.edgenet.learning.replay.PrioritizedReplayBuffer}.
 */
package io.github.edgenet.learning.replay;
