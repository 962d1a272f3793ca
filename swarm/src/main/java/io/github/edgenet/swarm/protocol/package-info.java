/**
 * What the swarm algorithms share about their wire messages: the typed rejection {@link
 * io.github.edgenet.swarm.protocol.SwarmProtocolException} and the envelope types they use
 * ({@link io.github.edgenet.swarm.protocol.SwarmMessageTypes}).
 */
package io.github.edgenet.swarm.protocol;
