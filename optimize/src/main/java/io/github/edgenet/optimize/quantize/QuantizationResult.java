package io.github.edgenet.optimize.quantize;

import io.github.edgenet.lora.WeightFormat;
import io.github.edgenet.lora.model.Model;
import java.util.Objects;

/**
 * A quantized model and what it cost.
 *
 * @param model the model with each layer in its assigned format (immutable layers)
 * @param assignment the formats, total bytes and the predicted (summed) drop
 * @param baseAccuracy the f32 model's validation accuracy
 * @param accuracy this model's validation accuracy, measured
 */
public record QuantizationResult(
    Model model, Assignment<WeightFormat> assignment, double baseAccuracy, double accuracy) {
  /** Checks for nulls. */
  public QuantizationResult {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(assignment, "assignment");
  }

  /** The measured drop, {@code baseAccuracy - accuracy}. */
  public double measuredDrop() {
    return baseAccuracy - accuracy;
  }

  /** The predicted drop, the sum of the chosen layers' sensitivities. */
  public double predictedDrop() {
    return assignment.predictedDrop();
  }

  /** Total bytes of the model's layers. */
  public long sizeBytes() {
    return assignment.sizeBytes();
  }
}
