package io.github.edgenet.swarm.stigmergy;

import io.github.edgenet.core.identity.NodeId;

/**
 * One max-register of a {@link PheromoneField}: what {@code origin} deposited on the trail to
 * {@code target} for {@code taskType}, as a time-normalised log level. Its level at time {@code t}
 * (milliseconds since the field's epoch) is {@code exp(logLevel - t / tauMillis)}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param taskType the task type
 * @param target the node the trail leads to
 * @param origin the node that deposited
 * @param logLevel {@code ln(sum_i q_i exp(t_i / tau))} over the origin's deposits {@code (q_i, t_i)}
 */
public record Trail(String taskType, NodeId target, NodeId origin, double logLevel) {}
