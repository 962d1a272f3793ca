package io.github.edgenet.optimize.quantize;

import java.util.Objects;

/**
 * One way to store one layer: its format, the bytes it then takes and the metric drop it is
 * predicted to cost.
 *
 * @param format the format (any label; the auto-quantizer uses {@link
 *     io.github.edgenet.lora.WeightFormat})
 * @param sizeBytes bytes the layer takes in this format, {@code >= 0}
 * @param drop predicted metric drop (e.g. accuracy points lost, as a fraction), finite; may be
 *     negative when the perturbation happened to help
 * @param <F> the format type
 */
public record Option<F>(F format, long sizeBytes, double drop) {
  /**
   * Validates the components.
   *
   * @throws IllegalArgumentException if the size is negative or the drop not finite
   */
  public Option {
    Objects.requireNonNull(format, "format");
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("sizeBytes must be >= 0, was " + sizeBytes);
    }
    if (!Double.isFinite(drop)) {
      throw new IllegalArgumentException("drop must be finite, was " + drop);
    }
  }
}
