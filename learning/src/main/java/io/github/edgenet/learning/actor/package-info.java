/**
 * The gradient actor: a single-writer aggregation loop on a virtual thread with a bounded
 * mailbox, backpressure and a lossless shutdown ({@link
 * io.github.edgenet.learning.actor.GradientActor}).
 */
package io.github.edgenet.learning.actor;
