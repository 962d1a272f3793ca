package io.github.edgenet.optimize.quantize;

import java.util.List;

/**
 * A chosen option per layer.
 *
 * @param choices for each layer, the index of its chosen option
 * @param formats for each layer, the chosen option's format
 * @param sizeBytes total bytes of the chosen options
 * @param predictedDrop sum of the chosen options' drops (sensitivities are assumed additive)
 * @param <F> the format type
 */
public record Assignment<F>(
    List<Integer> choices, List<F> formats, long sizeBytes, double predictedDrop) {
  /** Copies the lists. */
  public Assignment {
    choices = List.copyOf(choices);
    formats = List.copyOf(formats);
  }
}
