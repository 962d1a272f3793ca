package io.github.edgenet.swarm.allocation;

/**
 * What a {@link TaskAllocator} believes about one (worker, task type): the latency posterior and
 * the success posterior, after every observation it holds.
 *
 * <p>Immutable and thread-safe.
 *
 * @param latency the Normal-Gamma posterior of the latency mean and precision
 * @param success the Beta posterior of the success probability
 * @param observations how many observations it is built on (0: the prior)
 */
public record Posterior(NormalGamma latency, BetaPosterior success, long observations) {}
