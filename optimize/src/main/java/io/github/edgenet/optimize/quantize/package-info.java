/**
 * Mixed-precision auto-quantization: per-layer sensitivities measured by perturbation, and the
 * format assignment minimizing the predicted metric drop under a size budget, solved exactly.
 */
package io.github.edgenet.optimize.quantize;
