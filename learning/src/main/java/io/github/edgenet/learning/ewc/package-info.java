/**
 * Elastic weight consolidation: {@link io.github.edgenet.learning.ewc.Ewc} (multi-task, online,
 * EWC++) and {@link io.github.edgenet.learning.ewc.FisherEstimator}, plugged into lora's trainers
 * through {@link io.github.edgenet.lora.GradientRegularizer}.
 */
package io.github.edgenet.learning.ewc;
