/**
 * Architecture search: a declared discrete {@link io.github.edgenet.optimize.search.SearchSpace},
 * a user {@link io.github.edgenet.optimize.search.Evaluator}, and an immutable {@link
 * io.github.edgenet.optimize.search.SearchEngine} running aging evolution, NSGA-II or random
 * search under hard latency and memory budgets; {@link
 * io.github.edgenet.optimize.search.MlpEvaluator} searches lora's model layer.
 */
package io.github.edgenet.optimize.search;
