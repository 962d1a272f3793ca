/**
 * Aggregation rules for vectors from peers: the mean, weighted mean (FedAvg), coordinate-wise
 * median, trimmed mean, Krum, Multi-Krum and centered clipping. Entry point: {@link
 * io.github.edgenet.learning.aggregate.Aggregators}.
 */
package io.github.edgenet.learning.aggregate;
