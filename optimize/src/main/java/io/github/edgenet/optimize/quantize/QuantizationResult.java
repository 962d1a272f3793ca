package io.github.edgenet.optimize.quantize;

import io.github.edgenet.lora.WeightFormat;
import io.github.edgenet.lora.model.Model;
import java.util.Objects;

/**
 * A quantized model and what it cost, predicted and measured.
 *
 * @param model the model with each layer in its assigned format (immutable layers)
 * @param assignment the formats, total bytes and the predicted (summed) drop
 * @param baseScore the f32 model's validation score in the quantizer's metric
 * @param score this model's validation score in that metric, measured
 * @param baseAccuracy the f32 model's validation accuracy
 * @param accuracy this model's validation accuracy, measured
 */
public record QuantizationResult(
    Model model, Assignment<WeightFormat> assignment, double baseScore, double score,
    double baseAccuracy, double accuracy) {
  /** Checks for nulls. */
  public QuantizationResult {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(assignment, "assignment");
  }

  /**
   * The measured drop in the quantizer's metric, {@code baseScore - score}.
   *
   * @return the base score minus the quantized model's score; positive when quantization hurt
   */
  public double measuredDrop() {
    return baseScore - score;
  }

  /**
   * The predicted drop in the quantizer's metric: the sum of the chosen sensitivities.
   *
   * @return the sum of the chosen options' drops (as if the layers' drops added up)
   */
  public double predictedDrop() {
    return assignment.predictedDrop();
  }

  /**
   * The measured accuracy drop, {@code baseAccuracy - accuracy} (0.01 = one point).
   *
   * @return the base accuracy minus the quantized model's, as a fraction
   */
  public double accuracyDrop() {
    return baseAccuracy - accuracy;
  }

  /**
   * Total bytes of the model's layers.
   *
   * @return the quantized model's size in bytes, weights and biases of every layer
   */
  public long sizeBytes() {
    return assignment.sizeBytes();
  }
}
