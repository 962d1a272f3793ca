/**
 * Bayesian task allocation: Normal-Gamma latency and Beta success posteriors per (worker, task
 * type), shared as signed mergeable sufficient statistics, allocation by Thompson sampling. Entry
 * point: {@link io.github.edgenet.swarm.allocation.TaskAllocator}.
 */
package io.github.edgenet.swarm.allocation;
