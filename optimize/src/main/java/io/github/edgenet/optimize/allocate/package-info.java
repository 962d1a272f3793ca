/**
 * Resource allocation on a node: Holt demand forecasts per task type, weighted max-min fair
 * shares with priorities and minimum guarantees, and Dominant Resource Fairness across resources.
 */
package io.github.edgenet.optimize.allocate;
